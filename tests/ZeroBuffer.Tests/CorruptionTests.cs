using ZeroBuffer.Diagnostics;
using ZeroBuffer.Layout;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests;

/// <summary>Whatever the shared memory contains, the library reports it and never reads outside the mapping.</summary>
[Collection(ZeroBufferCollection.Name)]
public sealed class CorruptionTests
{
    [Fact]
    public void A_wrong_sequence_is_a_SequenceError_with_expected_and_got_and_read_pos_stays()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using var writer = new Writer(name);
        writer.WriteFrame(Some.FrameData(1, 100));
        reader.ReadFrame().Dispose();
        writer.WriteFrame(Some.FrameData(2, 100));
        using (var probe = new ShmProbe(name))
        {
            probe.WriteU64(probe.RingOffset(116) + FrameHeader.SequenceOffset, 7);
        }

        var error = Assert.Throws<SequenceErrorException>(() => reader.ReadFrame());

        Assert.Equal(2UL, error.Expected);
        Assert.Equal(7UL, error.Got);
        Assert.Contains("expected 2", error.Message);
        Assert.Contains("got 7", error.Message);
        Assert.Contains(name, error.Message);
        Assert.Equal(116UL, BufferInspector.Inspect(name).PayloadReadPos);
    }

    [Theory]
    [InlineData(10240UL - 116 - 16 + 1)] // one byte past the end of the ring
    [InlineData(ulong.MaxValue)]
    [InlineData(1UL << 40)]
    [InlineData((ulong)int.MaxValue + 1)]
    public void A_frame_size_pointing_outside_the_ring_is_InvalidFrameSize_naming_the_values(ulong corrupt)
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config(payloadSize: 10240));
        using var writer = new Writer(name);
        writer.WriteFrame(Some.FrameData(1, 100));
        reader.ReadFrame().Dispose();
        writer.WriteFrame(Some.FrameData(2, 100));
        using (var probe = new ShmProbe(name))
        {
            probe.WriteU64(probe.RingOffset(116) + FrameHeader.PayloadSizeOffset, corrupt);
        }

        var error = Assert.Throws<InvalidFrameSizeException>(() => reader.ReadFrame());

        Assert.Contains(corrupt.ToString(), error.Message);
        Assert.Contains("116", error.Message);
        Assert.Contains("10240", error.Message);
    }

    [Fact]
    public void A_zero_size_at_the_start_of_the_ring_is_InvalidFrameSize_not_a_second_wrap()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config(payloadSize: 1024));
        using var writer = new Writer(name);
        writer.WriteFrame(Some.FrameData(1, 100));
        using (var probe = new ShmProbe(name))
        {
            probe.WriteU64(probe.RingOffset(0) + FrameHeader.PayloadSizeOffset, 0);
            probe.WriteU64(probe.RingOffset(0) + FrameHeader.SequenceOffset, 1);
        }

        ulong freeBefore = BufferInspector.Inspect(name).PayloadFreeBytes;
        Assert.Throws<InvalidFrameSizeException>(() => reader.ReadFrame());

        // Offset 0 never holds a marker, so nothing was wrapped and no ring space was credited.
        Assert.Equal(freeBefore, BufferInspector.Inspect(name).PayloadFreeBytes);
    }

    [Fact]
    public void A_corrupted_frame_at_the_ring_end_never_reads_past_the_mapping()
    {
        // The last frame of the ring claims to reach beyond it: the check must use the reader's own
        // ring size and position, so no byte after the mapping is touched (that would crash the test host).
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config(payloadSize: 1024));
        using var writer = new Writer(name);
        writer.WriteFrame(Some.FrameData(1, 1024 - 16 - 32));
        reader.ReadFrame().Dispose();
        writer.WriteFrame(Some.FrameData(2, 8)); // at 992, the last 24 bytes but 8
        using (var probe = new ShmProbe(name))
        {
            probe.WriteU64(probe.RingOffset(992) + FrameHeader.PayloadSizeOffset, 4096);
            probe.WriteU64(Oieb.PayloadSizeOffset, 1UL << 30); // the OIEB lies about the ring, too
            probe.WriteU64(Oieb.PayloadReadPosOffset, 1UL << 30);
        }

        Assert.Throws<InvalidFrameSizeException>(() => reader.ReadFrame());
    }

    [Theory]
    [InlineData(Oieb.OiebSizeOffset, 64UL)]
    [InlineData(Oieb.OiebSizeOffset, 129UL)]
    [InlineData(Oieb.PayloadSizeOffset, 1UL << 40)]
    [InlineData(Oieb.PayloadSizeOffset, 0UL)]
    [InlineData(Oieb.MetadataSizeOffset, ulong.MaxValue)]
    [InlineData(Oieb.PayloadWritePosOffset, 20000UL)]
    public void A_corrupted_oieb_is_InvalidOieb_on_connect(int offset, ulong value)
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config(payloadSize: 10240));
        using (var probe = new ShmProbe(name))
        {
            if (offset == Oieb.OiebSizeOffset)
            {
                probe.WriteU32(offset, (uint)value);
            }
            else
            {
                probe.WriteU64(offset, value);
            }
        }

        var error = Assert.Throws<InvalidOiebException>(() => new Writer(name));
        Assert.Contains(name, error.Message);
        Assert.Equal(0UL, BufferInspector.Inspect(name).WriterPid);
    }

    [Fact]
    public void Another_major_version_is_ProtocolVersionMismatch()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using (var probe = new ShmProbe(name))
        {
            probe.WriteByte(Oieb.VersionOffset, 2);
        }

        var error = Assert.Throws<ProtocolVersionMismatchException>(() => new Writer(name));
        Assert.Contains("2.0.0", error.Message);
    }

    [Fact]
    public void A_half_created_buffer_is_BufferNotFound()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using (var probe = new ShmProbe(name))
        {
            probe.WriteU32(Oieb.OiebSizeOffset, 0);
        }

        Assert.Throws<BufferNotFoundException>(() => new Writer(name));
    }

    [Fact]
    public void Corrupted_metadata_length_is_InvalidOieb_not_an_out_of_bounds_read()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using var writer = new Writer(name);
        writer.SetMetadata(Some.MetadataData(10));
        using (var probe = new ShmProbe(name))
        {
            probe.WriteU64(BufferLayout.MetadataOffset, 1UL << 40);
        }

        Assert.Throws<InvalidOiebException>(() => reader.GetMetadata().Length);
    }
}
