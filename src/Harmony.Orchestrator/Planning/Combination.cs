namespace Harmony.Orchestrator.Planning;

/// <summary>
/// Platforms assigned to a scenario's role kinds, in alphabetical kind order: <c>csharp_python</c> means
/// reader=csharp, writer=python (client=csharp, server=python for duplex). Suffixed roles take their kind's platform.
/// </summary>
internal sealed record Combination(IReadOnlyList<string> Kinds, IReadOnlyList<string> Platforms)
{
    /// <summary>The name used on the command line and in reports: platforms joined by '_'.</summary>
    public string Name => string.Join('_', Platforms);

    /// <summary>
    /// Human label, e.g. <c>csharp_python: reader=csharp, writer=python</c>. It starts with <see cref="Name"/> so a
    /// report name can be found by the pair the command line uses (<c>dotnet test --filter DisplayName~csharp_python</c>).
    /// </summary>
    public string Label => $"{Name}: {string.Join(", ", Kinds.Zip(Platforms, (k, p) => $"{k}={p}"))}";

    /// <summary>True when every role runs on the same platform (a same-process run is possible).</summary>
    public bool IsUniform => Platforms.Distinct(StringComparer.Ordinal).Count() == 1;

    public string PlatformOf(string role)
    {
        var kind = RoleNames.KindOf(role);
        for (var i = 0; i < Kinds.Count; i++)
        {
            if (Kinds[i] == kind)
            {
                return Platforms[i];
            }
        }
        throw new ArgumentException($"role '{role}' is not part of combination {Label}", nameof(role));
    }

    public bool Equals(Combination? other) =>
        other is not null && Kinds.SequenceEqual(other.Kinds) && Platforms.SequenceEqual(other.Platforms);

    public override int GetHashCode() => HashCode.Combine(Name, string.Join(',', Kinds));
}
