using System.Diagnostics;
using ZeroBuffer.DuplexChannel;

namespace ZeroBuffer.Tool.Bench.Measures;

/// <summary>
/// Requests per second through a server whose handler takes 1 ms, SingleThread against ThreadPool
/// with <see cref="Handlers"/> handlers. The client keeps a window of requests in flight so the
/// server always has work; what is measured is how well the server overlaps slow handlers.
/// </summary>
internal static class DuplexHandlerScaling
{
    public const int Handlers = 4;
    private const int Window = 16;
    private static readonly TimeSpan HandlerTime = TimeSpan.FromMilliseconds(1);

    public static double RequestsPerSecond(BenchNames names, ProcessingMode mode, int requests)
    {
        string channel = names.Next("duplex-scaling");
        var config = new BufferConfig(1024, 1 << 20);
        using var server = DuplexChannelFactory.Instance.CreateImmutableServer(channel, config);
        server.Start(
            (request, response) =>
            {
                Thread.Sleep(HandlerTime);
                response.WriteFrame(request.Span);
            },
            onInit: null,
            new DuplexServerOptions { Mode = mode, HandlerCount = Handlers });
        using IDuplexClient client = DuplexChannelFactory.Instance.CreateClient(channel, config);
        byte[] payload = new byte[64];
        int sent = 0;
        int received = 0;
        long started = Stopwatch.GetTimestamp();
        while (received < requests)
        {
            while (sent < requests && sent - received < Window)
            {
                client.SendRequest(payload);
                sent++;
            }

            using Frame response = client.ReceiveResponse(PeerProcess.StepTimeout);
            if (!response.IsValid)
            {
                throw new Cli.ToolException(Cli.ToolException.Timeout, $"no response after {received} of {requests} requests ({mode})");
            }

            received++;
        }

        return requests / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
