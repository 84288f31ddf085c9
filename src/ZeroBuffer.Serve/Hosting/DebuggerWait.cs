using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ZeroBuffer.Serve.Logging;

namespace ZeroBuffer.Serve.Hosting;

/// <summary><c>--wait-for-debugger</c>: say how to attach, then block until a debugger is attached.</summary>
internal static class DebuggerWait
{
    public static async Task WaitAsync(ILogger logger, CancellationToken ct)
    {
        int pid = Environment.ProcessId;
        string howToAttach =
            $"Attach a .NET debugger to process {pid} (VS Code: \".NET: Attach\" and pick pid {pid}; Rider/Visual Studio: Attach to Process -> {pid}; CLI: netcoredbg --attach {pid}).";

        // Written straight to stderr as well: it must show whatever HARMONY_LOG_LEVEL says.
        await Console.Error.WriteLineAsync($"zerobuffer-serve: waiting for a debugger: pid {pid}. {howToAttach}").ConfigureAwait(false);
        Log.WaitingForDebugger(logger, pid, howToAttach);
        while (!Debugger.IsAttached)
        {
            await Task.Delay(100, ct).ConfigureAwait(false);
        }

        Log.DebuggerAttached(logger);
    }
}
