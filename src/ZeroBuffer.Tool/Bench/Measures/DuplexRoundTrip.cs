using ZeroBuffer.DuplexChannel;
using ZeroBuffer.Tool.Pattern;

namespace ZeroBuffer.Tool.Bench.Measures;

/// <summary>
/// A request/response over the duplex channel API (PROTOCOL.md §8, SingleThread, in-order): this
/// process is the client, the peer runs an echo server. Same work per round trip as
/// <see cref="ZeroBufferRoundTrip"/> (pattern request in place, echo copies it, response checked), so
/// the ratio between the two is the cost of the channel layer. <see cref="AlternatingRoundTrip"/> times it.
/// </summary>
internal static class DuplexRoundTrip
{
    /// <summary>
    /// Starts an echo server peer and connects a client; the peer answers until <see cref="Client.Finish"/>,
    /// on <paramref name="peerCpu"/> only (negative: wherever the scheduler puts it).
    /// </summary>
    public static Client Connect(BenchNames names, int frameBytes, int peerCpu) => new(names.Next("duplex"), frameBytes, peerCpu);

    /// <summary>Peer side: an echo server that runs until the bench closes this process's stdin.</summary>
    public static void RunEcho(string channel, int ringBytes, int cpu)
    {
        using ThreadPin? pin = ThreadPin.Pin(cpu); // before Start: the server's thread inherits it
        using var server = DuplexChannelFactory.Instance.CreateImmutableServer(channel, new BufferConfig(1024, ringBytes));
        server.Start((request, response) => response.WriteFrame(request.Span));
        PeerCommands.AnnounceReady();
        Console.In.ReadToEnd();
    }

    /// <summary>The bench's end: the echo server peer and a <see cref="DuplexClient"/> connected to it.</summary>
    internal sealed class Client : IRoundTripClient
    {
        private readonly int _frameBytes;
        private readonly PeerProcess _peer;
        private readonly DuplexClient _client;
        private readonly FramePattern _pattern = new();
        private readonly FrameChecker _checker = FrameTraffic.ConsumerCheck();

        internal Client(string channel, int frameBytes, int peerCpu)
        {
            _frameBytes = frameBytes;
            int ringBytes = BenchPlan.RoundTripRingBytes(frameBytes);
            _peer = PeerProcess.Start(PeerCommands.DuplexEcho, "--channel", channel, "--payload-size", ringBytes, "--cpu", peerCpu);
            try
            {
                _peer.WaitReady();
                _client = (DuplexClient)DuplexChannelFactory.Instance.CreateClient(channel, new BufferConfig(1024, ringBytes));
            }
            catch (Exception exception)
            {
                Exception reported = _peer.Explain(exception);
                _peer.Dispose();
                throw reported;
            }
        }

        public void RoundTrip()
        {
            ulong sent = _client.AcquireRequestBuffer(_frameBytes, out Span<byte> payload);
            _pattern.Fill(payload, sent);
            _client.CommitRequest();
            using Frame echoed = _client.ReceiveResponse(PeerProcess.StepTimeout);
            if (!echoed.IsValid || echoed.Sequence != sent)
            {
                throw new Cli.ToolException(Cli.ToolException.SequenceMismatch, $"request {sent} got response {echoed.Sequence} (valid: {echoed.IsValid})");
            }

            ZeroBufferThroughput.RequireSize(echoed.Size, _frameBytes);
            _checker.Check(echoed.Sequence, echoed.Span);
        }

        public void Finish()
        {
            _client.Dispose();
            _peer.CloseInput();
            _peer.WaitForSuccess();
        }

        public Exception Explain(Exception seenHere) => _peer.Explain(seenHere);

        public void Dispose()
        {
            _client.Dispose();
            _peer.Dispose();
        }
    }
}
