using System.Runtime.InteropServices;
using ZeroBuffer.Layout;

namespace ZeroBuffer.Tests.Layout;

/// <summary>Pins the wire layout of PROTOCOL.md §2 so it cannot drift.</summary>
public sealed class OiebLayoutTests
{
    [Theory]
    [InlineData(nameof(Oieb.OiebSize), 0x00)]
    [InlineData(nameof(Oieb.Major), 0x04)]
    [InlineData(nameof(Oieb.Minor), 0x05)]
    [InlineData(nameof(Oieb.Patch), 0x06)]
    [InlineData(nameof(Oieb.Reserved), 0x07)]
    [InlineData(nameof(Oieb.MetadataSize), 0x08)]
    [InlineData(nameof(Oieb.MetadataFreeBytes), 0x10)]
    [InlineData(nameof(Oieb.MetadataWrittenBytes), 0x18)]
    [InlineData(nameof(Oieb.PayloadSize), 0x20)]
    [InlineData(nameof(Oieb.PayloadFreeBytes), 0x28)]
    [InlineData(nameof(Oieb.PayloadWritePos), 0x30)]
    [InlineData(nameof(Oieb.PayloadReadPos), 0x38)]
    [InlineData(nameof(Oieb.PayloadWrittenCount), 0x40)]
    [InlineData(nameof(Oieb.PayloadReadCount), 0x48)]
    [InlineData(nameof(Oieb.WriterPid), 0x50)]
    [InlineData(nameof(Oieb.ReaderPid), 0x58)]
    public void Fields_sit_at_the_protocol_offsets(string field, int offset)
    {
        Assert.Equal(offset, (int)Marshal.OffsetOf<Oieb>(field));
    }

    [Fact]
    public void Blocks_are_128_and_16_bytes()
    {
        Assert.Equal(128, Marshal.SizeOf<Oieb>());
        Assert.Equal(16, Marshal.SizeOf<FrameHeader>());
        Assert.Equal(8, (int)Marshal.OffsetOf<FrameHeader>(nameof(FrameHeader.Sequence)));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 64)]
    [InlineData(64, 64)]
    [InlineData(65, 128)]
    [InlineData(1000, 1024)]
    [InlineData(int.MaxValue, 2147483648L)]
    public void Sizes_are_aligned_to_64(long size, long aligned)
    {
        Assert.Equal(aligned, BufferLayout.Align64(size));
    }

    [Fact]
    public void The_payload_follows_the_aligned_metadata()
    {
        BufferLayout layout = BufferLayout.For(new BufferConfig(1000, 10000));
        Assert.Equal(128 + 1024, layout.PayloadOffset);
        Assert.Equal(128 + 1024 + 10048, layout.TotalSize);
    }
}
