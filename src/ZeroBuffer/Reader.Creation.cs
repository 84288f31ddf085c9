using Microsoft.Extensions.Logging;
using ZeroBuffer.Internal;
using ZeroBuffer.Layout;
using ZeroBuffer.Platform;

namespace ZeroBuffer;

/// <summary>The steps of creating a buffer (PROTOCOL.md §5, reader side).</summary>
public sealed unsafe partial class Reader
{
    private void PublishOieb(BufferLayout layout)
    {
        Oieb* o = _oieb;
        o->Major = Oieb.VersionMajor;
        o->Minor = Oieb.VersionMinor;
        o->Patch = Oieb.VersionPatch;
        o->Reserved = 0;
        o->MetadataSize = (ulong)layout.MetadataSize;
        o->MetadataFreeBytes = (ulong)layout.MetadataSize;
        o->MetadataWrittenBytes = 0;
        o->PayloadSize = (ulong)layout.PayloadSize;
        o->PayloadFreeBytes = layout.PayloadSize;
        o->PayloadWritePos = 0;
        o->PayloadReadPos = 0;
        o->PayloadWrittenCount = 0;
        o->PayloadReadCount = 0;
        o->WriterPid = 0;
        o->ReaderPid = ProcessLiveness.CurrentPid;

        // Last, with release semantics: a writer that reads 128 here sees every field above.
        Volatile.Write(ref o->OiebSize, (uint)Oieb.Size);
    }

    /// <summary>
    /// Takes the buffer's lock file. A held lock usually means a live reader (refused at once), but
    /// another process's stale-resource check also holds it for a moment, so when no live reader is
    /// recorded we retry for a short while before refusing.
    /// </summary>
    private static LockFile AcquireLock(string name, ILogger logger)
    {
        string path = LockDirectory.LockFilePath(name);
        long deadline = Environment.TickCount64 + LockRetryMilliseconds;
        for (int attempt = 1; ; attempt++)
        {
            LockFile? lockFile = LockFile.TryAcquire(path, name);
            if (lockFile is not null)
            {
                return lockFile;
            }

            if (StaleResourceCleaner.HasLiveReader(name) || Environment.TickCount64 >= deadline)
            {
                throw new ReaderAlreadyConnectedException($"Buffer '{name}' already has a reader (its lock file '{path}' is held).", name);
            }

            if (attempt == 1)
            {
                Log.LockHeldRetrying(logger, name, path, LockRetryMilliseconds);
            }

            Thread.Sleep(5);
        }
    }

    private SharedMemory CreateSharedMemory(string name, long totalSize)
    {
        for (int attempt = 0; attempt < 2; attempt++)
        {
            SharedMemory? shm = SharedMemory.TryCreateNew(name, totalSize);
            if (shm is not null)
            {
                return shm;
            }

            // It exists although we hold the lock: left by a crashed reader, or owned by a reader
            // whose lock file was deleted. Never remove a buffer whose reader is alive.
            // A live writer of the old buffer does not keep it: it will see ReaderDead (PROTOCOL.md §5 step 4).
            if (!StaleResourceCleaner.RemoveIfAbandoned(name, _logger, considerWriter: false))
            {
                throw new ReaderAlreadyConnectedException($"Buffer '{name}' already exists and its reader is alive.", name);
            }
        }

        throw new ReaderAlreadyConnectedException($"Buffer '{name}' was recreated by someone else while this reader was creating it.", name);
    }

    private static NamedSemaphore CreateSemaphore(string osName, string bufferName)
    {
        NamedSemaphore? semaphore = NamedSemaphore.TryCreateNew(osName, bufferName);
        if (semaphore is null)
        {
            // A crashed reader's leftover (its shm is gone, we just created a new one): replace it.
            NamedSemaphore.Unlink(osName);
            semaphore = NamedSemaphore.TryCreateNew(osName, bufferName)
                ?? throw new ZeroBufferException($"Semaphore '{osName}' of buffer '{bufferName}' keeps being recreated by another process.", bufferName);
        }

        return semaphore;
    }
}
