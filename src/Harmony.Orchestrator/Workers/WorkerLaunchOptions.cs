namespace Harmony.Orchestrator.Workers;

/// <summary>How a worker process is started.</summary>
/// <param name="WaitForDebugger">Pass <c>--wait-for-debugger</c> (the <c>--debug &lt;role&gt;</c> worker).</param>
/// <param name="LiveLog">Receives every stderr line as it arrives (<c>-v</c>), already prefixed; null = quiet.</param>
/// <param name="Notice">Receives orchestrator messages meant for the user at once (how to attach a debugger).</param>
internal sealed record WorkerLaunchOptions(bool WaitForDebugger = false, Action<string>? LiveLog = null, Action<string>? Notice = null);
