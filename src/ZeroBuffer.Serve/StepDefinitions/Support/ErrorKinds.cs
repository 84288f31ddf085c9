using Harmony.Protocol.Messages;
using ZeroBuffer.Serve.Steps;

namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>Library exceptions → their PROTOCOL.md §6 kind, the <c>errorType</c> a step reports.</summary>
public sealed class ZeroBufferErrorClassifier : IStepErrorClassifier
{
    public string? Classify(Exception exception) => exception is ZeroBufferException ? ErrorKinds.Of(exception) : null;
}

public static class ErrorKinds
{
    /// <summary>The exception's kind: <see cref="ZeroBufferException.Kind"/>, else the type name without "Exception".</summary>
    public static string Of(Exception exception)
    {
        if (exception is ZeroBufferException zb && !string.IsNullOrEmpty(zb.Kind))
        {
            return zb.Kind;
        }

        string name = exception.GetType().Name;
        return name.EndsWith("Exception", StringComparison.Ordinal) && name.Length > "Exception".Length
            ? name[..^"Exception".Length]
            : name;
    }

    /// <summary>Runs an operation that must fail with <paramref name="expectedKind"/>; returns the facts of that failure.</summary>
    /// <exception cref="StepAssertionException">It succeeded, or failed with another kind.</exception>
    public static StepData ExpectFailure(string expectedKind, string operation, Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex) when (ex is not StepAssertionException and not OperationCanceledException)
        {
            string actual = Of(ex);
            if (actual != expectedKind)
            {
                throw new StepAssertionException($"Expected {operation} to fail with '{expectedKind}', but it failed with '{actual}': {ex.Message}");
            }

            return new StepData { ["errorType"] = actual, ["message"] = ex.Message };
        }

        throw new StepAssertionException($"Expected {operation} to fail with '{expectedKind}', but it succeeded.");
    }

    /// <summary>A failure of background work, reported with the work's own kind.</summary>
    public static StepFailureException Background(Exception ex, string what) =>
        new(ex switch
            {
                ZeroBufferException => Of(ex),
                StepAssertionException => ErrorTypes.AssertionFailed,
                _ => ErrorTypes.UnhandledException,
            },
            ex is ZeroBufferException or StepAssertionException ? $"{what}: {ex.Message}" : $"{what}: {ex.GetType().Name}: {ex.Message}",
            ex);
}
