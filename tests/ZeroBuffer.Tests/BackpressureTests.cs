using System.Diagnostics;
using ZeroBuffer.Diagnostics;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests;

[Collection(ZeroBufferCollection.Name)]
public sealed class BackpressureTests
{
    [Fact]
    public void A_full_ring_with_a_live_reader_is_BufferFull_after_the_write_timeout()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config(payloadSize: 10240));
        using var writer = new Writer(name) { WriteTimeout = TimeSpan.FromMilliseconds(300) };
        writer.WriteFrame(new byte[10224]); // fills the ring

        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<BufferFullException>(() => writer.WriteFrame(new byte[1024]));
        watch.Stop();

        Assert.InRange(watch.ElapsedMilliseconds, 250, 3000);
        Assert.Contains(name, error.Message);
        Assert.Equal("BufferFull", error.Kind);
        Assert.Equal(1UL, BufferInspector.Inspect(name).PayloadWrittenCount); // nothing partial was published
    }

    [Fact]
    public void A_full_ring_whose_reader_left_is_ReaderDead_after_the_write_timeout()
    {
        string name = Some.ShmName();
        var reader = new Reader(name, Some.Config(payloadSize: 10240));
        using var writer = new Writer(name) { WriteTimeout = TimeSpan.FromMilliseconds(200) };
        writer.WriteFrame(new byte[10224]);
        reader.Dispose();

        var error = Assert.Throws<ReaderDeadException>(() => writer.WriteFrame(new byte[1024]));
        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void A_blocked_writer_resumes_as_soon_as_the_reader_releases_a_frame()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config(payloadSize: 10240));
        using var writer = new Writer(name) { WriteTimeout = TimeSpan.FromSeconds(10) };
        writer.WriteFrame(Some.FrameData(1, 10224));

        var release = new Thread(() =>
        {
            Thread.Sleep(200);
            using Frame frame = reader.ReadFrame();
        });
        release.Start();
        var watch = Stopwatch.StartNew();
        writer.WriteFrame(Some.FrameData(2, 5000));
        watch.Stop();
        release.Join();

        Assert.InRange(watch.ElapsedMilliseconds, 100, 5000);
        using Frame second = reader.ReadFrame();
        Assert.Equal(2UL, second.Sequence);
    }

    [Fact]
    public void A_zero_write_timeout_fails_at_once_when_there_is_no_space()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config(payloadSize: 1024));
        using var writer = new Writer(name) { WriteTimeout = TimeSpan.Zero };
        writer.WriteFrame(new byte[1000]);

        Assert.Throws<BufferFullException>(() => writer.WriteFrame(new byte[100]));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.WriteTimeout = TimeSpan.FromMilliseconds(-5));
    }
}
