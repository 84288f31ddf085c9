using System.Diagnostics;
using ZeroBuffer.Tool.Cli;
using ZeroBuffer.Tool.Pattern;

namespace ZeroBuffer.Tool.Bench.Measures;

/// <summary>
/// Streaming through one ZeroBuffer: the peer process writes pattern frames in place
/// (GetFrameBuffer, fill, CommitFrame); this process reads each frame and checks it in place
/// (<see cref="FrameTraffic.ConsumerCheck"/>). Each end times its frames after the warm-up, and the
/// slower end's time is the pair's rate (<see cref="ThroughputSample.SlowerOf"/>).
/// </summary>
internal static class ZeroBufferThroughput
{
    public static ThroughputSample Measure(BenchNames names, ThroughputCase run, int ringBytes)
    {
        string name = names.Next("stream");
        using var reader = new Reader(name, new BufferConfig(1024, ringBytes));
        long total = run.WarmupFrames + run.Frames;
        using PeerProcess peer = PeerProcess.Start(
            PeerCommands.ZeroBufferWriter, "--name", name, "--size", run.FrameBytes, "--warmup", run.WarmupFrames, "--count", run.Frames);
        try
        {
            FrameChecker checker = FrameTraffic.ConsumerCheck();
            long started = Stopwatch.GetTimestamp();
            for (long i = 0; i < total; i++)
            {
                if (i == run.WarmupFrames)
                {
                    started = Stopwatch.GetTimestamp();
                }

                using Frame frame = peer.ReadFrom(reader);
                RequireSize(frame.Size, run.FrameBytes);
                checker.Check(frame.Sequence, frame.Span);
            }

            var read = new ThroughputSample(run.FrameBytes, run.Frames, Stopwatch.GetElapsedTime(started).TotalSeconds);
            var written = new ThroughputSample(run.FrameBytes, run.Frames, peer.WaitForReportedSeconds());
            return ThroughputSample.SlowerOf(read, written);
        }
        catch (Exception exception)
        {
            throw peer.Explain(exception);
        }
    }

    /// <summary>Peer side: connect, write warm-up plus timed pattern frames, report the timed seconds.</summary>
    public static void RunWriter(string name, int frameBytes, long warmup, long count)
    {
        using var writer = new Writer(name);
        writer.WriteTimeout = PeerProcess.StepTimeout;
        var pattern = new FramePattern();
        long started = Stopwatch.GetTimestamp();
        for (long i = 0; i < warmup + count; i++)
        {
            if (i == warmup)
            {
                started = Stopwatch.GetTimestamp();
            }

            Span<byte> payload = writer.GetFrameBuffer(frameBytes, out ulong sequence);
            pattern.Fill(payload, sequence);
            writer.CommitFrame();
        }

        PeerCommands.ReportSeconds(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    internal static void RequireSize(long actual, int expected)
    {
        if (actual != expected)
        {
            throw new ToolException(ToolException.PatternMismatch, $"frame of {actual} bytes, expected {expected}");
        }
    }
}
