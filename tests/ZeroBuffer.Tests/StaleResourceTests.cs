using ZeroBuffer.Diagnostics;
using ZeroBuffer.Layout;
using ZeroBuffer.Platform;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests;

[Collection(ZeroBufferCollection.Name)]
public sealed class StaleResourceTests
{
    [Fact]
    public void A_new_reader_reclaims_its_own_stale_buffer_with_new_sizes()
    {
        string name = Some.ShmName();
        StaleBuffer.Create(name, payloadSize: 10240);

        using var reader = new Reader(name, Some.Config(payloadSize: 20480));
        using var writer = new Writer(name);
        writer.WriteFrame(Some.FrameData(1, 15000));

        using Frame frame = reader.ReadFrame();
        Assert.Equal(1UL, frame.Sequence);
        Assert.True(Some.MatchesFrame(frame.Span, 1));
        BufferState state = BufferInspector.Inspect(name);
        Assert.Equal(20480UL, state.PayloadSize);
        Assert.Equal((ulong)Environment.ProcessId, state.ReaderPid);
    }

    [Fact]
    public void A_stale_buffer_with_a_live_writer_is_replaced_and_the_old_writer_sees_ReaderDead()
    {
        string name = Some.ShmName();
        var first = new Reader(name, Some.Config(payloadSize: 10240));
        using var oldWriter = new Writer(name) { WriteTimeout = TimeSpan.FromMilliseconds(200) };
        oldWriter.WriteFrame(new byte[10224]);

        // The first reader "crashes": its pid becomes a dead one and its lock is released.
        using (var probe = new ShmProbe(name))
        {
            probe.WriteU64(Oieb.ReaderPidOffset, StaleBuffer.DeadPid);
        }

        ReleaseLockWithoutCleanup(first);

        using var second = new Reader(name, Some.Config(payloadSize: 20480));
        Assert.Throws<ReaderDeadException>(() => oldWriter.WriteFrame(new byte[10224]));
        Assert.Equal(20480UL, BufferInspector.Inspect(name).PayloadSize);
    }

    [Fact]
    public void Creating_any_reader_removes_other_abandoned_buffers()
    {
        string stale = Some.ShmName();
        StaleBuffer.Create(stale);
        Assert.Equal(4, StaleBuffer.Leftovers(stale).Length);

        using var reader = new Reader(Some.ShmName(), Some.Config());

        Assert.Empty(StaleBuffer.Leftovers(stale));
    }

    [Fact]
    public void A_lock_file_without_a_buffer_is_removed()
    {
        string orphan = Some.ShmName();
        LockDirectory.EnsureExists(orphan);
        File.WriteAllBytes(LockDirectory.LockFilePath(orphan), []);

        using var reader = new Reader(Some.ShmName(), Some.Config());

        Assert.Empty(StaleBuffer.Leftovers(orphan));
    }

    [Fact]
    public void An_unlocked_buffer_with_a_live_reader_or_writer_is_kept()
    {
        string liveReader = Some.ShmName();
        string liveWriter = Some.ShmName();
        StaleBuffer.Create(liveReader, readerPid: (ulong)Environment.ProcessId);
        StaleBuffer.Create(liveWriter, writerPid: (ulong)Environment.ProcessId);
        try
        {
            using var reader = new Reader(Some.ShmName(), Some.Config());

            Assert.Equal(4, StaleBuffer.Leftovers(liveReader).Length);
            Assert.Equal(4, StaleBuffer.Leftovers(liveWriter).Length);
        }
        finally
        {
            StaleBuffer.Remove(liveReader);
            StaleBuffer.Remove(liveWriter);
        }
    }

    [Fact]
    public void Leftover_semaphores_without_shm_are_replaced()
    {
        string name = Some.ShmName();
        StaleBuffer.Create(name);
        File.Delete(Path.Combine("/dev/shm", name)); // only the semaphores and the lock file remain

        using var reader = new Reader(name, Some.Config());
        using var writer = new Writer(name);
        writer.WriteFrame(Some.FrameData(1, 10));
        using Frame frame = reader.ReadFrame();
        Assert.Equal(1UL, frame.Sequence);
    }

    private static void ReleaseLockWithoutCleanup(Reader reader)
    {
        // Simulates SIGKILL: the kernel drops the flock, nothing is unlinked. The reader object is
        // abandoned; its resources now belong to the next reader.
        var lockField = typeof(Reader).GetField("_lock", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        ((LockFile)lockField.GetValue(reader)!).Dispose();
        GC.SuppressFinalize(reader);
    }
}
