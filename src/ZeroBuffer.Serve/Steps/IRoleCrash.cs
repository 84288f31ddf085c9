namespace ZeroBuffer.Serve.Steps;

/// <summary>
/// A scoped service holding scenario resources that one role created: <c>simulateCrash</c>
/// (same-process mode) abandons them as a killed process of that role would leave them.
/// </summary>
public interface IRoleCrash
{
    /// <summary>Abandons what <paramref name="role"/> holds; returns one description per abandoned thing.</summary>
    Task<IReadOnlyList<string>> CrashAsync(string role, CancellationToken ct);
}
