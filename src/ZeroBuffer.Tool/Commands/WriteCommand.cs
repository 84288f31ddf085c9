using System.Diagnostics;
using System.Text;
using ZeroBuffer.Tool.Cli;
using ZeroBuffer.Tool.Pattern;

namespace ZeroBuffer.Tool.Commands;

internal sealed record WriteOptions(string Name, long Count, int Size, string? Metadata, int TimeoutMs);

/// <summary>
/// <c>zerobuffer write</c>: connects, stores the metadata once if given, then fills N frames in place
/// (GetFrameBuffer / CommitFrame) with the sequence pattern.
/// </summary>
internal static class WriteCommand
{
    public static int Run(WriteOptions options)
    {
        try
        {
            using var writer = new Writer(options.Name);
            writer.WriteTimeout = TimeSpan.FromMilliseconds(options.TimeoutMs);
            if (options.Metadata is not null)
            {
                writer.SetMetadata(Encoding.UTF8.GetBytes(options.Metadata));
            }

            var pattern = new FramePattern();
            long started = Stopwatch.GetTimestamp();
            for (long i = 0; i < options.Count; i++)
            {
                Span<byte> payload = writer.GetFrameBuffer(options.Size, out ulong sequence);
                pattern.Fill(payload, sequence);
                writer.CommitFrame();
            }

            double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            JsonLine.Write(json =>
            {
                json.WriteNumber("frames", options.Count);
                json.WriteNumber("bytes", options.Count * options.Size);
                json.WriteNumber("seconds", seconds);
            });
            return 0;
        }
        catch (Exception exception)
        {
            return ErrorReporter.Report(exception);
        }
    }
}
