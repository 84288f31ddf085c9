using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ZeroBuffer.Diagnostics;
using ZeroBuffer.Serve.StepDefinitions.Support;
using ZeroBuffer.Serve.StepDefinitions.Support.Bench;
using ZeroBuffer.Serve.Steps;
using static ZeroBuffer.Serve.StepDefinitions.Phrases;

namespace ZeroBuffer.Serve.StepDefinitions;

/// <summary>
/// Sections 9 and 15 (features 09 and 15, tagged @benchmark): the writer role writes timed, paced or probed
/// frames in the background, the reader role measures, and both return figures in data.metrics (+ data.baseline
/// measured in the same step) as STEPS.md "Benchmarks" and BENCH-CONTRACT describe.
/// </summary>
public sealed class BenchmarkSteps(ZeroBufferContext zb, BenchmarkContext bench, ILogger<BenchmarkSteps> logger)
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromMilliseconds(5000);

    // How often the degradation step samples the OIEB at full reading speed (each sample maps the buffer anew).
    private const long SampleEveryNs = 1_000_000;

    // The utilisation series is kept at this spacing (a picture of the run, not every sample).
    private const long SeriesEveryNs = 20_000_000;

    [When(Role + "starts writing frames of size " + Count + " for " + Count + " seconds in the background")]
    public StepData StartTimedWriting(string role, int size, int seconds)
    {
        BenchFrames.CheckSize(size);
        BenchWriter work = bench.Start(BenchWriter.Timed(IdleWriter(), size, seconds, zb.Cancellation, logger));
        logger.LogInformation("Started {Work}", work.Description);
        return new StepData { ["buffer"] = work.Writer.Name, ["size"] = size, ["seconds"] = seconds };
    }

    [When(Role + "starts writing frames of size " + Count + " at " + Count + " frames per second for " + Count + " seconds in the background")]
    public StepData StartPacedWriting(string role, int size, int rate, int seconds)
    {
        BenchFrames.CheckSize(size);
        if (rate <= 0)
        {
            throw new StepAssertionException($"A paced write needs a positive rate, not {rate} frames per second.");
        }

        BenchWriter work = bench.Start(BenchWriter.Paced(IdleWriter(), size, rate, seconds, zb.Cancellation, logger));
        logger.LogInformation("Started {Work}", work.Description);
        return new StepData { ["buffer"] = work.Writer.Name, ["size"] = size, ["rate"] = rate, ["seconds"] = seconds };
    }

    [When(Role + "starts answering " + Count + " latency probes with frames of size " + Count + " in the background")]
    public StepData StartAnsweringProbes(string role, int count, int size)
    {
        BenchFrames.CheckSize(size);
        BenchWriter work = bench.Start(BenchWriter.Probes(IdleWriter(), count, size, zb.Cancellation, logger));
        logger.LogInformation("Started {Work}", work.Description);
        return new StepData { ["buffer"] = work.Writer.Name, ["count"] = count, ["size"] = size };
    }

    [Then(Role + "should finish the benchmark writing within " + Count + " ms")]
    public async Task<StepData> ShouldFinishBenchmarkWriting(string role, int milliseconds, CancellationToken ct)
    {
        BenchWriter work = bench.Current;
        Dictionary<string, double> metrics;
        try
        {
            metrics = await work.Task.WaitAsync(TimeSpan.FromMilliseconds(milliseconds), ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new StepAssertionException($"Expected the {work.Description} to finish within {milliseconds} ms, but it is still running.");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            bench.Joined(work);
            throw ErrorKinds.Background(ex, $"The {work.Description} failed");
        }

        bench.Joined(work);
        return Measured(role, work.Measurement, "writer", metrics, work.Writer.Name);
    }

    [Then(Role + "should read the timed frames of size " + Count + " measuring throughput")]
    public StepData ShouldMeasureThroughput(string role, int size, CancellationToken ct)
    {
        ReaderState state = zb.CurrentReader;
        Dictionary<string, double> metrics = ReadTimed(state, size, ct);
        bench.LastThroughput = metrics;
        return Measured(role, "throughput", "reader", metrics, state.Reader.Name, "memcpy", Baselines.Memcpy(size));
    }

    [Then(Role + "should read the timed frames of size " + Count + " measuring the wrap-around overhead against the last throughput")]
    public StepData ShouldMeasureWrapOverhead(string role, int size, CancellationToken ct)
    {
        ReaderState state = zb.CurrentReader;
        Dictionary<string, double> large = bench.LastThroughput is { } last && last["frame_bytes"] == size
            ? last
            : throw new StepAssertionException($"No throughput of {size} B frames was measured by this reader before: the wrap-around overhead compares against it.");
        Dictionary<string, double> metrics = ReadTimed(state, size, ct);
        metrics["payload_bytes"] = state.Reader.PayloadSize;
        metrics["overhead_pct"] = BenchStats.Round(100.0 * (1.0 - (metrics["gb_per_s"] / large["gb_per_s"])));
        return Measured(role, "wrap-overhead", "reader", metrics, state.Reader.Name, "large-buffer",
            new Dictionary<string, double>(StringComparer.Ordinal) { ["gb_per_s"] = large["gb_per_s"], ["frames_per_s"] = large["frames_per_s"] });
    }

    [Then(Role + "should measure the latency of " + Count + " frames of size " + Count)]
    public StepData ShouldMeasureLatency(string role, int count, int size, CancellationToken ct)
    {
        if (count == 0)
        {
            throw new StepAssertionException("A latency measurement needs at least one iteration.");
        }

        ReaderState state = zb.CurrentReader;
        string buffer = state.Reader.Name;
        using ProbeSemaphore ping = ProbeSemaphore.OpenExisting(ProbeSemaphore.PingName(buffer));
        using ProbeSemaphore pong = ProbeSemaphore.OpenExisting(ProbeSemaphore.PongName(buffer));

        // Baseline: a semaphore ping-pong with the writer's process; one way = half the round trip.
        var baseline = new long[Math.Min(count, BenchWriter.BaselinePingPongs)];
        for (int i = 0; i < baseline.Length; i++)
        {
            ct.ThrowIfCancellationRequested();
            long t0 = BenchClock.NowNs();
            ping.Post();
            if (!pong.Wait(ReadTimeout))
            {
                throw new StepAssertionException($"The writer did not answer ping {i + 1} of {baseline.Length} on '{pong.Name}' within {ReadTimeout.TotalMilliseconds:0} ms.");
            }

            baseline[i] = (BenchClock.NowNs() - t0) / 2;
        }

        var oneWay = new long[count];
        var roundTrip = new long[count];
        for (int i = 0; i < count; i++)
        {
            ct.ThrowIfCancellationRequested();
            long t0 = BenchClock.NowNs();
            ping.Post();
            using Frame frame = state.Reader.ReadFrame(ReadTimeout);
            long t1 = BenchClock.NowNs();
            ExpectFrame(frame, state, size, $"probe {i + 1} of {count}");
            oneWay[i] = t1 - BenchFrames.Stamp(frame.Span);
            roundTrip[i] = t1 - t0;
        }

        Dictionary<string, double> metrics = BenchStats.Latency(oneWay);
        foreach ((string key, double value) in BenchStats.Latency(roundTrip, "roundtrip_"))
        {
            metrics[key] = value;
        }

        metrics["frame_bytes"] = size;
        Dictionary<string, double> pingPong = BenchStats.Latency(baseline);
        pingPong["frame_bytes"] = size;
        return Measured(role, "latency", "reader", metrics, buffer, "sem-pingpong", pingPong);
    }

    [Then(Role + "should read the paced frames of size " + Count + " measuring the signalling cost")]
    public StepData ShouldMeasureSignalling(string role, int size, CancellationToken ct)
    {
        ReaderState state = zb.CurrentReader;
        var latencies = new List<long>();
        CpuMeter? cpu = null;
        long first = 0;
        long last = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            using Frame frame = state.Reader.ReadFrame(ReadTimeout);
            long now = BenchClock.NowNs();
            ExpectFrame(frame, state, size, $"paced frame {latencies.Count + 1}");
            long stamp = BenchFrames.Stamp(frame.Span);
            if (stamp == 0)
            {
                break;
            }

            cpu ??= CpuMeter.Start();
            first = first == 0 ? now : first;
            last = now;
            latencies.Add(now - stamp);
        }

        if (latencies.Count < 2)
        {
            throw new StepAssertionException($"Only {latencies.Count} paced frame(s) arrived before the end of the stream: a rate needs at least two (write for longer).");
        }

        Dictionary<string, double> stats = BenchStats.Latency(latencies);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["frame_bytes"] = size,
            ["frames"] = latencies.Count,
            ["rate_hz"] = BenchStats.Round((latencies.Count - 1) / ((last - first) / 1e9)),
            ["cpu_pct"] = BenchStats.Round(cpu!.CpuPercent()),
            ["p50_us"] = stats["p50_us"],
            ["p99_us"] = stats["p99_us"],
            ["max_us"] = stats["max_us"],
        };
        return Measured(role, "semaphore-rate", "reader", metrics, state.Reader.Name);
    }

    [Then(Role + "should use less than " + Count + " percent CPU waiting " + Count + " ms for a frame")]
    public StepData ShouldIdle(string role, int percent, int milliseconds)
    {
        ReaderState state = zb.CurrentReader;
        var cpu = CpuMeter.Start();
        long threadCpu0 = BenchClock.ThreadCpuNs();
        using (Frame frame = state.Reader.ReadFrame(TimeSpan.FromMilliseconds(milliseconds)))
        {
            if (frame.IsValid)
            {
                state.LastSequence = frame.Sequence;
                throw new StepAssertionException($"Expected '{state.Reader.Name}' to stay idle for {milliseconds} ms, but frame {frame.Sequence} arrived.");
            }
        }

        // The waiting thread's share is the claim (the library's spin before it sleeps); the process's share
        // also holds the runtime's own threads (tiered JIT, GC) and is reported beside it.
        double waiting = 100.0 * (BenchClock.ThreadCpuNs() - threadCpu0) / (cpu.ElapsedSeconds * 1e9);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["cpu_pct"] = BenchStats.Round(cpu.CpuPercent()),
            ["thread_cpu_pct"] = BenchStats.Round(waiting),
            ["seconds"] = BenchStats.Round(cpu.ElapsedSeconds),
        };
        StepData data = Measured(role, "idle-cpu", "reader", metrics, state.Reader.Name);
        return waiting < percent
            ? data
            : throw new StepAssertionException($"The reader of '{state.Reader.Name}' used {waiting:0.###} % CPU of its thread while it waited {milliseconds} ms for a frame (the process {metrics["cpu_pct"]} %); expected less than {percent} %.");
    }

    [Then(Role + "should measure the cost of a memory barrier over " + Count + " operations")]
    public StepData ShouldMeasureBarrier(string role, int operations)
    {
        if (operations == 0)
        {
            throw new StepAssertionException("A barrier measurement needs at least one operation.");
        }

        (double withBarrier, double without) = Baselines.Barrier(operations);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["operations"] = operations,
            ["ns_per_barrier"] = BenchStats.Round(withBarrier),
        };
        var baseline = new Dictionary<string, double>(StringComparer.Ordinal) { ["operations"] = operations, ["ns_per_op"] = BenchStats.Round(without) };
        return Measured(role, "barrier", "reader", metrics, null, "no-barrier", baseline);
    }

    [Then(Role + "should see the buffer degrade and recover reading frames of size " + Count + " with " + Count + " ms delay over a " + Count + " ms window")]
    public StepData ShouldDegradeAndRecover(string role, int size, int delayMs, int windowMs, CancellationToken ct)
    {
        ReaderState state = zb.CurrentReader;
        string buffer = state.Reader.Name;
        var detector = new DegradationDetector(windowMs * 1_000_000L);
        var series = new List<double[]>();
        long start = 0;
        long lastSample = 0;
        long frames = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            long stamp;
            using (Frame frame = state.Reader.ReadFrame(ReadTimeout))
            {
                ExpectFrame(frame, state, size, $"frame {frames + 1}");
                stamp = BenchFrames.Stamp(frame.Span);
            }

            if (stamp == 0)
            {
                break;
            }

            frames++;
            start = start == 0 ? stamp : start;
            long now = BenchClock.NowNs();
            bool slow = detector.DegradedAt is null;
            if (slow || now - lastSample >= SampleEveryNs)
            {
                BufferState oieb = BufferInspector.Inspect(buffer);
                double utilization = DegradationDetector.Utilization(oieb.PayloadFreeBytes, oieb.PayloadSize);
                detector.Sample(now, utilization);
                if (series.Count == 0 || now - start - (long)(series[^1][0] * 1e6) >= SeriesEveryNs)
                {
                    series.Add([BenchStats.Round((now - start) / 1e6), BenchStats.Round(100 * utilization)]);
                }

                lastSample = now;
            }

            if (slow && detector.DegradedAt is null)
            {
                Thread.Sleep(delayMs);
            }
        }

        if (detector.DegradedAt is not { } degraded)
        {
            throw new StepAssertionException($"'{buffer}' never degraded: its utilisation peaked at {100 * detector.MaxUtilization:0.#} % over {frames} frames (degraded = above 80 % for {windowMs} ms).");
        }

        if (detector.RecoveredAt is not { } recovered)
        {
            throw new StepAssertionException($"'{buffer}' degraded but did not recover before the writer stopped (recovered = at or below 80 % for {windowMs} ms).");
        }

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["frame_bytes"] = size,
            ["frames"] = frames,
            ["window_ms"] = windowMs,
            ["time_to_degrade_ms"] = BenchStats.Round((degraded - start) / 1e6),
            ["time_to_recover_ms"] = BenchStats.Round((recovered - degraded) / 1e6),
            ["max_utilization_pct"] = BenchStats.Round(100 * detector.MaxUtilization),
        };
        StepData data = Measured(role, "degradation", "reader", metrics, buffer);
        data["utilization"] = series;
        return data;
    }

    [Then(Role + "should have measured " + Name + " below " + Count)]
    public StepData ShouldHaveMeasuredBelow(string role, string metric, long bound) => CheckBound(role, metric, bound, below: true);

    [Then(Role + "should have measured " + Name + " above " + Count)]
    public StepData ShouldHaveMeasuredAbove(string role, string metric, long bound) => CheckBound(role, metric, bound, below: false);

    private StepData CheckBound(string role, string metric, long bound, bool below)
    {
        Dictionary<string, double> metrics = bench.LastMetrics(role);
        if (!metrics.TryGetValue(metric, out double value))
        {
            throw new StepAssertionException($"The last measurement of the '{role}' process has no '{metric}' (it has {string.Join(", ", metrics.Keys)}).");
        }

        if (below ? value >= bound : value <= bound)
        {
            throw new StepAssertionException($"Expected '{metric}' {(below ? "below" : "above")} {bound}, but the '{role}' process measured {value}.");
        }

        return new StepData { ["metric"] = metric, ["value"] = value, ["bound"] = bound };
    }

    private Writer IdleWriter()
    {
        Writer writer = zb.IdleWriter();
        return bench.IsBusy(writer)
            ? throw new StepAssertionException($"The writer of '{writer.Name}' is busy with benchmark writing; join it first ('should finish the benchmark writing within ...').")
            : writer;
    }

    /// <summary>Reads until the end frame: frames, rate and the reader process's CPU % from the first frame to the end.</summary>
    private static Dictionary<string, double> ReadTimed(ReaderState state, int size, CancellationToken ct)
    {
        long frames = 0;
        long first = 0;
        CpuMeter? cpu = null;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            using Frame frame = state.Reader.ReadFrame(ReadTimeout);
            ExpectFrame(frame, state, size, $"timed frame {frames + 1}");
            if (BenchFrames.Stamp(frame.Span) == 0)
            {
                break;
            }

            if (frames++ == 0)
            {
                first = BenchClock.NowNs();
                cpu = CpuMeter.Start();
            }
        }

        if (frames < 2 || cpu is null)
        {
            throw new StepAssertionException($"Only {frames} timed frame(s) arrived in '{state.Reader.Name}' before the end of the stream: too few for a rate.");
        }

        // The first frame starts the clock, so frames - 1 were read over the interval.
        Dictionary<string, double> metrics = BenchStats.Rate(frames - 1, size, (BenchClock.NowNs() - first) / 1e9);
        metrics["cpu_pct"] = BenchStats.Round(cpu.CpuPercent());
        return metrics;
    }

    private static void ExpectFrame(in Frame frame, ReaderState state, int size, string what)
    {
        if (!frame.IsValid)
        {
            throw new StepAssertionException($"No {what} arrived in '{state.Reader.Name}' within {ReadTimeout.TotalMilliseconds:0} ms.");
        }

        state.LastSequence = frame.Sequence;
        if (frame.Size != size)
        {
            throw new StepAssertionException($"The {what} in '{state.Reader.Name}' has {frame.Size} B, expected {size} B.");
        }
    }

    private StepData Measured(string role, string measurement, string side, Dictionary<string, double> metrics, string? buffer, string? baselineName = null, Dictionary<string, double>? baseline = null)
    {
        bench.Record(role, metrics);
        logger.LogInformation("{Measurement} ({Side}): {Metrics}", measurement, side, string.Join(", ", metrics.Select(m => $"{m.Key}={m.Value}")));
        var data = new StepData { ["measurement"] = measurement, ["side"] = side, ["metrics"] = metrics };
        if (buffer is not null)
        {
            data["buffer"] = buffer;
        }

        if (baselineName is not null && baseline is not null)
        {
            data["baselineName"] = baselineName;
            data["baseline"] = baseline;
        }

        return data;
    }
}
