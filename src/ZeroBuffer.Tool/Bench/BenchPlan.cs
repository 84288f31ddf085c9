namespace ZeroBuffer.Tool.Bench;

internal sealed record BenchOptions(bool Quick, string? JsonFile);

/// <summary>One throughput size: warm-up frames (not timed) then timed frames.</summary>
internal sealed record ThroughputCase(int FrameBytes, long WarmupFrames, long Frames);

/// <summary>One round-trip size: warm-up iterations (not recorded) then recorded iterations.</summary>
internal sealed record RoundTripCase(int FrameBytes, int WarmupIterations, int Iterations);

/// <summary>
/// What a bench run measures and how long. Counts are fixed so that runs are comparable.
/// <see cref="AlternatingWarmup"/> is the least warm-up of the alternated duplex/plain round trips,
/// long enough for fresh peers to reach optimised code.
/// </summary>
internal sealed record BenchPlan(
    int ThroughputPayloadBytes,
    int Repetitions,
    IReadOnlyList<ThroughputCase> Throughput,
    IReadOnlyList<RoundTripCase> RoundTrip,
    RoundTripCase SemaphorePingPong,
    TimeSpan AlternatingWarmup,
    int HandlerScalingRequests)
{
    public const int KiB = 1024;
    public const int MiB = 1024 * 1024;

    /// <summary>64 MiB ring for throughput: at least 8x the largest frame, and larger than L2.</summary>
    public const int RingBytes = 64 * MiB;

    public static BenchPlan Full { get; } = new(
        RingBytes,
        Repetitions: 3,
        Throughput:
        [
            new(1 * KiB, WarmupFrames: 200_000, Frames: 1_000_000),
            new(64 * KiB, WarmupFrames: 2_048, Frames: 16_384),
            new(1 * MiB, WarmupFrames: 128, Frames: 1_024),
            new(8 * MiB, WarmupFrames: 16, Frames: 128),
        ],
        RoundTrip:
        [
            new(64, WarmupIterations: 5_000, Iterations: 50_000),
            new(4 * KiB, WarmupIterations: 5_000, Iterations: 50_000),
            new(1 * MiB, WarmupIterations: 200, Iterations: 3_000),
        ],
        SemaphorePingPong: new(0, WarmupIterations: 5_000, Iterations: 50_000),
        AlternatingWarmup: TimeSpan.FromSeconds(1),
        HandlerScalingRequests: 2_000);

    // Quick still warms up over one full ring, so first-touch page faults are not what it measures.
    public static BenchPlan Quick { get; } = new(
        RingBytes,
        Repetitions: 1,
        Throughput:
        [
            new(1 * KiB, WarmupFrames: 70_000, Frames: 200_000),
            new(64 * KiB, WarmupFrames: 1_024, Frames: 2_048),
            new(1 * MiB, WarmupFrames: 64, Frames: 128),
            new(8 * MiB, WarmupFrames: 8, Frames: 16),
        ],
        RoundTrip:
        [
            new(64, WarmupIterations: 500, Iterations: 2_000),
            new(4 * KiB, WarmupIterations: 500, Iterations: 2_000),
            new(1 * MiB, WarmupIterations: 10, Iterations: 100),
        ],
        SemaphorePingPong: new(0, WarmupIterations: 500, Iterations: 2_000),
        AlternatingWarmup: TimeSpan.FromSeconds(0.5),
        HandlerScalingRequests: 200);

    /// <summary>Round trips keep one frame in flight; a small ring stays cache-resident as it would in use.</summary>
    public static int RoundTripRingBytes(int frameBytes) => Math.Max(64 * KiB, AlignUp(4 * (frameBytes + 16), 64));

    public static string FormatSize(int bytes) => bytes switch
    {
        >= MiB when bytes % MiB == 0 => $"{bytes / MiB} MiB",
        >= KiB when bytes % KiB == 0 => $"{bytes / KiB} KiB",
        _ => $"{bytes} B",
    };

    private static int AlignUp(int value, int alignment) => (value + alignment - 1) / alignment * alignment;
}

/// <summary>
/// Unique names for one bench run: every shm segment, semaphore and socket it makes starts with
/// <c>zb-bench-&lt;pid&gt;-</c>, so leftovers can be traced to the run.
/// </summary>
internal sealed class BenchNames
{
    private int _next;

    public string Prefix { get; } = $"zb-bench-{Environment.ProcessId}-";

    public string Next(string role) => $"{Prefix}{Interlocked.Increment(ref _next)}-{role}";

    public string SocketPath() => Path.Combine(Path.GetTempPath(), Next("uds") + ".sock");
}
