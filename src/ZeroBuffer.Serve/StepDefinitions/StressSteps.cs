using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ZeroBuffer.Diagnostics;
using ZeroBuffer.Serve.StepDefinitions.Support;
using ZeroBuffer.Serve.Steps;
using static ZeroBuffer.Serve.StepDefinitions.Phrases;

namespace ZeroBuffer.Serve.StepDefinitions;

/// <summary>
/// Stress (feature 12): a long write-read run, buffers until the system refuses one, a buffer created
/// and destroyed over and over under a connecting writer, and this process's memory and descriptors
/// staying flat through each.
/// </summary>
public sealed class StressSteps(StressContext stress, ZeroBufferContext context, ILogger<StressSteps> logger)
{
    /// <summary>The config of the buffers the limit and cycle steps create (STEPS.md).</summary>
    private const int SmallMetadataSize = 1024;
    private const int SmallPayloadSize = 10240;

    /// <summary>A background loop asked to stop must end within this (longer than the default write timeout).</summary>
    private static readonly TimeSpan StopWithin = TimeSpan.FromSeconds(10);

    /// <summary>A created and destroyed buffer is held this long, so a connecting writer can meet it.</summary>
    private static readonly TimeSpan CycleHold = TimeSpan.FromMilliseconds(1);

    /// <summary>The longest the baseline waits for the JIT to finish warming up.</summary>
    private static readonly TimeSpan JitWarmUpAtMost = TimeSpan.FromSeconds(15);

    [When(Role + "records its resource usage")]
    public async Task<StepData> RecordResources(string role, CancellationToken ct)
    {
        if (!await JitQuiescence.WaitAsync(JitWarmUpAtMost, ct).ConfigureAwait(false))
        {
            logger.LogWarning("The JIT was still compiling after {Seconds} s: the baseline may count its code as growth", JitWarmUpAtMost.TotalSeconds);
        }

        ResourceSample sample = ResourceSample.Now();
        stress.Record(role, sample);
        logger.LogInformation("Resource baseline: RSS {Rss} KiB, {Fds} descriptors", sample.RssKib, sample.Fds);
        return new StepData { ["metrics"] = new Dictionary<string, double> { ["rss_kib"] = sample.RssKib, ["fds"] = sample.Fds } };
    }

    [Then(Role + "should have kept its resource usage flat")]
    public StepData ShouldHaveKeptResourcesFlat(string role)
    {
        ResourceSample start = stress.Baseline(role);
        ResourceSample end = ResourceSample.Now();
        var data = new StepData
        {
            ["metrics"] = new Dictionary<string, double>
            {
                ["rss_start_kib"] = start.RssKib,
                ["rss_end_kib"] = end.RssKib,
                ["rss_growth_kib"] = end.RssKib - start.RssKib,
                ["rss_allowed_growth_kib"] = start.AllowedGrowthKib,
                ["fds_start"] = start.Fds,
                ["fds_end"] = end.Fds,
                // The collector's own share of RSS (committed heap), to tell its retention from a native leak.
                ["gc_committed_kib"] = GC.GetGCMemoryInfo().TotalCommittedBytes / 1024,
            },
        };
        IReadOnlyList<string> problems = start.ProblemsAt(end);
        if (problems.Count > 0)
        {
            throw new StepAssertionException($"The '{role}' process did not stay flat: {string.Join("; ", problems)}.");
        }

        return data;
    }

    [When(Role + "starts writing frames with size " + Count + " continuously in the background")]
    public StepData StartWritingContinuously(string role, int size)
    {
        Writer writer = context.IdleWriter();
        var write = ContinuousWrite.Start(writer, size, stress.Cancellation, stress.Logger<ContinuousWrite>());
        stress.Add(write);
        return new StepData { ["buffer"] = write.Buffer, ["size"] = size };
    }

    [Then(Role + "stops writing continuously without error")]
    public async Task<StepData> StopWritingContinuously(string role, CancellationToken ct)
    {
        ContinuousWrite write = stress.LatestWrite();
        write.RequestStop();
        ContinuousWriteResult result = await Join(write.Task, write.Describe(), ct).ConfigureAwait(false);
        stress.Forget(write);
        return new StepData
        {
            ["buffer"] = write.Buffer,
            ["lastSequence"] = result.LastSequence,
            ["metrics"] = RunMetrics(result.Frames, result.Elapsed),
        };
    }

