namespace ZeroBuffer.Serve.Logging;

/// <summary>Event ids of the worker's own log lines, kept in one place.</summary>
internal static class LogEventIds
{
    public const int Started = 1;
    public const int EndOfInput = 2;
    public const int TruncatedInput = 3;
    public const int BadFrame = 4;
    public const int ShutdownRequested = 5;
    public const int ConnectionLost = 6;
    public const int LoopFailed = 7;
    public const int InvalidBinding = 8;
    public const int ParentDied = 9;
    public const int Request = 10;
    public const int MethodFailed = 11;
    public const int InvalidMessage = 13;
    public const int WaitingForDebugger = 20;
    public const int DebuggerAttached = 21;
}
