using ZeroBuffer.Diagnostics;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests.Diagnostics;

[Collection(ZeroBufferCollection.Name)]
public sealed class BufferInspectorTests
{
    [Fact]
    public void A_fresh_buffer_shows_every_oieb_field()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, new BufferConfig(1000, 10000));

        BufferState state = BufferInspector.Inspect(name);

        Assert.Equal(
            new BufferState(128, "1.0.0", 1024, 1024, 0, 10048, 10048, 0, 0, 0, 0, 0, (ulong)Environment.ProcessId, ReaderAlive: true, WriterAlive: false),
            state);
    }

    [Fact]
    public void Counters_follow_writes_and_reads()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using var writer = new Writer(name);
        writer.SetMetadata(new byte[10]);
        writer.WriteFrame(new byte[100]);
        writer.WriteFrame(new byte[100]);
        reader.ReadFrame().Dispose();

        BufferState state = BufferInspector.Inspect(name);

        Assert.Equal(18UL, state.MetadataWrittenBytes);
        Assert.Equal(232UL, state.PayloadWritePos);
        Assert.Equal(116UL, state.PayloadReadPos);
        Assert.Equal(2UL, state.PayloadWrittenCount);
        Assert.Equal(1UL, state.PayloadReadCount);
        Assert.Equal(10240UL - 116, state.PayloadFreeBytes);
        Assert.True(state.WriterAlive);
    }

    [Fact]
    public void A_missing_buffer_is_BufferNotFound()
    {
        Assert.Throws<BufferNotFoundException>(() => BufferInspector.Inspect(Some.ShmName()));
    }

    [Fact]
    public void Inspecting_changes_nothing()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        byte[] before = File.ReadAllBytes($"/dev/shm/{name}");
        DateTime modified = File.GetLastWriteTimeUtc($"/dev/shm/{name}");

        BufferInspector.Inspect(name);

        Assert.Equal(before, File.ReadAllBytes($"/dev/shm/{name}"));
        Assert.Equal(modified, File.GetLastWriteTimeUtc($"/dev/shm/{name}"));
    }
}
