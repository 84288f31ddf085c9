using ZeroBuffer.Tool.Cli;
using ZeroBuffer.Tool.Pattern;

namespace ZeroBuffer.Tool.Tests.Pattern;

public sealed class FramePatternTests
{
    [Theory]
    [InlineData(1UL, 10)]
    [InlineData(255UL, 300)]
    [InlineData(1_000_003UL, 4096)]
    public void FillWritesSequencePlusIndex(ulong sequence, int size)
    {
        var data = new byte[size];
        new FramePattern().Fill(data, sequence);

        for (int i = 0; i < size; i++)
        {
            Assert.Equal((byte)((sequence + (ulong)i) & 0xFF), data[i]);
        }
    }

    [Fact]
    public void FirstMismatchIsTheOffsetOfTheFirstWrongByte()
    {
        var pattern = new FramePattern();
        var data = new byte[1000];
        pattern.Fill(data, 42);
        Assert.Equal(-1, pattern.FirstMismatch(data, 42));

        data[999] ^= 1;
        data[613] ^= 1;
        Assert.Equal(613, pattern.FirstMismatch(data, 42));
        Assert.Equal(0, pattern.FirstMismatch(data, 43));
    }

    [Fact]
    public void MetadataPatternIsIndexModulo256()
    {
        ReadOnlySpan<byte> metadata = new FramePattern().Metadata(600);
        Assert.Equal(0, metadata[0]);
        Assert.Equal(255, metadata[255]);
        Assert.Equal(0, metadata[256]);
        Assert.Equal(87, metadata[599]);
    }

    [Fact]
    public void CheckerRequiresConsecutiveSequencesFromOne()
    {
        var pattern = new FramePattern();
        var checker = new FrameChecker();
        var frame = new byte[64];

        pattern.Fill(frame, 1);
        checker.Check(1, frame);
        pattern.Fill(frame, 3);

        var error = Assert.Throws<ToolException>(() => checker.Check(3, frame));
        Assert.Equal("SequenceError", error.Kind);
        Assert.Contains("expected frame sequence 2, got 3", error.Message);
    }

    [Fact]
    public void CheckerNamesTheCorruptFrameAndOffset()
    {
        var checker = new FrameChecker();
        var frame = new byte[64];
        new FramePattern().Fill(frame, 1);
        frame[5] = 0;

        var error = Assert.Throws<ToolException>(() => checker.Check(1, frame));
        Assert.Equal("PatternMismatch", error.Kind);
        Assert.Contains("frame 1 (64 bytes): byte at offset 5 is 0x00, expected 0x06", error.Message);
    }
}
