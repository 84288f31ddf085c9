namespace Harmony.Protocol.Messages;

/// <summary>The step type strings of <c>executeStep</c> and <c>discover</c>.</summary>
public static class StepTypes
{
    public const string Given = "given";
    public const string When = "when";
    public const string Then = "then";

    /// <summary>A definition that matches after any keyword (discover only).</summary>
    public const string Step = "step";

    /// <summary>The canonical lower-case name, or null for an unknown one.</summary>
    public static string? Normalize(string text) => text.Trim().ToLowerInvariant() switch
    {
        Given => Given,
        When => When,
        Then => Then,
        Step => Step,
        _ => null,
    };

    /// <summary>The public Harmony's numeric encoding: 0 = given, 1 = when, 2 = then.</summary>
    public static string? FromNumber(int number) => number switch
    {
        0 => Given,
        1 => When,
        2 => Then,
        _ => null,
    };
}
