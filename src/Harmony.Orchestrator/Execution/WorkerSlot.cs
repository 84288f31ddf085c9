using Harmony.Orchestrator.Workers;

namespace Harmony.Orchestrator.Execution;

/// <summary>
/// The worker serving a role in one scenario run (in same-process mode one slot, "all", serves every role).
/// After a kill the slot stays empty, remembering the step, until the role is started again.
/// </summary>
internal sealed class WorkerSlot(string role, string platform, bool debugging)
{
    public string Role { get; } = role;

    public string Platform { get; } = platform;

    public bool Debugging { get; } = debugging;

    public WorkerClient? Client { get; set; }

    /// <summary>The step number of the kill / crash that emptied the slot.</summary>
    public int? KilledAtStep { get; set; }

    public string? KilledByText { get; set; }

    /// <summary>Stderr lines kept from a worker that was killed or failed, for the report.</summary>
    public IReadOnlyList<string> LastStderr { get; set; } = [];
}
