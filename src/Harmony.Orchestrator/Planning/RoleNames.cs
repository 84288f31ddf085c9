using System.Text.RegularExpressions;

namespace Harmony.Orchestrator.Planning;

/// <summary>Role names: a kind (reader, writer, client, server) optionally followed by a suffix (reader-2, writer-b).</summary>
internal static partial class RoleNames
{
    public static readonly IReadOnlyList<string> Kinds = ["client", "reader", "server", "writer"];

    [GeneratedRegex(@"^(?<kind>reader|writer|client|server)(?:-[A-Za-z0-9]+)?$")]
    private static partial Regex ValidRole();

    public static bool IsValid(string role) => ValidRole().IsMatch(role);

    public static string KindOf(string role)
    {
        var dash = role.IndexOf('-');
        return dash < 0 ? role : role[..dash];
    }

    /// <summary>Sorts roles by kind, then plain role before suffixed ones, then suffix.</summary>
    public static IReadOnlyList<string> Sort(IEnumerable<string> roles) =>
        roles.Distinct(StringComparer.Ordinal)
            .OrderBy(KindOf, StringComparer.Ordinal)
            .ThenBy(r => r.Length == KindOf(r).Length ? 0 : 1)
            .ThenBy(r => r, StringComparer.Ordinal)
            .ToList();
}
