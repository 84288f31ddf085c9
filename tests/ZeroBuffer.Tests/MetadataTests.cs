using ZeroBuffer.Diagnostics;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests;

[Collection(ZeroBufferCollection.Name)]
public sealed class MetadataTests
{
    [Fact]
    public void Metadata_is_read_back_without_its_prefix_and_accounted_in_the_oieb()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config(metadataSize: 1024));
        using var writer = new Writer(name);
        Assert.True(reader.GetMetadata().IsEmpty);

        writer.SetMetadata(Some.MetadataData(500));

        Assert.Equal(Some.MetadataData(500), reader.GetMetadata().ToArray());
        BufferState state = BufferInspector.Inspect(name);
        Assert.Equal(508UL, state.MetadataWrittenBytes);
        Assert.Equal(1024UL - 508, state.MetadataFreeBytes);
    }

    [Fact]
    public void Metadata_is_written_once_per_buffer_whichever_writer_tries()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using (var writer = new Writer(name))
        {
            writer.SetMetadata(Some.MetadataData(100));
            Assert.Throws<MetadataAlreadyWrittenException>(() => writer.SetMetadata(Some.MetadataData(100)));
        }

        using var second = new Writer(name);
        var error = Assert.Throws<MetadataAlreadyWrittenException>(() => second.SetMetadata(Some.MetadataData(1)));
        Assert.Contains(name, error.Message);
        Assert.Equal(Some.MetadataData(100), reader.GetMetadata().ToArray());
    }

    [Theory]
    [InlineData(1017)]
    [InlineData(2048)]
    public void Metadata_larger_than_the_block_minus_its_prefix_is_refused(int size)
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config(metadataSize: 1024));
        using var writer = new Writer(name);

        var error = Assert.Throws<MetadataTooLargeException>(() => writer.SetMetadata(new byte[size]));
        Assert.Contains(size.ToString(), error.Message);
        Assert.Contains("1024", error.Message);
        Assert.True(reader.GetMetadata().IsEmpty);

        writer.SetMetadata(Some.MetadataData(1016)); // exactly fills the block
        Assert.Equal(1016, reader.GetMetadata().Length);
    }

    [Fact]
    public void A_zero_sized_block_refuses_all_metadata_and_frames_still_flow()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config(metadataSize: 0));
        using var writer = new Writer(name);

        Assert.Throws<MetadataTooLargeException>(() => writer.SetMetadata(new byte[1]));
        Assert.Throws<MetadataTooLargeException>(() => writer.SetMetadata(ReadOnlySpan<byte>.Empty));
        writer.WriteFrame(Some.FrameData(1, 100));

        Assert.True(reader.GetMetadata().IsEmpty);
        using Frame frame = reader.ReadFrame();
        Assert.Equal(1UL, frame.Sequence);
    }

    [Fact]
    public void Empty_metadata_is_allowed_reads_back_empty_and_counts_as_written()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using var writer = new Writer(name);

        writer.SetMetadata(ReadOnlySpan<byte>.Empty);

        Assert.True(reader.GetMetadata().IsEmpty);
        Assert.Equal(8UL, BufferInspector.Inspect(name).MetadataWrittenBytes);
        Assert.Throws<MetadataAlreadyWrittenException>(() => writer.SetMetadata(new byte[1]));
    }

    [Fact]
    public void Zero_copy_metadata_is_published_only_on_commit()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using var writer = new Writer(name);

        Span<byte> target = writer.GetMetadataBuffer(3);
        "abc"u8.CopyTo(target);
        Assert.True(reader.GetMetadata().IsEmpty);
        writer.CommitMetadata();

        Assert.Equal("abc"u8.ToArray(), reader.GetMetadata().ToArray());
    }

    [Fact]
    public void Metadata_block_sizes_are_rounded_up_to_64_bytes()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config(metadataSize: 1000));
        using var writer = new Writer(name);

        writer.SetMetadata(new byte[1016]);

        Assert.Equal(1024L, reader.MetadataSize);
        Assert.Equal(1016, reader.GetMetadata().Length);
    }
}
