using System.Diagnostics;
using ZeroBuffer.Platform;

namespace ZeroBuffer.Diagnostics;

/// <summary>
/// Test/diagnostics only: makes a reader or writer look as if its process had been killed, for
/// harnesses that run every role in one process. Production code never calls this.
/// </summary>
public static class CrashSimulation
{
    /// <summary>
    /// Closes the reader's descriptors without the close protocol: its flock is released, but the
    /// shm, semaphores and lock file stay and reader_pid is not reset. The reader is unusable afterwards
    /// and must not be disposed (there is nothing left to dispose).
    /// </summary>
    public static void Abandon(Reader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        reader.Abandon();
    }

    /// <summary>Closes the writer's descriptors without the close protocol: writer_pid is not reset.</summary>
    public static void Abandon(Writer writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Abandon();
    }

    /// <summary>
    /// The pid of a child process that was started and reaped, so no process has it (until the kernel
    /// hands the number out again, which takes a full turn of the pid space).
    /// </summary>
    /// <exception cref="InvalidOperationException">The child could not be started or its pid is still in use.</exception>
    public static int DeadPid()
    {
        using Process child = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not start /bin/true to obtain a dead pid.");
        int pid = child.Id;
        child.WaitForExit(); // reaps it: the pid names no process, not even a zombie
        if (ProcessLiveness.IsAlive((ulong)pid))
        {
            throw new InvalidOperationException($"The reaped child's pid {pid} names a live process again.");
        }

        return pid;
    }

    /// <summary>True when <paramref name="pid"/> is not 0 and names a live process (kill(pid, 0)).</summary>
    public static bool IsAlive(ulong pid) => ProcessLiveness.IsAlive(pid);
}
