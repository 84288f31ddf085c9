using System.Diagnostics;
using ZeroBuffer.Tool.Bench.Interop;

namespace ZeroBuffer.Tool.Bench.Measures;

/// <summary>
/// Baseline: the bare signalling cost of a round trip. Two named POSIX semaphores shared with a peer
/// process: this side posts "ping" and waits on "pong", the peer waits on "ping" and posts "pong".
/// No data moves; a ZeroBuffer round trip does the same two wake-ups plus the frame work.
/// </summary>
internal static class SemaphorePingPong
{
    public static LatencySummary Measure(BenchNames names, RoundTripCase run)
    {
        string pingName = names.Next("sem-ping");
        string pongName = names.Next("sem-pong");
        int total = run.WarmupIterations + run.Iterations;
        using BenchSemaphore ping = BenchSemaphore.Create(pingName);
        using BenchSemaphore pong = BenchSemaphore.Create(pongName);
        using PeerProcess peer = PeerProcess.Start(PeerCommands.SemaphoreEcho, "--ping", pingName, "--pong", pongName, "--count", total);
        try
        {
            peer.WaitReady();
            long[] samples = new long[run.Iterations];
            for (int i = 0; i < total; i++)
            {
                long started = Stopwatch.GetTimestamp();
                ping.Post();
                if (!pong.Wait(PeerProcess.StepTimeout))
                {
                    throw peer.Failure($"did not answer within {PeerProcess.StepTimeout.TotalSeconds:0} s");
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

    /// <summary>Peer side: open both semaphores and answer every ping with a pong.</summary>
    public static void RunEcho(string pingName, string pongName, int count)
    {
        using BenchSemaphore ping = BenchSemaphore.Open(pingName);
        using BenchSemaphore pong = BenchSemaphore.Open(pongName);
        PeerCommands.AnnounceReady();
        for (int i = 0; i < count; i++)
        {
            if (!ping.Wait(PeerProcess.StepTimeout))
            {
                throw new Cli.ToolException(Cli.ToolException.Timeout, $"no ping after {i} of {count}");
            }

            pong.Post();
        }
    }
}
