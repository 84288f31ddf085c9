using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ZeroBuffer.Serve.StepDefinitions.Support;
using ZeroBuffer.Serve.Steps;
using static ZeroBuffer.Serve.StepDefinitions.Phrases;

namespace ZeroBuffer.Serve.StepDefinitions;

/// <summary>
/// A read that must be blocked while another step happens (a writer killed while the reader waits for
/// data, Test 10.5): started in the background, joined by a later step of the same worker, or by cleanup.
/// </summary>
public sealed class BackgroundReadingSteps(ZeroBufferContext context, ILogger<BackgroundReadingSteps> logger)
{
    [When(Role + "starts reading a frame in the background with timeout " + Count + " ms")]
    public StepData StartReading(string role, int milliseconds)
    {
        BackgroundRead work = context.StartBackgroundRead(TimeSpan.FromMilliseconds(milliseconds));
        logger.LogInformation("Started {Work}", work.Describe());
        return new StepData { ["buffer"] = work.Reader.Name, ["timeoutMs"] = milliseconds };
    }

    [Then(Role + "should stop reading with " + Kind + " after at least " + Count + " ms and within " + Count + " ms")]
    public async Task<StepData> ShouldStopReading(string role, string kind, int minimumMs, int withinMs, CancellationToken ct)
    {
        BackgroundRead work = context.CurrentBackgroundRead;
        var clock = Stopwatch.StartNew();
        try
        {
            await work.Task.WaitAsync(TimeSpan.FromMilliseconds(withinMs), ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new StepAssertionException($"Expected the {work.Describe()} to stop with '{kind}' within {withinMs} ms, but it is still reading after {Elapsed.Milliseconds(clock):0} ms.");
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // Its error is checked below.
        }

        context.Joined(work);
        if (work.Task.Exception?.InnerException is not { } error || ErrorKinds.Of(error) != kind)
        {
            throw new StepAssertionException($"Expected the {work.Describe()} to stop with '{kind}', but it {work.Outcome()}.");
        }

        double elapsed = Elapsed.Milliseconds(work.Elapsed);
        if (elapsed < minimumMs)
        {
            throw new StepAssertionException($"The {work.Describe()} stopped with '{kind}' after {elapsed:0} ms, before {minimumMs} ms: it did not wait.");
        }

        logger.LogInformation("The {Work} stopped with {Kind} after {Elapsed} ms as expected", work.Describe(), kind, elapsed);
        return new StepData { ["buffer"] = work.Reader.Name, ["errorType"] = kind, [Elapsed.Key] = elapsed };
    }
}
