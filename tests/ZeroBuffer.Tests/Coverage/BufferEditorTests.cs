using ZeroBuffer.Diagnostics;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests.Coverage;

/// <summary>The diagnostics editor refuses what it cannot do: unknown fields, bytes that do not fit, missing buffers.</summary>
[Collection(ZeroBufferCollection.Name)]
public sealed class BufferEditorTests
{
    [Fact]
    public void An_unknown_field_is_refused_by_name()
    {
        using var reader = new Reader(Some.ShmName(), Some.Config());

        var error = Assert.Throws<ArgumentException>(() => BufferEditor.WriteOiebField(reader.Name, "payload_colour", 1));

        Assert.Contains("'payload_colour'", error.Message);
        Assert.Contains("payload_free_bytes", BufferEditor.FieldNames);
    }

    [Fact]
    public void A_field_write_is_little_endian_and_truncated_to_its_width()
    {
        using var reader = new Reader(Some.ShmName(), Some.Config());

        BufferEditor.WriteOiebField(reader.Name, "version_patch", 0x1_07);

        Assert.Equal(0x07, BufferEditor.OiebImage(reader.Name)[6]);
    }

    [Theory]
    [InlineData(0, 1025)]
    [InlineData(1025, 0)]
    [InlineData(-1, 1)]
    public void Region_bytes_that_do_not_fit_are_refused(long offset, int length)
    {
        using var reader = new Reader(Some.ShmName(), Some.Config(metadataSize: 1024));

        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => BufferEditor.WriteRegionBytes(reader.Name, BufferRegion.Metadata, offset, new byte[length]));

        Assert.Contains("1024-byte Metadata region", error.Message);
        Assert.All(BufferEditor.RegionImage(reader.Name, BufferRegion.Metadata), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Region_bytes_land_at_their_offset()
    {
        using var reader = new Reader(Some.ShmName(), Some.Config(payloadSize: 4096));

        BufferEditor.WriteRegionBytes(reader.Name, BufferRegion.Payload, 4094, [0xAB, 0xCD]);

        byte[] payload = BufferEditor.RegionImage(reader.Name, BufferRegion.Payload);
        Assert.Equal(4096, payload.Length);
        Assert.Equal([0xAB, 0xCD], payload[4094..]);
    }

    [Fact]
    public void Missing_buffers_are_BufferNotFound()
    {
        string missing = Some.ShmName();

        Assert.Throws<BufferNotFoundException>(() => BufferEditor.OiebImage(missing));
        Assert.Throws<BufferNotFoundException>(() => BufferEditor.PostSemaphore(missing, written: true));
        Assert.Throws<InvalidBufferNameException>(() => BufferEditor.PostSemaphore("bad/name", written: false));
    }
}
