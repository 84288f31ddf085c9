namespace Harmony.Protocol.Messages;

/// <summary>
/// The multiline argument a step definition takes, as <c>discover</c> reports it per step
/// (<c>"accepts"</c>, optional: absent when the worker cannot say, e.g. an optional table). A step
/// whose argument differs from what its definition takes fails with <c>StepNotFound</c>.
/// </summary>
public static class StepArgumentKinds
{
    /// <summary>Neither a data table nor a doc string.</summary>
    public const string None = "none";

    public const string Table = "table";

    public const string DocString = "docString";

    /// <summary>The kind of an <c>executeStep</c> argument (a null table or doc string counts as absent).</summary>
    public static string Of(StepArgument? argument) =>
        argument?.Table is not null ? Table : argument?.DocString is not null ? DocString : None;
}
