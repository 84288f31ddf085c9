using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ZeroBuffer.Diagnostics;
using ZeroBuffer.Serve.StepDefinitions.Support;
using ZeroBuffer.Serve.Steps;
using static ZeroBuffer.Serve.StepDefinitions.Phrases;

namespace ZeroBuffer.Serve.StepDefinitions;

/// <summary>How the writer and the reader wait for each other (feature 06): a blocked writer, pending signals.</summary>
public sealed class SynchronizationSteps(ZeroBufferContext context, ILogger<SynchronizationSteps> logger)
{
    /// <summary>How long the background work may take to reach the frames it is expected to block after (STEPS.md polling).</summary>
    private static readonly TimeSpan ReachWithin = TimeSpan.FromMilliseconds(2000);

    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(10);

    [Then(Role + "should be blocked with " + Count + " frames written for " + Count + " ms")]
    public async Task<StepData> ShouldBeBlocked(string role, int frames, int milliseconds, CancellationToken ct)
    {
        BackgroundWrite work = context.CurrentBackground;
        var clock = Stopwatch.StartNew();
        while (work.Written < frames && !work.Task.IsCompleted && clock.Elapsed < ReachWithin)
        {
            await Task.Delay(PollEvery, ct).ConfigureAwait(false);
        }

        ExpectStillBlocked(work, frames, $"within {ReachWithin.TotalMilliseconds:0} ms");
        var blocked = Stopwatch.StartNew();
        while (blocked.ElapsedMilliseconds < milliseconds)
        {
            await Task.Delay(PollEvery, ct).ConfigureAwait(false);
            ExpectStillBlocked(work, frames, $"{blocked.ElapsedMilliseconds} ms after it got there");
        }

        logger.LogInformation("The {Work} stayed blocked after {Frames} frames for {Ms} ms", work.Describe(), frames, milliseconds);
        return new StepData
        {
            ["buffer"] = work.Writer.Name,
            ["written"] = work.Written,
            ["blockedMs"] = Elapsed.Milliseconds(blocked),
            [Elapsed.Key] = Elapsed.Milliseconds(clock),
        };
    }

    [Then(Role + "should see " + Count + " unread frames and as many frame signals pending")]
    public StepData ShouldSeeUnreadFramesSignalled(string role, ulong expected)
    {
        string buffer = context.CurrentBuffer;
        BufferState state = BufferInspector.Inspect(buffer);
        ulong unread = state.PayloadWrittenCount - state.PayloadReadCount;
        int signals = BufferInspector.SemaphoreValue(buffer, written: true);
        if (unread != expected || signals < 0 || (ulong)signals != expected)
        {
            throw new StepAssertionException(
                $"Expected {expected} unread frames in '{buffer}' and as many frame (sem-w) signals pending, but the OIEB counts {unread} unread (written {state.PayloadWrittenCount}, read {state.PayloadReadCount}) and the semaphore's value is {signals}.");
        }

        return new StepData { ["buffer"] = buffer, ["unread"] = unread, ["pending"] = signals };
    }

    /// <exception cref="StepAssertionException">The work ended, or has written another number of frames.</exception>
    private static void ExpectStillBlocked(BackgroundWrite work, int frames, string when)
    {
        int written = work.Written;
        if (work.Task.IsCompleted)
        {
            string ending = work.Task.Exception?.InnerException is { } error ? $"stopped with {ErrorKinds.Of(error)}: {error.Message}" : "finished";
            throw new StepAssertionException($"Expected the {work.Describe()} to be blocked after {frames} frames, but it {ending} ({when}).");
        }

        if (written != frames)
        {
            throw new StepAssertionException($"Expected the {work.Describe()} to be blocked after {frames} frames, but it has written {written} ({when}).");
        }
    }
}
