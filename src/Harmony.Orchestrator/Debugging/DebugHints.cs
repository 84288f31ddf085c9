namespace Harmony.Orchestrator.Debugging;

/// <summary>
/// How to attach a debugger to a worker started with <c>--wait-for-debugger</c>, in that worker's language:
/// the VS Code configuration of <c>.vscode/launch.json</c> by its exact name, or the command line.
/// The full hint is printed once per run; later debug workers only get a line with their pid.
/// </summary>
internal sealed class DebugHints(Action<string> write)
{
    private readonly HashSet<string> _hinted = new(StringComparer.Ordinal);

    public static string For(string platform, int pid) => platform switch
    {
        "csharp" => $"VS Code: run \"Harmony: attach C# worker\" (pid {pid}); Rider / Visual Studio: Attach to Process, pid {pid}",
        "python" => "VS Code: run \"Harmony: attach Python worker (debugpy)\" (debugpy on 127.0.0.1:5678; the worker's --debug-port or HARMONY_DEBUGPY_PORT changes it); " +
                    $"or any ptrace debugger: gdb -p {pid}",
        "cpp" => $"VS Code: run \"Harmony: attach C++ worker (gdb)\" and pick pid {pid}; or: gdb -p {pid}",
        _ => $"attach a debugger to pid {pid} (gdb -p {pid})",
    };

    public void Started(string platform, int pid)
    {
        bool first;
        lock (_hinted)
        {
            first = _hinted.Add(platform);
        }
        write(first
            ? $"harmony: the {platform} worker (pid {pid}) waits for a debugger (--debug; step deadlines are off for it). {For(platform, pid)}"
            : $"harmony: the {platform} worker (pid {pid}) waits for a debugger");
    }
}
