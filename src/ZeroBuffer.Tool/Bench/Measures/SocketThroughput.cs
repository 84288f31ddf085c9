using System.Diagnostics;
using System.Net.Sockets;
using ZeroBuffer.Tool.Pattern;

namespace ZeroBuffer.Tool.Bench.Measures;

/// <summary>
/// Baseline: the same frames (16-byte header + pattern payload) over a Unix domain stream socket
/// between two processes. The producer fills the frame in its own buffer and sends it; this side
/// receives it into its own buffer and checks it the same way as the ZeroBuffer consumer. The extra
/// cost is what a socket adds: a kernel copy on each side and the system calls. Timed like the
/// ZeroBuffer stream (the slower end).
/// </summary>
internal static class SocketThroughput
{
    public static ThroughputSample Measure(BenchNames names, ThroughputCase run)
    {
        using var listener = new UnixSocketListener(names.SocketPath());
        long total = run.WarmupFrames + run.Frames;
        using PeerProcess peer = PeerProcess.Start(
            PeerCommands.SocketWriter, "--path", listener.Path, "--size", run.FrameBytes, "--warmup", run.WarmupFrames, "--count", run.Frames);
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

            var read = new ThroughputSample(run.FrameBytes, run.Frames, Stopwatch.GetElapsedTime(started).TotalSeconds);
            var written = new ThroughputSample(run.FrameBytes, run.Frames, peer.WaitForReportedSeconds());
            return ThroughputSample.SlowerOf(read, written);
        }
        catch (Exception exception)
        {
            throw peer.Explain(exception);
        }
    }

    /// <summary>Peer side: connect, send warm-up plus timed frames (one send each), report the timed seconds.</summary>
    public static void RunWriter(string path, int frameBytes, long warmup, long count)
    {
        using Socket socket = UnixSocket.Connect(path);
        var pattern = new FramePattern();
        byte[] frame = GC.AllocateUninitializedArray<byte>(FrameTraffic.HeaderBytes + frameBytes, pinned: true);
        long started = Stopwatch.GetTimestamp();
        for (long i = 0; i < warmup + count; i++)
        {
            if (i == warmup)
            {
                started = Stopwatch.GetTimestamp();
            }

            ulong sequence = (ulong)i + 1;
            FrameTraffic.WriteHeader(frame, frameBytes, sequence);
            pattern.Fill(frame.AsSpan(FrameTraffic.HeaderBytes), sequence);
            UnixSocket.SendAll(socket, frame);
        }

        PeerCommands.ReportSeconds(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
