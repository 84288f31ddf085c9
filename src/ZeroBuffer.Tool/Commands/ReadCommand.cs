using System.Diagnostics;
using System.Text;
using ZeroBuffer.Tool.Cli;
using ZeroBuffer.Tool.Pattern;

namespace ZeroBuffer.Tool.Commands;

internal sealed record ReadOptions(string Name, long Count, int MetadataSize, int PayloadSize, int TimeoutMs);

/// <summary>
/// <c>zerobuffer read</c>: creates the buffer, announces READY, then reads and validates N frames.
/// Timing starts at the first frame so that waiting for the writer to start is not counted.
/// </summary>
internal static class ReadCommand
{
    public const string ReadyLine = "READY";

    public static int Run(ReadOptions options)
    {
        try
        {
            using var reader = new Reader(options.Name, new BufferConfig(options.MetadataSize, options.PayloadSize));
            Console.Out.WriteLine(ReadyLine);
            Console.Out.Flush();

            ReadSummary summary = ReadAll(reader, options);
            JsonLine.Write(json =>
            {
                json.WriteNumber("frames", summary.Frames);
                json.WriteNumber("bytes", summary.Bytes);
                json.WriteNumber("seconds", summary.Seconds);
                json.WriteString("metadata", summary.Metadata);
            });
            return 0;
        }
        catch (Exception exception)
        {
            return ErrorReporter.Report(exception);
        }
    }

    private static ReadSummary ReadAll(Reader reader, ReadOptions options)
    {
        var checker = new FrameChecker();
        var timeout = TimeSpan.FromMilliseconds(options.TimeoutMs);
        string metadata = string.Empty;
        long bytes = 0;
        long started = Stopwatch.GetTimestamp();

        for (long i = 0; i < options.Count; i++)
        {
            using Frame frame = reader.ReadFrame(timeout);
            if (!frame.IsValid)
            {
                throw new ToolException(
                    ToolException.Timeout,
                    $"no frame within {options.TimeoutMs} ms on '{options.Name}' after {i} of {options.Count} frames");
            }

            if (i == 0)
            {
                // The writer stores metadata before its first frame, so it is complete by now.
                started = Stopwatch.GetTimestamp();
                metadata = Encoding.UTF8.GetString(reader.GetMetadata());
            }

            checker.Check(frame.Sequence, frame.Span);
            bytes += frame.Size;
        }

        if (options.Count == 0)
        {
            metadata = Encoding.UTF8.GetString(reader.GetMetadata());
        }

        return new ReadSummary(options.Count, bytes, Stopwatch.GetElapsedTime(started).TotalSeconds, metadata);
    }

    private readonly record struct ReadSummary(long Frames, long Bytes, double Seconds, string Metadata);
}
