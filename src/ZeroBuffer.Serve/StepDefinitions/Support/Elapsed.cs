using System.Diagnostics;

namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>The <c>elapsedMs</c> every step that reads, writes, waits or polls reports (STEPS.md).</summary>
public static class Elapsed
{
    public const string Key = "elapsedMs";

    public static double Milliseconds(Stopwatch clock) => Math.Round(clock.Elapsed.TotalMilliseconds, 1);

    public static double Milliseconds(TimeSpan elapsed) => Math.Round(elapsed.TotalMilliseconds, 1);
}
