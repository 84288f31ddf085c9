using System.Diagnostics;
using ZeroBuffer.Layout;
using ZeroBuffer.Platform;

namespace ZeroBuffer.Tests.Support;

/// <summary>
/// Builds by hand what a SIGKILLed reader leaves behind: an unlocked lock file, a complete shm and
/// both semaphores, with reader_pid of a process that has exited.
/// </summary>
internal static unsafe class StaleBuffer
{
    private static readonly Lazy<int> DeadPidValue = new(() =>
    {
        using var child = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
        child.WaitForExit(); // reaped, so kill(pid, 0) reports ESRCH
        return child.Id;
    });

    internal static ulong DeadPid => (ulong)DeadPidValue.Value;

    internal static void Create(string name, int payloadSize = 10240, int metadataSize = 1024, ulong? readerPid = null, ulong writerPid = 0)
    {
        LockDirectory.EnsureExists(name);
        File.WriteAllBytes(LockDirectory.LockFilePath(name), []);
        var layout = BufferLayout.For(new BufferConfig(metadataSize, payloadSize));
        using (SharedMemory shm = SharedMemory.TryCreateNew(name, layout.TotalSize) ?? throw new InvalidOperationException("exists"))
        {
            Oieb* o = (Oieb*)shm.Pointer;
            o->Major = 1;
            o->MetadataSize = (ulong)layout.MetadataSize;
            o->MetadataFreeBytes = (ulong)layout.MetadataSize;
            o->PayloadSize = (ulong)layout.PayloadSize;
            o->PayloadFreeBytes = layout.PayloadSize;
            o->ReaderPid = readerPid ?? DeadPid;
            o->WriterPid = writerPid;
            o->OiebSize = Oieb.Size;
        }

        NamedSemaphore.TryCreateNew(NamedSemaphore.WrittenName(name), name)!.Dispose();
        NamedSemaphore.TryCreateNew(NamedSemaphore.FreedName(name), name)!.Dispose();
    }

    internal static string[] Leftovers(string name) =>
        new[]
        {
            Path.Combine("/dev/shm", name),
            Path.Combine("/dev/shm", "sem.sem-w-" + name),
            Path.Combine("/dev/shm", "sem.sem-r-" + name),
            LockDirectory.LockFilePath(name),
        }.Where(File.Exists).ToArray();

    internal static void Remove(string name)
    {
        foreach (string path in Leftovers(name))
        {
            File.Delete(path);
        }
    }
}
