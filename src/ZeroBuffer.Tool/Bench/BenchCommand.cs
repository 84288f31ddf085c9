using System.Diagnostics;
using System.Runtime.InteropServices;
using ZeroBuffer.DuplexChannel;
using ZeroBuffer.Tool.Bench.Measures;
using ZeroBuffer.Tool.Bench.Reporting;
using ZeroBuffer.Tool.Cli;

namespace ZeroBuffer.Tool.Bench;

/// <summary>
/// <c>zerobuffer bench</c>: every ZeroBuffer measure runs next to its baselines in the same run, so
/// ratios compare like with like on whatever else the machine is doing. Progress goes to stderr; the
/// table goes to stdout.
/// </summary>
internal static class BenchCommand
{
    private static readonly Percentile[] Percentiles = [Percentile.P50, Percentile.P99, Percentile.P999];

    public static int Run(BenchOptions options)
    {
        try
        {
            BenchPlan plan = options.Quick ? BenchPlan.Quick : BenchPlan.Full;
            var names = new BenchNames();
            long started = Stopwatch.GetTimestamp();
            Console.Out.WriteLine(
                $"zerobuffer bench{(options.Quick ? " --quick" : string.Empty)}: {Environment.ProcessorCount} cpus, " +
                $"{RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, " +
                $"{plan.Repetitions} run(s) per throughput figure (median)");

            var results = new List<BenchResult>();
            foreach (ThroughputCase run in plan.Throughput)
            {
                results.AddRange(MeasureThroughput(names, plan, run));
            }

            foreach (RoundTripCase run in plan.RoundTrip)
            {
                results.AddRange(MeasureRoundTrip(names, run, plan.SemaphorePingPong, plan.AlternatingWarmup));
            }

            results.Add(MeasureHandlerScaling(names, plan.HandlerScalingRequests));

            Console.Out.WriteLine();
            TextReport.WriteTable(Console.Out, results);
            TextReport.WriteTargets(Console.Out, Targets.Evaluate(results));
            Console.Out.WriteLine($"total {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
            if (options.JsonFile is not null)
            {
                JsonReport.Write(options.JsonFile, results);
            }

            return 0;
        }
        catch (Exception exception)
        {
            return ErrorReporter.Report(exception);
        }
    }

    private static IEnumerable<BenchResult> MeasureThroughput(BenchNames names, BenchPlan plan, ThroughputCase run)
    {
        string size = BenchPlan.FormatSize(run.FrameBytes);
        var zeroBuffer = new List<ThroughputSample>();
        var memcpy = new List<ThroughputSample>();
        var socket = new List<ThroughputSample>();

        // Interleaved repetitions: a burst of outside load hits all three alike.
        for (int repetition = 0; repetition < plan.Repetitions; repetition++)
        {
            Progress($"throughput {size}: zerobuffer");
            zeroBuffer.Add(ZeroBufferThroughput.Measure(names, run, plan.ThroughputPayloadBytes));
            Progress($"throughput {size}: memcpy");
            memcpy.Add(MemcpyBaseline.Measure(run, plan.ThroughputPayloadBytes));
            Progress($"throughput {size}: unix socket");
            socket.Add(SocketThroughput.Measure(names, run));
        }

        ThroughputSample zb = ThroughputSample.Median(zeroBuffer);
        ThroughputSample copy = ThroughputSample.Median(memcpy);
        ThroughputSample uds = ThroughputSample.Median(socket);
        yield return BenchResult.HigherIsBetter(BenchResult.Throughput, run.FrameBytes, zb.FramesPerSecond, Units.FramesPerSecond, Baselines.Memcpy, copy.FramesPerSecond);
        yield return BenchResult.HigherIsBetter(BenchResult.Throughput, run.FrameBytes, zb.GigabytesPerSecond, Units.GigabytesPerSecond, Baselines.Memcpy, copy.GigabytesPerSecond);
        yield return BenchResult.HigherIsBetter(BenchResult.Throughput, run.FrameBytes, zb.GigabytesPerSecond, Units.GigabytesPerSecond, Baselines.UnixSocket, uds.GigabytesPerSecond);
    }

    private static IEnumerable<BenchResult> MeasureRoundTrip(BenchNames names, RoundTripCase run, RoundTripCase semaphoreRun, TimeSpan alternatingWarmup)
    {
        string size = BenchPlan.FormatSize(run.FrameBytes);

        // The signalling floor is size-independent but load is not: measure it next to each size.
        Progress($"roundtrip {size}: semaphore ping-pong");
        LatencySummary semaphore = SemaphorePingPong.Measure(names, semaphoreRun);
        Progress($"roundtrip {size}: zerobuffer");
        LatencySummary zb = ZeroBufferRoundTrip.Measure(names, run);
        Progress($"roundtrip {size}: unix socket");
        LatencySummary uds = SocketRoundTrip.Measure(names, run);
        Progress($"roundtrip {size}: duplex channel, alternated with the plain round trip");
        (LatencySummary alongside, LatencySummary duplex) = AlternatingRoundTrip.Measure(names, run, alternatingWarmup);
        foreach (Percentile percentile in Percentiles)
        {
            yield return BenchResult.LowerIsBetter(BenchResult.RoundTrip, run.FrameBytes, zb.Get(percentile), Units.Latency(percentile), Baselines.SemaphorePingPong, semaphore.Get(percentile));
        }

        foreach (Percentile percentile in Percentiles)
        {
            yield return BenchResult.LowerIsBetter(BenchResult.RoundTrip, run.FrameBytes, zb.Get(percentile), Units.Latency(percentile), Baselines.UnixSocket, uds.Get(percentile));
        }

        // Against the plain round trip timed in the same blocks, not the one above (another moment, other peers).
        foreach (Percentile percentile in Percentiles)
        {
            yield return BenchResult.LowerIsBetter(BenchResult.DuplexRoundTrip, run.FrameBytes, duplex.Get(percentile), Units.Latency(percentile), Baselines.ZeroBufferRoundTrip, alongside.Get(percentile));
        }

        foreach (Percentile percentile in Percentiles)
        {
            yield return BenchResult.LowerIsBetter(BenchResult.DuplexRoundTrip, run.FrameBytes, duplex.Get(percentile), Units.Latency(percentile), Baselines.UnixSocket, uds.Get(percentile));
        }
    }

    private static BenchResult MeasureHandlerScaling(BenchNames names, int requests)
    {
        Progress($"duplex 1 ms handler: SingleThread");
        double single = DuplexHandlerScaling.RequestsPerSecond(names, ProcessingMode.SingleThread, requests);
        Progress($"duplex 1 ms handler: ThreadPool x{DuplexHandlerScaling.Handlers}");
        double pool = DuplexHandlerScaling.RequestsPerSecond(names, ProcessingMode.ThreadPool, requests);
        return BenchResult.HigherIsBetter(BenchResult.DuplexThreadPool, 64, pool, Units.RequestsPerSecond, Baselines.SingleThread, single);
    }

    private static void Progress(string message)
    {
        Console.Error.WriteLine($"bench: {message}");
        Console.Error.Flush();
    }
}

internal static class Baselines
{
    public const string Memcpy = "memcpy";
    public const string UnixSocket = "unix-socket";
    public const string SemaphorePingPong = "sem-pingpong";
    public const string ZeroBufferRoundTrip = "zb-roundtrip";
    public const string SingleThread = "single-thread";
}

internal static class Units
{
    public const string FramesPerSecond = "frames/s";
    public const string GigabytesPerSecond = "GB/s";
    public const string RequestsPerSecond = "requests/s";

    public static string Latency(Percentile percentile) => percentile switch
    {
        Percentile.P50 => "us p50",
        Percentile.P99 => "us p99",
        Percentile.P999 => "us p99.9",
        _ => throw new ArgumentOutOfRangeException(nameof(percentile)),
    };
}
