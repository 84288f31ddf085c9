using Harmony.Protocol.Messages;

namespace ZeroBuffer.Serve.Steps;

/// <summary>What <c>initialize</c> said about the scenario this worker serves.</summary>
public sealed record ScenarioInfo(
    string Role,
    IReadOnlyList<string> Roles,
    string Platform,
    string Scenario,
    string Feature,
    string RunId,
    string Mode)
{
    /// <summary>Used when steps arrive without an <c>initialize</c> (a worker driven by hand).</summary>
    public static ScenarioInfo Implicit { get; } = new("(any)", [], Platforms.CSharp, "(no initialize)", "", "", RunModes.SeparateProcess);
}

/// <summary>
/// The per-scenario facts step classes can inject (scoped): the scenario and a token cancelled
/// when the scenario is cleaned up.
/// </summary>
public sealed class ScenarioState
{
    private ScenarioInfo? _info;

    public ScenarioInfo Info => _info ?? ScenarioInfo.Implicit;

    public CancellationToken Cancellation { get; private set; }

    internal void Attach(ScenarioInfo info, CancellationToken cancellation)
    {
        _info = info;
        Cancellation = cancellation;
    }
}

/// <summary>
/// A scoped service holding scenario resources. <c>cleanup</c> calls every one and reports what
/// they released.
/// </summary>
public interface IScenarioCleanup
{
    /// <summary>Releases everything; returns one description per released thing.</summary>
    Task<IReadOnlyList<string>> ReleaseAsync(CancellationToken ct);
}

/// <summary>What cleanup released and what it could not.</summary>
public sealed record CleanupReport(IReadOnlyList<string> Released, IReadOnlyList<string> Problems)
{
    public static CleanupReport Empty { get; } = new([], []);

    public bool Ok => Problems.Count == 0;
}

/// <summary>Step timeouts: the default, and whether they are disabled (a debugger is attached).</summary>
public sealed class StepTimeoutPolicy
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public bool Disabled { get; init; }

    /// <summary>The timeout a step runs under; <see cref="Timeout.InfiniteTimeSpan"/> when disabled.</summary>
    public TimeSpan For(StepRequest request) =>
        Disabled ? Timeout.InfiniteTimeSpan
        : request.Timeout is { } t && t > TimeSpan.Zero ? t
        : DefaultTimeout;
}
