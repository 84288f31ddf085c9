using System.Diagnostics;
using ZeroBuffer.DuplexChannel;
using ZeroBuffer.Tool.Cli;
using ZeroBuffer.Tool.Pattern;

namespace ZeroBuffer.Tool.Commands;

internal sealed record RequestOptions(string Channel, long Count, int Size, int TimeoutMs, int ResponsePayloadSize);

/// <summary>
/// <c>zerobuffer request</c>: a duplex client that sends N pattern requests one after another, checks
/// that each response answers its request with the same bytes (what an echo server returns), and
/// prints one JSON summary line.
/// </summary>
internal static class RequestCommand
{
    public static int Run(RequestOptions options)
    {
        try
        {
            if (options.Size <= 0)
            {
                throw new InvalidFrameSizeException($"--size must be > 0, got {options.Size}");
            }

            int ringSize = options.ResponsePayloadSize > 0 ? options.ResponsePayloadSize : DefaultResponseRing(options.Size);
            using var client = (DuplexClient)DuplexChannelFactory.Instance.CreateClient(options.Channel, new BufferConfig(1024, ringSize));
            var pattern = new FramePattern();
            var timeout = TimeSpan.FromMilliseconds(options.TimeoutMs);
            long started = Stopwatch.GetTimestamp();
            for (long i = 0; i < options.Count; i++)
            {
                ulong sent = client.AcquireRequestBuffer(options.Size, out Span<byte> buffer);
                pattern.Fill(buffer, sent);
                client.CommitRequest();
                using Frame response = client.ReceiveResponse(timeout);
                Check(response, sent, options, pattern);
            }

            double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            JsonLine.Write(json =>
            {
                json.WriteNumber("requests", options.Count);
                json.WriteNumber("bytes", options.Count * options.Size);
                json.WriteNumber("seconds", seconds);
                json.WriteBoolean("correlated", client.IsCorrelated ?? false);
            });
            return 0;
        }
        catch (Exception exception)
        {
            return ErrorReporter.Report(exception);
        }
    }

    /// <summary>Room for a few responses of <paramref name="size"/> bytes (with header and prefix), at least 1 MiB.</summary>
    internal static int DefaultResponseRing(int size) => (int)Math.Min(int.MaxValue & ~63, Math.Max(1 << 20, 4L * (size + 64)));

    private static void Check(in Frame response, ulong sent, RequestOptions options, FramePattern pattern)
    {
        if (!response.IsValid)
        {
            throw new ToolException(ToolException.Timeout, $"no response to request {sent} within {options.TimeoutMs} ms on channel '{options.Channel}'");
        }

        if (response.Sequence != sent)
        {
            throw new ToolException(ToolException.SequenceMismatch, $"request {sent} was answered by a response for request {response.Sequence}");
        }

        int mismatch = response.Size == options.Size ? pattern.FirstMismatch(response.Span, sent) : Math.Min(response.Size, options.Size);
        if (mismatch >= 0)
        {
            throw new ToolException(ToolException.PatternMismatch, $"response {sent} ({response.Size} bytes) differs from the {options.Size}-byte request at byte {mismatch}");
        }
    }
}
