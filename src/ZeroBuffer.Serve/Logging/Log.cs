using Microsoft.Extensions.Logging;

namespace ZeroBuffer.Serve.Logging;

/// <summary>The worker's host and RPC log lines.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = LogEventIds.Started, Level = LogLevel.Information, Message = "zerobuffer-serve {Version} (csharp, pid {Pid}) serving JSON-RPC on stdin/stdout")]
    public static partial void Started(ILogger logger, string version, int pid);

    [LoggerMessage(EventId = LogEventIds.EndOfInput, Level = LogLevel.Information, Message = "End of stdin: releasing everything and exiting")]
    public static partial void EndOfInput(ILogger logger);

    [LoggerMessage(EventId = LogEventIds.TruncatedInput, Level = LogLevel.Warning, Message = "stdin ended inside a frame ({Reason}): releasing everything and exiting")]
    public static partial void TruncatedInput(ILogger logger, string reason);

    [LoggerMessage(EventId = LogEventIds.BadFrame, Level = LogLevel.Warning, Message = "{Reason} Answered -32600 and resynchronising on the next header")]
    public static partial void BadFrame(ILogger logger, string reason);

    [LoggerMessage(EventId = LogEventIds.ShutdownRequested, Level = LogLevel.Information, Message = "Shutdown requested: releasing everything and exiting")]
    public static partial void ShutdownRequested(ILogger logger);

    [LoggerMessage(EventId = LogEventIds.ParentDied, Level = LogLevel.Warning, Message = "The parent process {ParentPid} has died: releasing everything and exiting")]
    public static partial void ParentDied(ILogger logger, int parentPid);

    [LoggerMessage(EventId = LogEventIds.ConnectionLost, Level = LogLevel.Error, Message = "The JSON-RPC connection ended ({Reason}: {Description}): exiting")]
    public static partial void ConnectionLost(ILogger logger, string reason, string description, Exception? exception);

    [LoggerMessage(EventId = LogEventIds.LoopFailed, Level = LogLevel.Critical, Message = "The request loop failed")]
    public static partial void LoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = LogEventIds.Request, Level = LogLevel.Debug, Message = "<- {Method} (id {Id})")]
    public static partial void Request(ILogger logger, string method, string id);

    [LoggerMessage(EventId = LogEventIds.MethodFailed, Level = LogLevel.Error, Message = "'{Method}' failed: answered -32603")]
    public static partial void MethodFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = LogEventIds.InvalidMessage, Level = LogLevel.Warning, Message = "Refused a message: {Reason}")]
    public static partial void InvalidMessage(ILogger logger, string reason);

    [LoggerMessage(EventId = LogEventIds.InvalidBinding, Level = LogLevel.Warning, Message = "Invalid step definition '{Pattern}' ({Source}): {Error}")]
    public static partial void InvalidBinding(ILogger logger, string pattern, string source, string error);

    [LoggerMessage(EventId = LogEventIds.WaitingForDebugger, Level = LogLevel.Warning, Message = "Waiting for a debugger: pid {Pid}. {HowToAttach}")]
    public static partial void WaitingForDebugger(ILogger logger, int pid, string howToAttach);

    [LoggerMessage(EventId = LogEventIds.DebuggerAttached, Level = LogLevel.Information, Message = "Debugger attached: step timeouts are disabled")]
    public static partial void DebuggerAttached(ILogger logger);
}
