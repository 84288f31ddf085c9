namespace Harmony.Protocol.Messages;

/// <summary>
/// The <c>errorType</c> values a worker reports besides the ZeroBuffer error kinds (PROTOCOL.md §6).
/// </summary>
public static class ErrorTypes
{
    public const string StepNotFound = "StepNotFound";
    public const string AmbiguousStep = "AmbiguousStep";
    public const string AssertionFailed = "AssertionFailed";
    public const string StepTimeout = "StepTimeout";

    /// <summary>The step was cancelled by a <c>$/cancelRequest</c> (or the end of the connection) before it finished.</summary>
    public const string StepCancelled = "StepCancelled";
    public const string UnhandledException = "UnhandledException";
}
