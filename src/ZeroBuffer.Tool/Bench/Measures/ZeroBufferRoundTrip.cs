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
        int total = run.WarmupIterations + run.Iterations;
        using Client client = Connect(names, run.FrameBytes, total, peerCpu: -1);
        try
        {
            long[] samples = new long[run.Iterations];
            for (int i = 0; i < total; i++)
            {
                long started = Stopwatch.GetTimestamp();
                client.RoundTrip();
                if (i >= run.WarmupIterations)
                {
                    samples[i - run.WarmupIterations] = Stopwatch.GetTimestamp() - started;
                }
            }

            client.Finish();
            return LatencySummary.FromTimestamps(samples);
        }
        catch (Exception exception)
        {
            throw client.Explain(exception);
        }
    }

    /// <summary>
    /// Starts an echo peer and connects to it. With <paramref name="count"/> 0 the peer echoes until
    /// <see cref="Client.Finish"/> disconnects; otherwise it exits after <paramref name="count"/> frames.
    /// The peer echoes on <paramref name="peerCpu"/> only (negative: wherever the scheduler puts it).
    /// </summary>
    public static Client Connect(BenchNames names, int frameBytes, int count, int peerCpu) =>
        new(names.Next("ping"), names.Next("pong"), frameBytes, count, peerCpu);

    /// <summary>Peer side: create the request buffer, connect to the response buffer, echo every frame.</summary>
    public static void RunEcho(string request, string response, int ringBytes, int count, int cpu)
    {
        using ThreadPin? pin = ThreadPin.Pin(cpu);
        using var reader = new Reader(request, new BufferConfig(1024, ringBytes));
        using var writer = new Writer(response);
        writer.WriteTimeout = PeerProcess.StepTimeout;
        PeerCommands.AnnounceReady();
        for (int i = 0; count == 0 || i < count; i++)
        {
            if (!ReadRequest(reader, request, count == 0, out Frame frame))
            {
                return; // open-ended: the bench disconnected after its last round trip
            }

            using (frame)
            {
                Span<byte> reply = writer.GetFrameBuffer(frame.Size, out _);
                frame.Span.CopyTo(reply);
                writer.CommitFrame();
            }
        }
    }

    /// <summary>
    /// The next request; false when <paramref name="openEnded"/> and the bench's writer has left.
    /// Short waits, so an open-ended echo notices the bench leaving (a disconnect posts no wake-up).
    /// </summary>
    private static bool ReadRequest(Reader reader, string request, bool openEnded, out Frame frame)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < PeerProcess.StepTimeout)
        {
            try
            {
                frame = reader.ReadFrame(PeerProcess.PollInterval);
            }
            catch (WriterDeadException) when (openEnded)
            {
                frame = Frame.Invalid;
                return false;
            }

            if (frame.IsValid)
            {
                return true;
            }
        }

        throw new Cli.ToolException(Cli.ToolException.Timeout, $"no request on '{request}' within {PeerProcess.StepTimeout.TotalSeconds:0} s");
    }

    /// <summary>The bench's end: the response buffer (created before the peer starts), the peer and the request writer.</summary>
    internal sealed class Client : IRoundTripClient
    {
        private readonly string _request;
        private readonly int _frameBytes;
        private readonly Reader _responses;
        private readonly PeerProcess _peer;
        private readonly Writer _requests;
        private readonly FramePattern _pattern = new();
        private readonly FrameChecker _checker = FrameTraffic.ConsumerCheck();

        internal Client(string request, string response, int frameBytes, int count, int peerCpu)
        {
            _request = request;
            _frameBytes = frameBytes;
            int ringBytes = BenchPlan.RoundTripRingBytes(frameBytes);
            _responses = new Reader(response, new BufferConfig(1024, ringBytes));
            try
            {
                _peer = PeerProcess.Start(
                    PeerCommands.ZeroBufferEcho,
                    "--request", request, "--response", response, "--size", frameBytes, "--count", count, "--payload-size", ringBytes, "--cpu", peerCpu);
            }
            catch
            {
                _responses.Dispose();
                throw;
            }

            try
            {
                _peer.WaitReady();
                _requests = new Writer(request) { WriteTimeout = PeerProcess.StepTimeout };
            }
            catch (Exception exception)
            {
                Exception reported = _peer.Explain(exception);
                Dispose();
                throw reported;
            }
        }

        public void RoundTrip()
        {
            Span<byte> payload = _requests.GetFrameBuffer(_frameBytes, out ulong sequence);
            _pattern.Fill(payload, sequence);
            _requests.CommitFrame();
            using Frame echoed = _peer.ReadFrom(_responses);
            ZeroBufferThroughput.RequireSize(echoed.Size, _frameBytes);
            _checker.Check(echoed.Sequence, echoed.Span);
        }

        public void Finish()
        {
            _requests.Dispose(); // an open-ended peer ends when its writer has gone
            _peer.WaitForSuccess();
        }

        public Exception Explain(Exception seenHere) => _peer.Explain(seenHere);

        public void Dispose()
        {
            _requests?.Dispose();
            _peer.Dispose();
            _responses.Dispose();

            // The peer created the request buffer. If it was killed (after a failure), its shm,
            // semaphores and lock file are stale: a reader of the same name reclaims them.
            ReclaimIfStale(_request);
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
    }
}
