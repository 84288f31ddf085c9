using ZeroBuffer.Tool.Cli;

namespace ZeroBuffer.Tool.Pattern;

/// <summary>
/// Checks a stream of frames from one writer connection: sequences 1, 2, 3, ... and the pattern,
/// either every byte or (for benchmarks) the first and last <see cref="EdgeBytes"/> bytes. The first
/// violation throws, naming the sequence and the offset.
/// </summary>
internal sealed class FrameChecker(bool everyByte = true)
{
    public const int EdgeBytes = 64;

    private readonly FramePattern _pattern = new();

    public ulong ExpectedSequence { get; private set; } = 1;

    public void Check(ulong sequence, ReadOnlySpan<byte> data)
    {
        if (sequence != ExpectedSequence)
        {
            throw new ToolException(
                ToolException.SequenceMismatch,
                $"expected frame sequence {ExpectedSequence}, got {sequence}");
        }

        int offset = everyByte
            ? _pattern.FirstMismatch(data, sequence)
            : _pattern.FirstMismatchAtEdges(data, sequence, EdgeBytes);
        if (offset >= 0)
        {
            throw new ToolException(
                ToolException.PatternMismatch,
                $"frame {sequence} ({data.Length} bytes): byte at offset {offset} is 0x{data[offset]:X2}, " +
                $"expected 0x{(byte)(sequence + (ulong)offset):X2}");
        }

        ExpectedSequence++;
    }
}
