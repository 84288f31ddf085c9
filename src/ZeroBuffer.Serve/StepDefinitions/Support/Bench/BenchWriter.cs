using Microsoft.Extensions.Logging;

namespace ZeroBuffer.Serve.StepDefinitions.Support.Bench;

/// <summary>
/// The writer side of a benchmark (STEPS.md "Benchmarks"), on a dedicated thread so the reader's step can
/// run meanwhile: timed (as fast as it can for a duration), paced (at a rate for a duration; a late frame
/// does not make the next one early) or answering latency probes. It ends with its own figures (frames,
/// rate, CPU % of this process over its run), reported by the step that joins it.
/// </summary>
public sealed class BenchWriter
{
    /// <summary>The semaphore ping-pong baseline of a latency measurement: this many round trips at most (STEPS.md).</summary>
    public const int BaselinePingPongs = 1000;

    /// <summary>How long a probe answerer waits for the next probe before it gives up.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    // Sleep while the next frame is further away than this; closer, spin (sleep overshoots by ~60 µs).
    private const long SpinBelowNs = 200_000;

    private readonly CancellationTokenSource _cancellation;

    private BenchWriter(Writer writer, string measurement, string description, Func<CancellationToken, Dictionary<string, double>> body, CancellationToken scenario, ILogger logger)
    {
        Writer = writer;
        Measurement = measurement;
        Description = description;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(scenario);
        CancellationToken token = _cancellation.Token;
        Task = System.Threading.Tasks.Task.Factory.StartNew(
            () =>
            {
                try
                {
                    return body(token);
                }
                catch (Exception ex)
                {
                    logger.LogInformation("Benchmark writer: {What} stopped: {Error}", description, ex.Message);
                    throw;
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    public Writer Writer { get; }

    /// <summary>The BENCH-CONTRACT measurement its figures belong to.</summary>
    public string Measurement { get; }

    public string Description { get; }

    public Task<Dictionary<string, double>> Task { get; }

    public void Cancel() => _cancellation.Cancel();

    public static BenchWriter Timed(Writer writer, int size, double seconds, CancellationToken scenario, ILogger logger) =>
        new(writer, "throughput", $"timed write of {size} B frames for {seconds} s to '{writer.Name}'", token =>
        {
            byte[] source = BenchFrames.Source(size);
            var cpu = CpuMeter.Start();
            long end = BenchClock.NowNs() + (long)(seconds * 1e9);
            long frames = 0;
            long now;
            while ((now = BenchClock.NowNs()) < end)
            {
                token.ThrowIfCancellationRequested();
                BenchFrames.Write(writer, source, now);
                frames++;
            }

            BenchFrames.WriteEnd(writer, source);
            return Finish(BenchStats.Rate(frames, size, cpu.ElapsedSeconds), cpu);
        }, scenario, logger);

    public static BenchWriter Paced(Writer writer, int size, int rate, double seconds, CancellationToken scenario, ILogger logger) =>
        new(writer, "semaphore-rate", $"paced write of {size} B frames at {rate}/s for {seconds} s to '{writer.Name}'", token =>
        {
            byte[] source = BenchFrames.Source(size);
            var cpu = CpuMeter.Start();
            long interval = 1_000_000_000L / Math.Max(rate, 1);
            long start = BenchClock.NowNs();
            long end = start + (long)(seconds * 1e9);
            long next = start;
            long frames = 0;
            while (next < end)
            {
                token.ThrowIfCancellationRequested();
                WaitUntil(next, token);
                long now = BenchClock.NowNs();
                BenchFrames.Write(writer, source, now);
                frames++;
                next = Math.Max(next + interval, now);
            }

            BenchFrames.WriteEnd(writer, source);
            double elapsed = cpu.ElapsedSeconds;
            Dictionary<string, double> metrics = Finish(BenchStats.Rate(frames, size, elapsed), cpu);
            metrics["target_hz"] = rate;
            metrics["rate_hz"] = BenchStats.Round(frames / elapsed);
            return metrics;
        }, scenario, logger);

    /// <summary>
    /// Answers probes on the pair named after the buffer (created here, unlinked when the work ends): the first
    /// min(count, <see cref="BaselinePingPongs"/>) with a pong (the reader's semaphore ping-pong baseline), the next count with a frame.
    /// </summary>
    public static BenchWriter Probes(Writer writer, int count, int size, CancellationToken scenario, ILogger logger)
    {
        string pingName = ProbeSemaphore.PingName(writer.Name);
        string pongName = ProbeSemaphore.PongName(writer.Name);
        ProbeSemaphore ping = ProbeSemaphore.Create(pingName);
        ProbeSemaphore pong;
        try
        {
            pong = ProbeSemaphore.Create(pongName);
        }
        catch
        {
            ping.Dispose();
            ProbeSemaphore.Unlink(pingName);
            throw;
        }

        return new(writer, "latency", $"answering {count} latency probes with {size} B frames in '{writer.Name}'", token =>
        {
            try
            {
                byte[] source = BenchFrames.Source(size);
                var cpu = CpuMeter.Start();
                int pongs = Math.Min(count, BaselinePingPongs);
                for (int i = 0; i < pongs + count; i++)
                {
                    if (!WaitForProbe(ping, token))
                    {
                        throw new TimeoutException($"No latency probe {i + 1} of {pongs + count} on '{pingName}' within {ProbeTimeout.TotalMilliseconds:0} ms.");
                    }

                    if (i < pongs)
                    {
                        pong.Post();
                    }
                    else
                    {
                        BenchFrames.Write(writer, source, BenchClock.NowNs());
                    }
                }

                return Finish(new Dictionary<string, double>(StringComparer.Ordinal) { ["frame_bytes"] = size, ["frames"] = count, ["seconds"] = BenchStats.Round(cpu.ElapsedSeconds) }, cpu);
            }
            finally
            {
                ping.Dispose();
                pong.Dispose();
                ProbeSemaphore.Unlink(pingName);
                ProbeSemaphore.Unlink(pongName);
            }
        }, scenario, logger);
    }

    private static bool WaitForProbe(ProbeSemaphore ping, CancellationToken token)
    {
        // In slices, so cancellation (cleanup) ends the wait soon.
        long deadline = BenchClock.NowNs() + (long)(ProbeTimeout.TotalMilliseconds * 1e6);
        while (BenchClock.NowNs() < deadline)
        {
            token.ThrowIfCancellationRequested();
            if (ping.Wait(TimeSpan.FromMilliseconds(50)))
            {
                return true;
            }
        }

        return false;
    }

    private static void WaitUntil(long deadline, CancellationToken token)
    {
        long remaining;
        while ((remaining = deadline - BenchClock.NowNs()) > 0)
        {
            token.ThrowIfCancellationRequested();
            if (remaining > SpinBelowNs)
            {
                // At most 50 ms at a time, so cancellation (cleanup) is seen soon.
                long until = BenchClock.NowNs() + Math.Min(remaining - SpinBelowNs, 50_000_000);
                var at = new BenchInterop.Timespec { Seconds = until / 1_000_000_000, Nanoseconds = until % 1_000_000_000 };
                BenchInterop.ClockNanosleep(BenchInterop.ClockMonotonic, BenchInterop.TimerAbsTime, at, 0);
            }
            else
            {
                Thread.SpinWait(20);
            }
        }
    }

    private static Dictionary<string, double> Finish(Dictionary<string, double> metrics, CpuMeter cpu)
    {
        metrics["cpu_pct"] = BenchStats.Round(cpu.CpuPercent());
        return metrics;
    }
}
