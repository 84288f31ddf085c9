using ZeroBuffer.Diagnostics;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests.Diagnostics;

/// <summary>Continuous free bytes and ring entries (frame headers, wrap markers, implicit wraps) through the diagnostics API.</summary>
[Collection(ZeroBufferCollection.Name)]
public sealed class RingInspectionTests
{
    [Theory]
    [InlineData(10240UL, 10240UL, 0UL, 10240UL)] // empty at 0: the whole ring
    [InlineData(10240UL, 4048UL, 6192UL, 4048UL)] // read_pos 0: only the tail
    [InlineData(10240UL, 9064UL, 6192UL, 5016UL)] // write > read: the start (read_pos 5016) beats the tail
    [InlineData(10240UL, 8192UL, 6192UL, 4144UL)] // write > read: the tail beats the start
    [InlineData(10240UL, 1176UL, 5016UL, 1176UL)] // write < read: up to read_pos
    [InlineData(10240UL, 0UL, 4128UL, 0UL)] // full
    [InlineData(10240UL, 10240UL, 6192UL, 6192UL)] // empty, not at 0: the larger of tail and start
    [InlineData(10240UL, 500UL, 10240UL, 500UL)] // write_pos left at payload_size: no tail
    [InlineData(10240UL, 100UL, 6192UL, 100UL)] // unreleased frames: less than the tail
    public void Continuous_free_bytes_follow_the_writer_rule(ulong size, ulong free, ulong writePos, ulong expected)
    {
        Assert.Equal(expected, BufferState.ContinuousFree(size, free, writePos));
    }

    [Fact]
    public void A_frame_of_exactly_the_continuous_free_bytes_is_written_without_waiting_and_one_more_byte_is_not()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using var writer = new Writer(name) { WriteTimeout = TimeSpan.FromMilliseconds(50) };
        for (int i = 0; i < 3; i++)
        {
            writer.WriteFrame(new byte[2048]);
        }

        for (int i = 0; i < 2; i++)
        {
            reader.ReadFrame().Dispose();
        }

        BufferState state = BufferInspector.Inspect(name);
        Assert.Equal((6192UL, 4128UL), (state.PayloadWritePos, state.PayloadReadPos));
        Assert.Equal(4128UL, state.ContinuousFreeBytes);

        Assert.Throws<BufferFullException>(() => writer.WriteFrame(new byte[4128 - 16 + 1]));
        writer.WriteFrame(new byte[4128 - 16]);
        Assert.Equal(0UL, BufferInspector.Inspect(name).ContinuousFreeBytes);
    }

    [Fact]
    public void Ring_entries_show_frames_wrap_markers_and_implicit_wraps()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using var writer = new Writer(name);
        writer.WriteFrame(new byte[10124]); // leaves a 100-byte tail
        reader.ReadFrame().Dispose();
        writer.WriteFrame(new byte[200]); // wraps with a marker

        Assert.Equal(new RingEntry(10140, RingEntryKind.WrapMarker, 0, 0, 100), BufferInspector.RingEntryAt(name, 10140));
        Assert.Equal(new RingEntry(0, RingEntryKind.Frame, 200, 2, 0), BufferInspector.RingEntryAt(name, 0));
        Assert.Equal(new RingEntry(10232, RingEntryKind.ImplicitWrap, 0, 0, 8), BufferInspector.RingEntryAt(name, 10232));
        Assert.Equal(new RingEntry(10239, RingEntryKind.ImplicitWrap, 0, 0, 1), BufferInspector.RingEntryAt(name, 10239));
        Assert.Equal(new RingEntry(10224, RingEntryKind.WrapMarker, 0, 0, 16), BufferInspector.RingEntryAt(name, 10224));
    }

    [Fact]
    public void A_header_at_an_unaligned_offset_is_read_as_stored()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using var writer = new Writer(name);
        writer.WriteFrame(new byte[31]);
        writer.WriteFrame(new byte[1]);

        Assert.Equal(new RingEntry(47, RingEntryKind.Frame, 1, 2, 0), BufferInspector.RingEntryAt(name, 47));
    }

    [Fact]
    public void An_offset_outside_the_ring_or_a_missing_buffer_is_refused()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());

        Assert.Throws<ArgumentOutOfRangeException>(() => BufferInspector.RingEntryAt(name, 10240));
        Assert.Throws<BufferNotFoundException>(() => BufferInspector.RingEntryAt(Some.ShmName() + "-missing", 0));
    }
}
