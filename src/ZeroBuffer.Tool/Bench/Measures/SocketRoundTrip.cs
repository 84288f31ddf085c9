using System.Diagnostics;
using System.Net.Sockets;
using ZeroBuffer.Tool.Pattern;

namespace ZeroBuffer.Tool.Bench.Measures;

/// <summary>
/// Baseline: the same echo over one Unix domain stream socket. This process fills and sends a
/// framed request, the peer receives it whole and sends it back, this process receives and checks it.
/// </summary>
internal static class SocketRoundTrip
{
    public static LatencySummary Measure(BenchNames names, RoundTripCase run)
    {
        using var listener = new UnixSocketListener(names.SocketPath());
        int total = run.WarmupIterations + run.Iterations;
        using PeerProcess peer = PeerProcess.Start(PeerCommands.SocketEcho, "--path", listener.Path, "--size", run.FrameBytes, "--count", total);
        try
        {
            using Socket connection = listener.Accept(peer);
            var pattern = new FramePattern();
            FrameChecker checker = FrameTraffic.ConsumerCheck();
            byte[] request = GC.AllocateUninitializedArray<byte>(FrameTraffic.HeaderBytes + run.FrameBytes, pinned: true);
            byte[] response = GC.AllocateUninitializedArray<byte>(request.Length, pinned: true);
            long[] samples = new long[run.Iterations];
            for (int i = 0; i < total; i++)
            {
                long started = Stopwatch.GetTimestamp();
                ulong sequence = (ulong)i + 1;
                FrameTraffic.WriteHeader(request, run.FrameBytes, sequence);
                pattern.Fill(request.AsSpan(FrameTraffic.HeaderBytes), sequence);
                UnixSocket.SendAll(connection, request);
                UnixSocket.ReceiveExactly(connection, response);
                (ulong size, ulong echoed) = FrameTraffic.ReadHeader(response);
                ZeroBufferThroughput.RequireSize((long)size, run.FrameBytes);
                checker.Check(echoed, response.AsSpan(FrameTraffic.HeaderBytes));
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

    /// <summary>Peer side: receive each whole frame and send it straight back.</summary>
    public static void RunEcho(string path, int frameBytes, int count)
    {
        using Socket socket = UnixSocket.Connect(path);
        byte[] frame = GC.AllocateUninitializedArray<byte>(FrameTraffic.HeaderBytes + frameBytes, pinned: true);
        for (int i = 0; i < count; i++)
        {
            UnixSocket.ReceiveExactly(socket, frame);
            UnixSocket.SendAll(socket, frame);
        }
    }
}
