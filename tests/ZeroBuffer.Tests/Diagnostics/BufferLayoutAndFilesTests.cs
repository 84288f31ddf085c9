using ZeroBuffer.Diagnostics;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests.Diagnostics;

[Collection(ZeroBufferCollection.Name)]
public sealed class BufferLayoutAndFilesTests
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public void Layout_places_the_blocks_after_the_oieb_with_aligned_sizes()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, new BufferConfig(1, 4097));

        RegionLayout layout = BufferInspector.Layout(name);

        Assert.Equal(0UL, layout.MappingAddress % 64);
        Assert.Equal(128UL, layout.MetadataOffset);
        Assert.Equal(64UL, layout.MetadataSize);
        Assert.Equal(192UL, layout.PayloadOffset);
        Assert.Equal(4160UL, layout.PayloadSize);
        Assert.Equal(128L + 64 + 4160, layout.MappingSize);
    }

    [Fact]
    public void Layout_of_a_missing_buffer_is_BufferNotFound()
    {
        Assert.Throws<BufferNotFoundException>(() => BufferInspector.Layout(Some.ShmName()));
    }

    [Fact]
    public void Object_files_exist_with_mode_0600_while_the_reader_lives_and_are_gone_after_close()
    {
        string name = Some.ShmName();
        var reader = new Reader(name, Some.Config());

        IReadOnlyList<BufferObjectFile> files = BufferObjectFiles.Of(name);

        Assert.Equal(["shared memory", "sem-w", "sem-r", "lock file"], files.Select(f => f.Kind));
        Assert.Equal($"/dev/shm/{name}", files[0].Path);
        Assert.Equal($"/dev/shm/sem.sem-w-{name}", files[1].Path);
        Assert.Equal($"/dev/shm/sem.sem-r-{name}", files[2].Path);
        Assert.Equal(BufferInspector.LockFilePath(name), files[3].Path);
        Assert.All(files, f => Assert.Equal(OwnerReadWrite, f.Mode));

        reader.Dispose();

        Assert.All(BufferObjectFiles.Of(name), f => Assert.False(f.Exists, f.Path));
        Assert.All(BufferObjectFiles.Of(name), f => Assert.Null(f.Mode));
    }

    [Fact]
    public void Object_files_refuse_an_invalid_name()
    {
        Assert.Throws<InvalidBufferNameException>(() => BufferObjectFiles.Of("bad/name"));
    }

    [Fact]
    public void NamedAfter_finds_the_entries_of_a_live_buffer_and_none_after_close()
    {
        string name = Some.ShmName();
        var reader = new Reader(name, Some.Config());

        Assert.Equal(4, BufferObjectFiles.NamedAfter(name).Count);

        reader.Dispose();

        Assert.Empty(BufferObjectFiles.NamedAfter(name));
        Assert.Empty(BufferObjectFiles.NamedAfter(name + " with/invalid chars"));
    }
}
