using ZeroBuffer.Diagnostics;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests.Diagnostics;

[Collection(ZeroBufferCollection.Name)]
public sealed class CrashSimulationTests
{
    [Fact]
    public void An_abandoned_reader_leaves_its_resources_stale_and_its_pid_recorded()
    {
        string name = Some.ShmName();
        var reader = new Reader(name, Some.Config());
        Assert.True(BufferInspector.IsLockFileHeld(name));

        CrashSimulation.Abandon(reader);

        Assert.False(BufferInspector.IsLockFileHeld(name));
        Assert.True(BufferInspector.SharedMemoryExists(name));
        Assert.True(BufferInspector.SemaphoreExists(name, written: true));
        Assert.True(BufferInspector.SemaphoreExists(name, written: false));
        Assert.Equal((ulong)Environment.ProcessId, BufferInspector.Inspect(name).ReaderPid);
        Assert.Throws<ObjectDisposedException>(() => reader.ReadFrame(TimeSpan.Zero));

        // A later Dispose must not undo the crash.
        reader.Dispose();
        Assert.True(BufferInspector.SharedMemoryExists(name));

        BufferEditor.WriteOiebField(name, "reader_pid", (ulong)CrashSimulation.DeadPid());
        using var replacement = new Reader(name, Some.Config(payloadSize: 20480)); // reclaims the stale buffer
        Assert.Equal(20480UL, BufferInspector.Inspect(name).PayloadSize);
    }

    [Fact]
    public void A_writer_sees_an_abandoned_reader_with_a_dead_pid_as_dead()
    {
        string name = Some.ShmName();
        var reader = new Reader(name, Some.Config());
        using var writer = new Writer(name);
        Assert.True(writer.IsReaderConnected());

        CrashSimulation.Abandon(reader);
        Assert.True(writer.IsReaderConnected()); // the pid still names this process
        BufferEditor.WriteOiebField(name, "reader_pid", (ulong)CrashSimulation.DeadPid());

        Assert.False(writer.IsReaderConnected());
        writer.Dispose();
        new Reader(name, Some.Config()).Dispose(); // reclaims and removes the stale buffer
    }

    [Fact]
    public void An_abandoned_writer_keeps_its_pid_and_the_reader_detects_it_dead_once_the_pid_is()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        var writer = new Writer(name);
        writer.WriteFrame(new byte[100]);

        CrashSimulation.Abandon(writer);
        Assert.Equal((ulong)Environment.ProcessId, BufferInspector.Inspect(name).WriterPid);
        Assert.Throws<ObjectDisposedException>(() => writer.WriteFrame(new byte[1]));
        writer.Dispose();
        Assert.Equal((ulong)Environment.ProcessId, BufferInspector.Inspect(name).WriterPid);

        BufferEditor.WriteOiebField(name, "writer_pid", (ulong)CrashSimulation.DeadPid());
        reader.ReadFrame().Dispose();
        Assert.False(reader.IsWriterConnected());
        Assert.Throws<WriterDeadException>(() => reader.ReadFrame(TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public void A_dead_pid_names_no_process()
    {
        int pid = CrashSimulation.DeadPid();

        Assert.True(pid > 0);
        Assert.False(CrashSimulation.IsAlive((ulong)pid));
        Assert.True(CrashSimulation.IsAlive((ulong)Environment.ProcessId));
        Assert.False(CrashSimulation.IsAlive(0));
    }

    [Fact]
    public void Semaphore_values_count_pending_posts()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using var writer = new Writer(name);
        Assert.Equal(0, BufferInspector.SemaphoreValue(name, written: true));

        writer.WriteFrame(new byte[10]);
        writer.WriteFrame(new byte[10]);
        Assert.Equal(2, BufferInspector.SemaphoreValue(name, written: true));

        reader.ReadFrame().Dispose();
        Assert.Equal(1, BufferInspector.SemaphoreValue(name, written: true));
        Assert.Equal(1, BufferInspector.SemaphoreValue(name, written: false));
    }

    [Fact]
    public void Probing_a_missing_buffer_is_BufferNotFound_or_false()
    {
        string name = Some.ShmName();

        Assert.Throws<BufferNotFoundException>(() => BufferInspector.SemaphoreValue(name, written: true));
        Assert.Throws<BufferNotFoundException>(() => BufferInspector.IsLockFileHeld(name));
        Assert.False(BufferInspector.SharedMemoryExists(name));
        Assert.False(BufferInspector.SemaphoreExists(name, written: false));
    }
}
