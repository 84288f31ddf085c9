using System.Diagnostics;
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
        var clock = Stopwatch.StartNew();
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

        return new StepData { ["buffer"] = work.Writer.Name, ["written"] = work.Written, ["count"] = work.Count, [Elapsed.Key] = Elapsed.Milliseconds(clock) };
    }

    [Then(Role + "should finish writing within " + Count + " ms")]
    public async Task<StepData> ShouldFinishWriting(string role, int milliseconds, CancellationToken ct)
    {
        BackgroundWrite work = context.CurrentBackground;
        if (await JoinAsync(work, milliseconds, "finish", ct).ConfigureAwait(false) is { } error)
        {
            throw ErrorKinds.Background(error, $"The {work.Describe()} failed");
        }

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
            [Elapsed.Key] = Elapsed.Milliseconds(work.Elapsed),
        };
    }

    [Then(Role + "should stop writing with " + Kind + " within " + Count + " ms")]
    public async Task<StepData> ShouldStopWriting(string role, string kind, int milliseconds, CancellationToken ct)
    {
        BackgroundWrite work = context.CurrentBackground;
        var clock = Stopwatch.StartNew();
        if (await JoinAsync(work, milliseconds, $"stop with '{kind}'", ct).ConfigureAwait(false) is not { } error)
        {
            throw new StepAssertionException($"Expected the {work.Describe()} to stop with '{kind}', but it finished all {work.Count} frames.");
        }

        string actual = ErrorKinds.Of(error);
        if (actual != kind)
        {
            throw new StepAssertionException($"Expected the {work.Describe()} to stop with '{kind}', but it stopped with '{actual}': {error.Message}");
        }

        logger.LogInformation("The {Work} stopped with {Kind} as expected", work.Describe(), kind);
        return new StepData { ["buffer"] = work.Writer.Name, ["written"] = work.Written, ["errorType"] = actual, [Elapsed.Key] = Elapsed.Milliseconds(clock) };
    }

    /// <summary>
    /// Waits for the work to end and marks it joined; returns the error it ended with (null: it
    /// finished). Still running after <paramref name="milliseconds"/> fails the step.
    /// </summary>
    private async Task<Exception?> JoinAsync(BackgroundWrite work, int milliseconds, string expectation, CancellationToken ct)
    {
        try
        {
            await work.Task.WaitAsync(TimeSpan.FromMilliseconds(milliseconds), ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new StepAssertionException($"Expected the {work.Describe()} to {expectation} within {milliseconds} ms, but it is still writing.");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            context.Joined(work);
            return ex;
        }

        context.Joined(work);
        return null;
    }
}