    [When(Role + "starts reading frames with size " + Count + " continuously in the background")]
    public StepData StartReadingContinuously(string role, int size)
    {
        var read = ContinuousRead.Start(context.CurrentReader, size, stress.Cancellation, stress.Logger<ContinuousRead>());
        stress.Add(read);
        return new StepData { ["buffer"] = read.Buffer, ["size"] = size };
    }

    [Then(Role + "stops reading continuously and should have read every written frame in order")]
    public async Task<StepData> StopReadingContinuously(string role, CancellationToken ct)
    {
        ContinuousRead read = stress.LatestRead();
        read.RequestStop();
        ContinuousReadResult result = await Join(read.Task, read.Describe(), ct).ConfigureAwait(false);
        stress.Forget(read);
        if (result.Frames == 0)
        {
            throw new StepAssertionException($"The continuous read of '{read.Buffer}' read no frame.");
        }

        // Every frame and wrap marker the writer counted was consumed: nothing was skipped or left.
        BufferState oieb = BufferInspector.Inspect(read.Buffer);
        if (oieb.PayloadWrittenCount != oieb.PayloadReadCount)
        {
            throw new StepAssertionException($"Buffer '{read.Buffer}': after {result.Frames} frames the OIEB has written count {oieb.PayloadWrittenCount} but read count {oieb.PayloadReadCount}.");
        }

        return new StepData
        {
            ["buffer"] = read.Buffer,
            ["lastSequence"] = result.LastSequence,
            ["metrics"] = RunMetrics(result.Frames, result.Elapsed),
        };
    }

    [When(Role + "creates buffers " + Name + " until one fails with " + Kind + " under an open-file limit of " + Count + " more descriptors")]
    public StepData CreateBuffersUntilRefused(string role, string name, string kind, int spare)
    {
        int open = ResourceSample.Now().Fds;
        int created = 0;
        string? refusal = null;
        string refusedName = "";
        using (OpenFileLimit limit = OpenFileLimit.Lower((ulong)(open + spare)))
        {
            // Every buffer holds at least one descriptor: no more than the limit can be made.
            for (ulong i = 1; i <= limit.Soft + 1 && refusal is null; i++)
            {
                refusedName = $"{name}-{i}";
                try
                {
                    context.CreateReader(refusedName, SmallMetadataSize, SmallPayloadSize, role);
                    created++;
                }
                catch (ZeroBufferException ex)
                {
                    refusal = ErrorKinds.Of(ex);
                    if (refusal != kind)
                    {
                        throw new StepAssertionException($"Expected creating buffer '{context.Qualify(refusedName)}' under an open-file limit of {limit.Soft} to fail with '{kind}', but it failed with '{refusal}': {ex.Message}");
                    }

                    logger.LogInformation("Buffer {Number} refused under an open-file limit of {Limit}: {Message}", i, limit.Soft, ex.Message);
                }
            }

            if (refusal is null)
            {
                throw new StepAssertionException($"Created {created} buffers '{context.Qualify(name)}-<n>' under an open-file limit of {limit.Soft} ({open} open before) and none was refused.");
            }
        }

        // A refused create undoes what it did (PROTOCOL.md §5): no half-made buffer is left.
        string qualified = context.Qualify(refusedName);
        string[] left = BufferObjectFiles.Of(qualified).Where(f => f.Exists).Select(f => f.Path).ToArray();
        if (left.Length > 0)
        {
            throw new StepAssertionException($"The refused buffer '{qualified}' left {string.Join(", ", left)}.");
        }

        return new StepData
        {
            ["buffer"] = qualified,
            ["errorType"] = refusal,
            ["metrics"] = new Dictionary<string, double> { ["buffers"] = created, ["fds_open_before"] = open, ["fd_limit"] = open + spare },
        };
    }

