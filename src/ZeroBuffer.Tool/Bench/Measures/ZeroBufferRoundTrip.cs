using System.Diagnostics;
using ZeroBuffer.Tool.Pattern;

namespace ZeroBuffer.Tool.Bench.Measures;

/// <summary>
/// Ping-pong over two buffers (PROTOCOL.md §8 shape): this process writes a pattern request into the
/// peer's buffer, the peer copies it into a response frame in this process's buffer, and this process
/// checks it. One sample = request produced, echoed, response checked and released.
/// </summary>
internal static class ZeroBufferRoundTrip
{
    public static LatencySummary Measure(BenchNames names, RoundTripCase run)
    {
        string request = names.Next("ping");
        string response = names.Next("pong");
        try
        {
            return MeasureCore(request, response, run);
        }
        finally
        {
            // The peer created the request buffer. If it was killed (after a failure), its shm,
            // semaphores and lock file are stale: a reader of the same name reclaims them.
            ReclaimIfStale(request);
        }
    }

    private static void ReclaimIfStale(string name)
    {
        try
        {
            new Reader(name, new BufferConfig(0, 64)).Dispose();
        }
        catch (ZeroBufferException)
        {
            // Still owned by a live process, or not reclaimable: nothing more this run can do.
        }
    }

    private static LatencySummary MeasureCore(string request, string response, RoundTripCase run)
    {
        int ringBytes = BenchPlan.RoundTripRingBytes(run.FrameBytes);
        int total = run.WarmupIterations + run.Iterations;
        using var reader = new Reader(response, new BufferConfig(1024, ringBytes));
        using PeerProcess peer = PeerProcess.Start(
            PeerCommands.ZeroBufferEcho,
            "--request", request, "--response", response, "--size", run.FrameBytes, "--count", total, "--payload-size", ringBytes);
        try
        {
            peer.WaitReady();
            using var writer = new Writer(request);
            writer.WriteTimeout = PeerProcess.StepTimeout;
            var pattern = new FramePattern();
            FrameChecker checker = FrameTraffic.ConsumerCheck();
            long[] samples = new long[run.Iterations];
            for (int i = 0; i < total; i++)
            {
                long started = Stopwatch.GetTimestamp();
                Span<byte> payload = writer.GetFrameBuffer(run.FrameBytes, out ulong sequence);
                pattern.Fill(payload, sequence);
                writer.CommitFrame();
                using (Frame echoed = peer.ReadFrom(reader))
                {
                    ZeroBufferThroughput.RequireSize(echoed.Size, run.FrameBytes);
                    checker.Check(echoed.Sequence, echoed.Span);
                }

                if (i >= run.WarmupIterations)
                {
                    samples[i - run.WarmupIterations] = Stopwatch.GetTimestamp() - started;
                }
            }

            peer.WaitForSuccess();
            return LatencySummary.FromTimestamps(samples);
        }
        catch (Exception exception)
        {
            throw peer.Explain(exception);
        }
    }

    /// <summary>Peer side: create the request buffer, connect to the response buffer, echo every frame.</summary>
    public static void RunEcho(string request, string response, int ringBytes, int count)
    {
        using var reader = new Reader(request, new BufferConfig(1024, ringBytes));
        using var writer = new Writer(response);
        writer.WriteTimeout = PeerProcess.StepTimeout;
        PeerCommands.AnnounceReady();
        for (int i = 0; i < count; i++)
        {
            using Frame frame = reader.ReadFrame(PeerProcess.StepTimeout);
            if (!frame.IsValid)
            {
                throw new Cli.ToolException(Cli.ToolException.Timeout, $"no request on '{request}' after {i} of {count}");
            }

            Span<byte> reply = writer.GetFrameBuffer(frame.Size, out _);
            frame.Span.CopyTo(reply);
            writer.CommitFrame();
        }
    }
}
