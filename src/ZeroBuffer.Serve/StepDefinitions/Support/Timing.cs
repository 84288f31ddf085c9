using ZeroBuffer.Serve.Steps;

namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>The timing claims of the "… after waiting" / "… after the write timeout" phrases (STEPS.md).</summary>
public static class Timing
{
    /// <summary>How far past its timeout a call may end on a loaded machine and still count as having waited for it.</summary>
    public const double LateToleranceMs = 3000;

    /// <summary>The call must have waited its whole timeout, and not much longer.</summary>
    /// <exception cref="StepAssertionException">It ended before the timeout, or more than <see cref="LateToleranceMs"/> after it.</exception>
    public static void ExpectWaited(string what, double elapsedMs, double timeoutMs)
    {
        if (elapsedMs < timeoutMs)
        {
            throw new StepAssertionException($"{what} after {elapsedMs:0} ms, before its {timeoutMs:0} ms timeout: it did not wait.");
        }

        if (elapsedMs > timeoutMs + LateToleranceMs)
        {
            throw new StepAssertionException($"{what} after {elapsedMs:0} ms, more than {LateToleranceMs:0} ms past its {timeoutMs:0} ms timeout.");
        }
    }
}
