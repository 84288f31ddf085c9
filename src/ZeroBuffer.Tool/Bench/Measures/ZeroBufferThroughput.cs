using System.Diagnostics;
using ZeroBuffer.Tool.Cli;
using ZeroBuffer.Tool.Pattern;

namespace ZeroBuffer.Tool.Bench.Measures;

/// <summary>
/// Streaming through one ZeroBuffer: the peer process writes pattern frames in place
/// (GetFrameBuffer, fill, CommitFrame); this process reads each frame and checks every byte in place.
/// The clock runs from the end of the warm-up to the last frame read, so it measures the steady
/// state, whichever side is the bottleneck.
/// </summary>
internal static class ZeroBufferThroughput
{
    public static ThroughputSample Measure(BenchNames names, ThroughputCase run, int ringBytes)
    {
        string name = names.Next("stream");
        using var reader = new Reader(name, new BufferConfig(1024, ringBytes));
        long total = run.WarmupFrames + run.Frames;
        using PeerProcess peer = PeerProcess.Start(PeerCommands.ZeroBufferWriter, "--name", name, "--size", run.FrameBytes, "--count", total);
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

            double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            peer.WaitForSuccess();
            return new ThroughputSample(run.FrameBytes, run.Frames, seconds);
        }
        catch (Exception exception)
        {
            throw peer.Explain(exception);
        }
    }

    /// <summary>Peer side: connect and write <paramref name="count"/> pattern frames.</summary>
    public static void RunWriter(string name, int frameBytes, long count)
    {
        using var writer = new Writer(name);
        writer.WriteTimeout = PeerProcess.StepTimeout;
        var pattern = new FramePattern();
        for (long i = 0; i < count; i++)
        {
            Span<byte> payload = writer.GetFrameBuffer(frameBytes, out ulong sequence);
            pattern.Fill(payload, sequence);
            writer.CommitFrame();
        }
    }

    internal static void RequireSize(long actual, int expected)
    {
        if (actual != expected)
        {
            throw new ToolException(ToolException.PatternMismatch, $"frame of {actual} bytes, expected {expected}");
        }
    }
}
