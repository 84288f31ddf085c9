using Microsoft.Extensions.Logging;
using ZeroBuffer.Serve.StepDefinitions.Support;
using ZeroBuffer.Serve.Steps;
using static ZeroBuffer.Serve.StepDefinitions.Phrases;

namespace ZeroBuffer.Serve.StepDefinitions;

/// <summary>
/// Writes that must overlap with the reader's steps (a writer blocked on a full buffer): started in
/// the background, checked and joined by later steps of the same worker, or by cleanup.
/// </summary>
public sealed class BackgroundWritingSteps(ZeroBufferContext context, ILogger<BackgroundWritingSteps> logger)
{
    [When(Role + "starts writing " + Count + " frames with size " + Int + " in the background")]
    public StepData StartWriting(string role, int count, int size)
    {
        BackgroundWrite work = context.StartBackground(count, size);
        logger.LogInformation("Started {Work}", work.Describe());
        return new StepData { ["buffer"] = work.Writer.Name, ["count"] = count, ["size"] = size };
    }

    [Then(Role + "should still be writing after " + Count + " ms")]
    public async Task<StepData> ShouldStillBeWriting(string role, int milliseconds, CancellationToken ct)
    {
        BackgroundWrite work = context.CurrentBackground;
        await Task.WhenAny(work.Task, Task.Delay(milliseconds, ct)).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        if (work.Task.IsCompleted)
        {
            string ending = work.Task.Exception?.InnerException is { } error
                ? $"stopped with {ErrorKinds.Of(error)}: {error.Message}"
                : "finished";
            throw new StepAssertionException(
                $"Expected the {work.Describe()} to still be writing after {milliseconds} ms, but it {ending} after {work.Elapsed.TotalMilliseconds:0} ms.");
        }

        return new StepData { ["buffer"] = work.Writer.Name, ["written"] = work.Written, ["count"] = work.Count };
    }

    [Then(Role + "should finish writing within " + Count + " ms")]
    public async Task<StepData> ShouldFinishWriting(string role, int milliseconds, CancellationToken ct)
    {
        BackgroundWrite work = context.CurrentBackground;
        try
        {
            await work.Task.WaitAsync(TimeSpan.FromMilliseconds(milliseconds), ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new StepAssertionException($"Expected the {work.Describe()} to finish within {milliseconds} ms, but it is still writing.");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            context.Joined(work);
            throw ErrorKinds.Background(ex, $"The {work.Describe()} failed");
        }

        context.Joined(work);
        if (work.Written != work.Count)
        {
            throw new StepAssertionException($"The {work.Describe()} ended after {work.Written} of {work.Count} frames.");
        }

        logger.LogInformation("Joined {Work} after {Elapsed} ms", work.Describe(), (long)work.Elapsed.TotalMilliseconds);
        return new StepData
        {
            ["buffer"] = work.Writer.Name,
            ["count"] = work.Count,
            ["lastSequence"] = work.LastSequence,
            ["elapsedMs"] = Math.Round(work.Elapsed.TotalMilliseconds, 1),
        };
    }
}
