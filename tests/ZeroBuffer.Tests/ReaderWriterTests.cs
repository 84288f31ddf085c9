using ZeroBuffer.Diagnostics;
using ZeroBuffer.Layout;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests;

[Collection(ZeroBufferCollection.Name)]
public sealed class ReaderWriterTests
{
    [Fact]
    public void Frames_written_are_read_in_order_with_their_bytes()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using var writer = new Writer(name);

        for (ulong s = 1; s <= 50; s++)
        {
            writer.WriteFrame(Some.FrameData(s, 1024));
            using Frame frame = reader.ReadFrame(TimeSpan.FromSeconds(5));
            Assert.True(frame.IsValid);
            Assert.Equal(s, frame.Sequence);
            Assert.Equal(1024, frame.Size);
            Assert.True(Some.MatchesFrame(frame.Span, s));
        }
    }

    [Fact]
    public void Zero_copy_frame_buffer_reports_the_sequence_and_lands_in_the_ring()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using var writer = new Writer(name);

        for (ulong expected = 1; expected <= 3; expected++)
        {
            Span<byte> target = writer.GetFrameBuffer(300, out ulong sequence);
            Assert.Equal(expected, sequence);
            Assert.Equal(300, target.Length);
            Some.FillFrame(target, sequence);
            writer.CommitFrame();
        }

        for (ulong s = 1; s <= 3; s++)
        {
            using Frame frame = reader.ReadFrame();
            Assert.Equal(s, frame.Sequence);
            Assert.True(Some.MatchesFrame(frame.Span, s));
        }

        Assert.Equal(3UL, writer.FramesWritten);
    }

    [Fact]
    public void Uncommitted_frame_is_not_visible_and_a_second_get_is_refused()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using var writer = new Writer(name);

        writer.GetFrameBuffer(10, out _);
        Assert.False(reader.ReadFrame(TimeSpan.FromMilliseconds(50)).IsValid);
        Assert.Throws<InvalidOperationException>(() => writer.GetFrameBuffer(10, out _));
        writer.CommitFrame();
        Assert.Throws<InvalidOperationException>(() => writer.CommitFrame());
        using Frame frame = reader.ReadFrame();
        Assert.True(frame.IsValid);
    }

    [Fact]
    public void Frame_copy_and_mutable_view_share_the_ring_bytes()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using var writer = new Writer(name);
        writer.WriteFrame(Some.FrameData(1, 64));

        using Frame frame = reader.ReadFrame();
        byte[] copy = frame.ToArray();
        frame.GetMutableSpan()[0] = 0xEE;

        Assert.Equal(Some.FrameData(1, 64), copy);
        Assert.Equal(0xEE, frame.Span[0]);
    }

    [Fact]
    public void Read_timeout_returns_an_invalid_frame_after_roughly_the_timeout()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using var writer = new Writer(name);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        Frame frame = reader.ReadFrame(TimeSpan.FromMilliseconds(200));
        watch.Stop();

        Assert.False(frame.IsValid);
        Assert.Equal(0, frame.Size);
        Assert.True(frame.Span.IsEmpty);
        Assert.InRange(watch.ElapsedMilliseconds, 150, 2000);
        frame.Dispose(); // disposing the invalid frame is harmless
    }

    [Fact]
    public void Connection_state_is_visible_from_both_sides()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        Assert.False(reader.IsWriterConnected());
        Assert.False(reader.IsWriterConnected(50));

        var writer = new Writer(name);
        Assert.True(writer.IsReaderConnected());
        Assert.True(reader.IsWriterConnected());
        Assert.True(reader.IsWriterConnected(1000));
        Assert.Equal((ulong)Environment.ProcessId, BufferInspector.Inspect(name).WriterPid);

        writer.Dispose();
        Assert.False(reader.IsWriterConnected());
        Assert.Equal(0UL, BufferInspector.Inspect(name).WriterPid);
    }

    [Fact]
    public void IsWriterConnected_with_timeout_sees_a_writer_that_connects_later()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        Writer? writer = null;
        var connect = new Thread(() =>
        {
            Thread.Sleep(100);
            writer = new Writer(name);
        });
        connect.Start();

        Assert.True(reader.IsWriterConnected(5000));
        connect.Join();
        writer!.Dispose();
    }

    [Fact]
    public void Writer_sees_the_reader_leave()
    {
        string name = Some.ShmName();
        var reader = new Reader(name, Some.Config());
        using var writer = new Writer(name);
        Assert.True(writer.IsReaderConnected());

        reader.Dispose();

        Assert.False(writer.IsReaderConnected());
    }

    [Fact]
    public void Dispose_twice_is_safe_and_use_after_dispose_throws()
    {
        string name = Some.ShmName();
        var reader = new Reader(name, Some.Config());
        var writer = new Writer(name);

        writer.Dispose();
        writer.Dispose();
        reader.Dispose();
        reader.Dispose();

        Assert.Throws<ObjectDisposedException>(() => writer.WriteFrame(new byte[1]));
        Assert.Throws<ObjectDisposedException>(() => reader.ReadFrame(TimeSpan.Zero));
        Assert.Empty(StaleBuffer.Leftovers(name));
    }

    [Fact]
    public void Reader_dispose_removes_shm_semaphores_and_lock_file_while_writer_dispose_removes_nothing()
    {
        string name = Some.ShmName();
        var reader = new Reader(name, Some.Config());
        var writer = new Writer(name);
        Assert.Equal(4, StaleBuffer.Leftovers(name).Length);

        writer.Dispose();
        Assert.Equal(4, StaleBuffer.Leftovers(name).Length);

        reader.Dispose();
        Assert.Empty(StaleBuffer.Leftovers(name));
    }

    [Fact]
    public void Sequences_restart_at_one_for_a_writer_from_another_process()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using (var first = new Writer(name))
        {
            first.WriteFrame(Some.FrameData(1, 10));
            first.WriteFrame(Some.FrameData(2, 10));
            using (Frame frame = reader.ReadFrame()) { Assert.Equal(1UL, frame.Sequence); }
            using (Frame frame = reader.ReadFrame()) { Assert.Equal(2UL, frame.Sequence); }
        }

        using var second = new Writer(name);
        second.WriteFrame(Some.FrameData(1, 10));
        using (var probe = new ShmProbe(name))
        {
            // This test process is both writers; pretend the second one is another process (pid 1 is
            // always alive), then restore the pid so the writer's Dispose clears its claim.
            probe.WriteU64(Oieb.WriterPidOffset, 1);
            using (Frame frame = reader.ReadFrame())
            {
                Assert.Equal(1UL, frame.Sequence);
                Assert.True(Some.MatchesFrame(frame.Span, 1));
            }

            probe.WriteU64(Oieb.WriterPidOffset, (ulong)Environment.ProcessId);
        }

        second.WriteFrame(Some.FrameData(2, 10));
        using Frame next = reader.ReadFrame();
        Assert.Equal(2UL, next.Sequence);
    }

    [Fact]
    public void A_restart_at_one_from_the_same_writer_process_is_a_sequence_error()
    {
        // With the same pid the reader cannot tell a reconnect from a corrupted header.
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using (var first = new Writer(name))
        {
            first.WriteFrame(Some.FrameData(1, 10));
            using Frame frame = reader.ReadFrame();
            Assert.Equal(1UL, frame.Sequence);
        }

        using var second = new Writer(name);
        second.WriteFrame(Some.FrameData(1, 10));
        var error = Assert.Throws<SequenceErrorException>(() => reader.ReadFrame());
        Assert.Equal(2UL, error.Expected);
        Assert.Equal(1UL, error.Got);
        Assert.Equal("SequenceError", error.Kind);
    }

    [Fact]
    public void Default_timeouts_are_five_seconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), Reader.DefaultReadTimeout);
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using var writer = new Writer(name);
        Assert.Equal(TimeSpan.FromSeconds(5), writer.WriteTimeout);
        Assert.Equal(name, writer.Name);
        Assert.Equal(name, reader.Name);
    }

    [Fact]
    public void A_restart_at_1_after_the_previous_writer_left_is_accepted()
    {
        // Both writers closed before the reader read: no writer is connected, so the 1 is a restart.
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        for (int run = 0; run < 2; run++)
        {
            using (var writer = new Writer(name))
            {
                writer.WriteFrame(Some.FrameData(1, 10));
            }

            using Frame frame = reader.ReadFrame(TimeSpan.FromSeconds(1));
            Assert.Equal(1UL, frame.Sequence);
        }
    }
}
