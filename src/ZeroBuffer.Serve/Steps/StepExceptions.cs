using Harmony.Protocol.Messages;

namespace ZeroBuffer.Serve.Steps;

/// <summary>What a step asserted did not hold: reported as <c>AssertionFailed</c>.</summary>
public sealed class StepAssertionException(string message) : Exception(message);

/// <summary>A step failure with an explicit <c>errorType</c> (e.g. a background job's library error kind).</summary>
public sealed class StepFailureException(string errorType, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public string ErrorType { get; } = errorType;
}

/// <summary>A captured value or multiline argument does not fit the step method.</summary>
public sealed class StepArgumentException(string message) : Exception(message);

/// <summary>
/// Maps exceptions a step threw to an <c>errorType</c>; the step definitions register one for
/// their library's errors. Returns null for exceptions it does not know.
/// </summary>
public interface IStepErrorClassifier
{
    string? Classify(Exception exception);
}

/// <summary>The classification every step shares, before and after the registered classifiers.</summary>
internal static class StepErrorTypes
{
    public static string? Builtin(Exception exception) => exception switch
    {
        StepFailureException failure => failure.ErrorType,
        StepAssertionException => ErrorTypes.AssertionFailed,
        _ => null,
    };
}
