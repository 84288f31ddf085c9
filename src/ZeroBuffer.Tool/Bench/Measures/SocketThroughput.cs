using System.Diagnostics;
using System.Net.Sockets;
using ZeroBuffer.Tool.Pattern;

namespace ZeroBuffer.Tool.Bench.Measures;

/// <summary>
/// Baseline: the same frames (16-byte header + pattern payload) over a Unix domain stream socket
/// between two processes. The producer fills the frame in its own buffer and sends it; this side
/// receives it into its own buffer and checks every byte, the same work as the ZeroBuffer case plus
/// the two kernel copies a socket costs.
/// </summary>
internal static class SocketThroughput
{
    public static ThroughputSample Measure(BenchNames names, ThroughputCase run)
    {
        using var listener = new UnixSocketListener(names.SocketPath());
        long total = run.WarmupFrames + run.Frames;
        using PeerProcess peer = PeerProcess.Start(PeerCommands.SocketWriter, "--path", listener.Path, "--size", run.FrameBytes, "--count", total);
        try
        {
            using Socket connection = listener.Accept(peer);
            FrameChecker checker = FrameTraffic.ConsumerCheck();
            byte[] header = new byte[FrameTraffic.HeaderBytes];
            byte[] payload = GC.AllocateUninitializedArray<byte>(run.FrameBytes, pinned: true);
            long started = Stopwatch.GetTimestamp();
            for (long i = 0; i < total; i++)
            {
                if (i == run.WarmupFrames)
                {
                    started = Stopwatch.GetTimestamp();
                }

                UnixSocket.ReceiveExactly(connection, header);
                (ulong size, ulong sequence) = FrameTraffic.ReadHeader(header);
                ZeroBufferThroughput.RequireSize((long)size, run.FrameBytes);
                UnixSocket.ReceiveExactly(connection, payload);
                checker.Check(sequence, payload);
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

    /// <summary>Peer side: connect and send <paramref name="count"/> pattern frames, one send per frame.</summary>
    public static void RunWriter(string path, int frameBytes, long count)
    {
        using Socket socket = UnixSocket.Connect(path);
        var pattern = new FramePattern();
        byte[] frame = GC.AllocateUninitializedArray<byte>(FrameTraffic.HeaderBytes + frameBytes, pinned: true);
        for (long i = 0; i < count; i++)
        {
            ulong sequence = (ulong)i + 1;
            FrameTraffic.WriteHeader(frame, frameBytes, sequence);
            pattern.Fill(frame.AsSpan(FrameTraffic.HeaderBytes), sequence);
            UnixSocket.SendAll(socket, frame);
        }
    }
}
