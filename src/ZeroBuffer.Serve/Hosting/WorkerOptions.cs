namespace ZeroBuffer.Serve.Hosting;

/// <summary>The command line: <c>zerobuffer-serve [--wait-for-debugger]</c>.</summary>
public sealed record WorkerOptions(bool WaitForDebugger)
{
    public const string WaitForDebuggerFlag = "--wait-for-debugger";

    public const string Usage = "usage: zerobuffer-serve [--wait-for-debugger]  (JSON-RPC 2.0 with Content-Length framing on stdin/stdout; logs on stderr; HARMONY_LOG_LEVEL=debug|info|warning|error)";

    /// <summary>Null (with <paramref name="error"/>) for an unknown argument.</summary>
    public static WorkerOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        bool wait = false;
        foreach (string arg in args)
        {
            if (arg == WaitForDebuggerFlag)
            {
                wait = true;
            }
            else
            {
                error = $"unknown argument '{arg}'";
                return null;
            }
        }

        error = null;
        return new WorkerOptions(wait);
    }
}
