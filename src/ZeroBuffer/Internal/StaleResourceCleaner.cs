using Microsoft.Extensions.Logging;
using ZeroBuffer.Layout;
using ZeroBuffer.Platform;

namespace ZeroBuffer.Internal;

/// <summary>
/// Removes what crashed readers left behind (PROTOCOL.md §5 step 2): a lock file nobody holds, its
/// shared memory and both semaphores, but only when neither the recorded reader nor the recorded
/// writer is alive. Best effort: a buffer it cannot judge is left alone.
/// </summary>
internal static unsafe class StaleResourceCleaner
{
    /// <summary>Checks every other *.lock file in the lock directory.</summary>
    internal static void CleanLockDirectory(string ownName, ILogger logger)
    {
        string directory = LockDirectory.Path;
        string[] paths;
        try
        {
            paths = Directory.GetFiles(directory, "*" + LockDirectory.Extension);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.StaleCheckSkipped(logger, directory, e.Message);
            return;
        }

        foreach (string path in paths)
        {
            string name = Path.GetFileNameWithoutExtension(path);
            if (name == ownName || !BufferNames.IsValid(name))
            {
                continue;
            }

            try
            {
                CleanIfStale(path, name, logger);
            }
            catch (Exception e) when (e is ZeroBufferException or IOException or UnauthorizedAccessException)
            {
                Log.StaleCheckSkipped(logger, path, e.Message);
            }
        }
    }

    private static void CleanIfStale(string lockPath, string name, ILogger logger)
    {
        // A lock we can take means no reader is running for this buffer (a live one holds its lock).
        LockFile? lockFile = LockFile.TryAcquireExisting(lockPath, name);
        if (lockFile is null)
        {
            return;
        }

        try
        {
            if (RemoveIfAbandoned(name, logger))
            {
                lockFile.DeleteAndRelease();
            }
        }
        finally
        {
            lockFile.Dispose();
        }
    }

    /// <summary>
    /// Removes the shm and both semaphores of <paramref name="name"/> unless a live reader (or, with
    /// <paramref name="considerWriter"/>, a live writer) is recorded in its OIEB. Returns false (and
    /// removes nothing) when the buffer is in use.
    /// </summary>
    internal static bool RemoveIfAbandoned(string name, ILogger logger, bool considerWriter = true)
    {
        ulong readerPid = 0;
        ulong writerPid = 0;
        using (SharedMemory? shm = SharedMemory.TryOpen(name, writable: false, minimumSize: Oieb.Size, mapLimit: Oieb.Size))
        {
            if (shm is not null && shm.Pointer != null)
            {
                Oieb* oieb = (Oieb*)shm.Pointer;
                readerPid = Volatile.Read(ref oieb->ReaderPid);
                writerPid = Volatile.Read(ref oieb->WriterPid);
                if (ProcessLiveness.IsAlive(readerPid) || (considerWriter && ProcessLiveness.IsAlive(writerPid)))
                {
                    return false;
                }
            }
        }

        RemoveResources(name);
        Log.StaleBufferRemoved(logger, name, readerPid, writerPid);
        return true;
    }

    /// <summary>True when the buffer's OIEB records a reader whose process is alive.</summary>
    internal static bool HasLiveReader(string name)
    {
        try
        {
            using SharedMemory? shm = SharedMemory.TryOpen(name, writable: false, minimumSize: Oieb.Size, mapLimit: Oieb.Size);
            return shm is not null && shm.Pointer != null &&
                ProcessLiveness.IsAlive(Volatile.Read(ref ((Oieb*)shm.Pointer)->ReaderPid));
        }
        catch (ZeroBufferException)
        {
            // Cannot look (e.g. permissions): assume someone lives there rather than wait for nothing.
            return true;
        }
    }

    /// <summary>Unlinks the shm and both semaphores; names that do not exist are skipped.</summary>
    internal static void RemoveResources(string name)
    {
        SharedMemory.Unlink(name);
        NamedSemaphore.Unlink(NamedSemaphore.WrittenName(name));
        NamedSemaphore.Unlink(NamedSemaphore.FreedName(name));
    }
}
