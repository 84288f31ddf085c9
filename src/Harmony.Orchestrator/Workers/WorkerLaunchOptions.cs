namespace Harmony.Orchestrator.Workers;

/// <summary>How a worker process is started.</summary>
/// <param name="WaitForDebugger">Pass <c>--wait-for-debugger</c> (the <c>--debug &lt;role&gt;</c> worker).</param>
/// <param name="LiveLog">Receives every stderr line as it arrives (<c>-v</c>), already prefixed; null = quiet.</param>
/// <param name="DebuggerWaiting">Told (platform, pid) when a worker waits for a debugger, to tell the user how to attach.</param>
/// <param name="DebuggerTimeout">How long a debug worker may wait for a debugger (<c>--debug-timeout</c>); null = forever.</param>
/// <param name="Wrapper">A command the worker's own command line is appended to and that ends by exec-ing it
/// (<see cref="LaunchWrappers"/>), so the pid stays the worker's; null = start the worker directly.</param>
internal sealed record WorkerLaunchOptions(
    bool WaitForDebugger = false,
    Action<string>? LiveLog = null,
    Action<string, int>? DebuggerWaiting = null,
    TimeSpan? DebuggerTimeout = null,
    IReadOnlyList<string>? Wrapper = null);
