using Harmony.Orchestrator.Features;

namespace Harmony.Orchestrator.Planning;

/// <summary>Where a step goes, decided before anything runs.</summary>
internal abstract record StepAction;

/// <summary>Send the step to the worker of one role.</summary>
internal sealed record SendToRole(string Role) : StepAction;

/// <summary>Send the step to every worker of the scenario at once; all must pass.</summary>
internal sealed record SendToAll : StepAction;

/// <summary>Orchestrator step: SIGKILL the role's worker now (a real crash, no cleanup).</summary>
internal sealed record KillRole(string Role) : StepAction;

/// <summary>Orchestrator step: start a fresh worker for the role (same platform), health + initialize.</summary>
internal sealed record StartRole(string Role) : StepAction;

/// <summary>
/// Orchestrator step: start a fresh worker for the role that runs as another user (through <c>setpriv</c>;
/// needs root). The worker is never reused for another scenario.
/// </summary>
internal sealed record StartRoleAsUser(string Role, string User) : StepAction;

/// <summary>
/// Orchestrator step: start a fresh worker for the role in a mount namespace of its own, where /dev/shm is a
/// new tmpfs of <paramref name="SizeKb"/> KB holding at most <paramref name="Files"/> files when given (through
/// <c>unshare</c>; needs root). Its buffers are invisible to every other worker.
/// </summary>
internal sealed record StartRoleWithPrivateShm(string Role, long SizeKb, long? Files) : StepAction;

/// <summary>Orchestrator step: sleep.</summary>
internal sealed record Wait(TimeSpan Duration) : StepAction;

/// <summary>
/// A step with its route. <see cref="Number"/> is 1-based within the scenario (Background included);
/// <see cref="StepType"/> is given/when/then, an And/But step taking the type of the step it continues.
/// </summary>
internal sealed record RoutedStep(int Number, StepSpec Spec, StepAction Action, string StepType)
{
    public bool IsOrchestratorStep => Action is KillRole or StartRole or StartRoleAsUser or StartRoleWithPrivateShm or Wait;
}

/// <summary>A scenario with every step routed and the roles it needs.</summary>
internal sealed record RoutedScenario(ScenarioCase Scenario, IReadOnlyList<RoutedStep> Steps, IReadOnlyList<string> Roles)
{
    /// <summary>Role kinds (role minus suffix), sorted alphabetically: the order platforms are assigned in.</summary>
    public IReadOnlyList<string> Kinds { get; } =
        Roles.Select(RoleNames.KindOf).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
