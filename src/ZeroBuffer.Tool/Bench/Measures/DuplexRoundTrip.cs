using System.Diagnostics;
using ZeroBuffer.DuplexChannel;
using ZeroBuffer.Tool.Pattern;

namespace ZeroBuffer.Tool.Bench.Measures;

/// <summary>
/// A request/response over the duplex channel API (PROTOCOL.md §8, SingleThread, in-order): this
/// process is the client, the peer runs an echo server. Same work per sample as
/// <see cref="ZeroBufferRoundTrip"/> (pattern request in place, echo copies it, response checked), so
/// the ratio between the two is the cost of the channel layer.
/// </summary>
internal static class DuplexRoundTrip
{
    public static LatencySummary Measure(BenchNames names, RoundTripCase run)
    {
        string channel = names.Next("duplex");
        int ringBytes = BenchPlan.RoundTripRingBytes(run.FrameBytes);
        int total = run.WarmupIterations + run.Iterations;
        using PeerProcess peer = PeerProcess.Start(
            PeerCommands.DuplexEcho, "--channel", channel, "--count", total, "--payload-size", ringBytes);
        try
        {
            peer.WaitReady();
            using var client = (DuplexClient)DuplexChannelFactory.Instance.CreateClient(channel, new BufferConfig(1024, ringBytes));
            var pattern = new FramePattern();
            FrameChecker checker = FrameTraffic.ConsumerCheck();
            long[] samples = new long[run.Iterations];
            for (int i = 0; i < total; i++)
            {
                long started = Stopwatch.GetTimestamp();
                ulong sent = client.AcquireRequestBuffer(run.FrameBytes, out Span<byte> payload);
                pattern.Fill(payload, sent);
                client.CommitRequest();
                using (Frame echoed = client.ReceiveResponse(PeerProcess.StepTimeout))
                {
                    if (!echoed.IsValid || echoed.Sequence != sent)
                    {
                        throw new Cli.ToolException(Cli.ToolException.SequenceMismatch, $"request {sent} got response {echoed.Sequence} (valid: {echoed.IsValid})");
                    }

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

    /// <summary>Peer side: an echo server that exits after answering <paramref name="count"/> requests.</summary>
    public static void RunEcho(string channel, int ringBytes, int count)
    {
        using var done = new ManualResetEventSlim();
        int answered = 0;
        using var server = DuplexChannelFactory.Instance.CreateImmutableServer(channel, new BufferConfig(1024, ringBytes));
        server.Start((request, response) =>
        {
            response.WriteFrame(request.Span);
            if (++answered == count)
            {
                done.Set();
            }
        });
        PeerCommands.AnnounceReady();
        if (!done.Wait(TimeSpan.FromMinutes(10)))
        {
            throw new Cli.ToolException(Cli.ToolException.Timeout, $"answered {answered} of {count} requests on '{channel}'");
        }
    }
}
