using ZeroBuffer.Serve.StepDefinitions.Support;

namespace ZeroBuffer.Serve.Tests.StepDefinitions;

public sealed class PatternsTests
{
    [Theory]
    [InlineData(1UL, 1)]
    [InlineData(1UL, 1024)]
    [InlineData(255UL, 700)]
    [InlineData(300UL, 5120)]
    public void Frame_pattern_is_sequence_plus_index(ulong sequence, int size)
    {
        var frame = new byte[size];
        Patterns.FillFrame(frame, sequence);

        for (int i = 0; i < size; i++)
        {
            Assert.Equal((byte)((sequence + (ulong)i) & 0xFF), frame[i]);
        }

        Assert.Equal(-1, Patterns.FindFrameMismatch(frame, sequence));
    }

    [Fact]
    public void A_changed_byte_is_found_at_its_index()
    {
        var frame = new byte[1000];
        Patterns.FillFrame(frame, 7);
        frame[613] ^= 0x40;

        Assert.Equal(613, Patterns.FindFrameMismatch(frame, 7));
        Assert.Equal(0, Patterns.FindFrameMismatch(frame, 8));
    }

    [Fact]
    public void Metadata_pattern_is_the_index()
    {
        var metadata = new byte[600];
        Patterns.FillMetadata(metadata);

        Assert.Equal(Enumerable.Range(0, 600).Select(i => (byte)i), metadata);
        Assert.Equal(-1, Patterns.FindMetadataMismatch(metadata));
        metadata[599] = 0;
        Assert.Equal(599, Patterns.FindMetadataMismatch(metadata));
    }

    [Fact]
    public void Empty_data_has_no_mismatch()
    {
        Assert.Equal(-1, Patterns.FindFrameMismatch([], 1));
        Patterns.FillFrame([], 1);
    }
}
