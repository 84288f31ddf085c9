using ZeroBuffer.Layout;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests;

[Collection(ZeroBufferCollection.Name)]
public sealed class WriterDeadTests
{
    [Fact]
    public void Frames_left_by_a_closed_writer_are_still_read_then_WriterDead()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using (var writer = new Writer(name))
        {
            writer.WriteFrame(Some.FrameData(1, 100));
            writer.WriteFrame(Some.FrameData(2, 100));
        }

        using (Frame first = reader.ReadFrame(TimeSpan.FromMilliseconds(500)))
        {
            Assert.Equal(1UL, first.Sequence);
        }

        using (Frame second = reader.ReadFrame(TimeSpan.FromMilliseconds(500)))
        {
            Assert.Equal(2UL, second.Sequence);
        }

        var error = Assert.Throws<WriterDeadException>(() => reader.ReadFrame(TimeSpan.FromMilliseconds(100)));
        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void A_writer_that_connected_and_left_without_writing_is_WriterDead_once_seen()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        var writer = new Writer(name);
        Assert.True(reader.IsWriterConnected());
        writer.Dispose();

        Assert.Throws<WriterDeadException>(() => reader.ReadFrame(TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public void No_writer_yet_is_a_plain_timeout()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());

        Assert.False(reader.ReadFrame(TimeSpan.FromMilliseconds(50)).IsValid);
    }

    [Fact]
    public void A_recorded_writer_pid_that_is_not_running_is_WriterDead()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using (var probe = new ShmProbe(name))
        {
            probe.WriteU64(Oieb.WriterPidOffset, StaleBuffer.DeadPid);
        }

        var error = Assert.Throws<WriterDeadException>(() => reader.ReadFrame(TimeSpan.FromMilliseconds(100)));
        Assert.Contains(StaleBuffer.DeadPid.ToString(), error.Message);
        Assert.False(reader.IsWriterConnected());
    }

    [Fact]
    public void An_infinite_read_still_notices_that_the_writer_left()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        var writer = new Writer(name);
        writer.WriteFrame(Some.FrameData(1, 10));
        using (Frame frame = reader.ReadFrame(Timeout.InfiniteTimeSpan))
        {
            Assert.Equal(1UL, frame.Sequence);
        }

        writer.Dispose();
        Assert.Throws<WriterDeadException>(() => reader.ReadFrame(Timeout.InfiniteTimeSpan));
    }
}