    [When(Role + "closes all its readers")]
    public StepData CloseAllReaders(string role)
    {
        IReadOnlyList<string> closed = context.CloseAllReaders();
        logger.LogInformation("Closed {Count} readers", closed.Count);
        return new StepData { ["count"] = closed.Count };
    }

    [When(Role + "starts connecting to buffer " + Name + " over and over in the background")]
    public StepData StartConnecting(string role, string name)
    {
        var loop = ConnectAttempts.Start(context.Qualify(name), stress.Cancellation, stress.Logger<ConnectAttempts>());
        stress.Add(loop);
        return new StepData { ["buffer"] = loop.Buffer };
    }

    [Then(Role + "stops connecting and should have seen only connections and clean refusals")]
    public async Task<StepData> StopConnecting(string role, CancellationToken ct)
    {
        ConnectAttempts loop = stress.LatestConnects();
        loop.RequestStop();
        ConnectTally tally = await Join(loop.Task, loop.Describe(), ct).ConfigureAwait(false);
        stress.Forget(loop);
        int refused = tally.Refused.Values.Sum();
        var metrics = new Dictionary<string, double> { ["attempts"] = tally.Attempts, ["connects"] = tally.Connected };
        foreach ((string kind, int count) in tally.Refused)
        {
            metrics[$"refused_{kind}"] = count;
        }

        var data = new StepData { ["buffer"] = loop.Buffer, ["metrics"] = metrics };
        if (tally.Failures.Count > 0)
        {
            throw new StepAssertionException($"{tally.Failures.Count} of {tally.Attempts} attempts to connect to '{loop.Buffer}' ended otherwise than connected, {string.Join(" or ", ConnectAttempts.CleanRefusals)}: {string.Join("; ", tally.Failures.Take(5))}.");
        }

        if (tally.Connected == 0 || refused == 0)
        {
            throw new StepAssertionException($"The writer never met the buffer in transition: {tally.Connected} connections and {refused} refusals in {tally.Attempts} attempts to connect to '{loop.Buffer}' (at least one of each expected).");
        }

        return data;
    }

    [When(Role + "creates and destroys buffer " + Name + " " + Count + " times")]
    public StepData CreateAndDestroy(string role, string name, int cycles, CancellationToken ct)
    {
        string qualified = context.Qualify(name);
        var clock = Stopwatch.StartNew();
        for (int cycle = 1; cycle <= cycles; cycle++)
        {
            ct.ThrowIfCancellationRequested();
            using (new Reader(qualified, new BufferConfig(SmallMetadataSize, SmallPayloadSize)))
            {
                Thread.Sleep(CycleHold);
            }

            // A graceful close removes all four objects, whoever was connecting meanwhile.
            string[] left = BufferObjectFiles.Of(qualified).Where(f => f.Exists).Select(f => f.Path).ToArray();
            if (left.Length > 0)
            {
                throw new StepAssertionException($"Cycle {cycle} of {cycles}: closing buffer '{qualified}' left {string.Join(", ", left)}.");
            }
        }

        clock.Stop();
        return new StepData
        {
            ["buffer"] = qualified,
            ["cycles"] = cycles,
            [Elapsed.Key] = Elapsed.Milliseconds(clock),
            ["metrics"] = new Dictionary<string, double> { ["cycles"] = cycles, ["cycles_per_s"] = Math.Round(cycles / clock.Elapsed.TotalSeconds, 1) },
        };
    }

    private static Dictionary<string, double> RunMetrics(long frames, TimeSpan elapsed) => new()
    {
        ["frames"] = frames,
        ["duration_s"] = Math.Round(elapsed.TotalSeconds, 3),
        ["frames_per_s"] = Math.Round(frames / Math.Max(elapsed.TotalSeconds, 1e-9), 1),
    };

    /// <summary>Joins a loop asked to stop: its result, or its error reported with its own kind.</summary>
    private static async Task<T> Join<T>(Task<T> task, string what, CancellationToken ct)
    {
        try
        {
            return await task.WaitAsync(StopWithin, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new StepAssertionException($"The {what} did not stop within {StopWithin.TotalSeconds:0} s of being asked.");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            throw ErrorKinds.Background(ex, $"The {what} failed");
        }
    }
}
