namespace Harmony.Orchestrator.Planning;

/// <summary>Which combinations to run: all, those containing one platform, or one pair.</summary>
internal abstract record PlatformSelection
{
    public sealed record All : PlatformSelection;

    public sealed record Platform(string Name) : PlatformSelection;

    /// <summary>A pair like <c>csharp_python</c> (more names allowed for scenarios with more kinds).</summary>
    public sealed record Pair(IReadOnlyList<string> Platforms) : PlatformSelection
    {
        public bool Equals(Pair? other) => other is not null && Platforms.SequenceEqual(other.Platforms);

        public override int GetHashCode() => string.Join('_', Platforms).GetHashCode(StringComparison.Ordinal);
    }

    /// <summary>
    /// Classifies a positional argument: <c>all</c>, a configured platform, or '_'-joined platforms.
    /// Returns null when the token is not a platform selection (it is then a test filter).
    /// </summary>
    public static PlatformSelection? TryParse(string token, IReadOnlyList<string> platforms, out string? error)
    {
        error = null;
        if (token.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return new All();
        }
        if (platforms.Contains(token, StringComparer.OrdinalIgnoreCase))
        {
            return new Platform(token.ToLowerInvariant());
        }
        var parts = token.Split('_');
        if (parts.Length < 2 || parts.Any(p => p.Length == 0) || token.Contains('.'))
        {
            return null;
        }
        var unknown = parts.Where(p => !platforms.Contains(p, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count == parts.Length)
        {
            return null;
        }
        if (unknown.Count > 0)
        {
            error = $"unknown platform(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))} in '{token}' (configured: {string.Join(", ", platforms)})";
            return null;
        }
        return new Pair(parts.Select(p => p.ToLowerInvariant()).ToList());
    }
}
