using ZeroBuffer.Diagnostics;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests.Diagnostics;

/// <summary>Reading and corrupting frame headers in the ring (Test 7.2's SequenceError, Test 10.3's InvalidFrameSize).</summary>
[Collection(ZeroBufferCollection.Name)]
public sealed class FrameHeaderEditTests
{
    [Fact]
    public void Headers_read_back_what_the_writer_wrote()
    {
        using var reader = new Reader(Some.ShmName(), Some.Config(payloadSize: 4096));
        using var writer = new Writer(reader.Name);

        writer.WriteFrame(new byte[100]);
        writer.WriteFrame(new byte[30]);

        Assert.Equal(new FrameHeaderState(100, 1), BufferEditor.ReadFrameHeader(reader.Name, 0));
        Assert.Equal(new FrameHeaderState(30, 2), BufferEditor.ReadFrameHeader(reader.Name, 116));
        Assert.True(BufferEditor.ReadFrameHeader(reader.Name, 4096 - 16).IsWrapMarker);
    }

    [Fact]
    public void A_rewritten_sequence_makes_the_reader_fail_naming_both_numbers()
    {
        using var reader = new Reader(Some.ShmName(), Some.Config(payloadSize: 4096));
        using var writer = new Writer(reader.Name);
        writer.WriteFrame(new byte[100]);

        BufferEditor.WriteFrameSequence(reader.Name, 0, 5);

        Assert.Equal(new FrameHeaderState(100, 5), BufferEditor.ReadFrameHeader(reader.Name, 0));
        var error = Assert.Throws<SequenceErrorException>(() => reader.ReadFrame(TimeSpan.FromSeconds(1)).Dispose());
        Assert.Equal((1UL, 5UL), (error.Expected, error.Got));
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(4096UL - 16 + 1)]
    [InlineData(ulong.MaxValue)]
    public void A_rewritten_payload_size_makes_the_reader_fail_naming_it(ulong size)
    {
        using var reader = new Reader(Some.ShmName(), Some.Config(payloadSize: 4096));
        using var writer = new Writer(reader.Name);
        writer.WriteFrame(new byte[100]);

        BufferEditor.WriteFramePayloadSize(reader.Name, 0, size);

        Assert.Equal(new FrameHeaderState(size, 1), BufferEditor.ReadFrameHeader(reader.Name, 0));
        var error = Assert.Throws<InvalidFrameSizeException>(() => reader.ReadFrame(TimeSpan.FromSeconds(1)).Dispose());
        Assert.Contains(size.ToString(), error.Message);
        Assert.Equal(0UL, BufferInspector.Inspect(reader.Name).PayloadReadPos); // the reader did not advance
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(4096 - 15)]
    public void A_header_that_does_not_fit_the_ring_is_refused(long offset)
    {
        using var reader = new Reader(Some.ShmName(), Some.Config(payloadSize: 4096));

        Assert.Throws<ArgumentOutOfRangeException>(() => BufferEditor.ReadFrameHeader(reader.Name, offset));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => BufferEditor.WriteFrameSequence(reader.Name, offset, 1));
        Assert.Contains("4096-byte payload ring", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => BufferEditor.WriteFramePayloadSize(reader.Name, offset, 1));
    }
}
