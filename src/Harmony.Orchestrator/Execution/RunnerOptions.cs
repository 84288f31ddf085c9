namespace Harmony.Orchestrator.Execution;

/// <summary>Settings that apply to every scenario of a run.</summary>
/// <param name="StepTimeoutMs">Sent as <c>timeoutMs</c>; the orchestrator waits that plus <see cref="Workers.WorkerClient.DeadlineSlack"/>.</param>
/// <param name="DebugRole">The role whose worker runs under a debugger (no deadlines), or null.</param>
/// <param name="Pause">Where to pause before a step (<c>--break-at</c>, <c>--step</c>), or null.</param>
internal sealed record RunnerOptions(int StepTimeoutMs, string? DebugRole, Debugging.Breakpoints? Pause = null)
{
    /// <summary>timeoutMs sent to a worker that is being debugged: effectively none.</summary>
    public const int DebugTimeoutMs = 24 * 60 * 60 * 1000;

    public TimeSpan Deadline => TimeSpan.FromMilliseconds(StepTimeoutMs) + Workers.WorkerClient.DeadlineSlack;
}
