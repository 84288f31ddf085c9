using ZeroBuffer.Internal;
using ZeroBuffer.Layout;
using ZeroBuffer.Platform;

namespace ZeroBuffer;

/// <summary>The steps of connecting to a buffer (PROTOCOL.md §5, writer side).</summary>
public sealed unsafe partial class Writer
{
    private readonly record struct Connection(SharedMemory Shm, NamedSemaphore Written, NamedSemaphore Freed, BufferLayout Layout);

    /// <summary>PROTOCOL.md §5 writer steps 1-3. Retried when a new reader replaces the buffer mid-way.</summary>
    private static Connection Connect(string name)
    {
        const int attempts = 3;
        for (int attempt = 1; ; attempt++)
        {
            Connection? connection = TryConnect(name);
            if (connection is not null)
            {
                return connection.Value;
            }

            if (attempt == attempts)
            {
                throw new BufferNotFoundException($"Buffer '{name}' kept being replaced by new readers while connecting.", name);
            }
        }
    }

    /// <summary>One connect attempt; null when the buffer was replaced while we opened it.</summary>
    private static Connection? TryConnect(string name)
    {
        // Step 1: open and validate. Too small to hold an OIEB means the reader is still sizing it.
        SharedMemory shm = SharedMemory.TryOpen(name, writable: true, minimumSize: Oieb.Size)
            ?? throw new BufferNotFoundException($"Buffer '{name}' does not exist (no reader has created it).", name);
        NamedSemaphore? written = null;
        NamedSemaphore? freed = null;
        try
        {
            if (shm.Pointer == null)
            {
                throw new BufferNotFoundException($"Buffer '{name}' is not ready: its reader is still creating it.", name);
            }

            Oieb* oieb = (Oieb*)shm.Pointer;
            BufferLayout layout = OiebValidator.Validate(oieb, shm.MappedLength, name);

            // Step 2: a reader must be there and no other writer.
            ulong readerPid = Volatile.Read(ref oieb->ReaderPid);
            if (!ProcessLiveness.IsAlive(readerPid))
            {
                ThrowHelper.ThrowReaderDead(name, readerPid);
            }

            ulong writerPid = Volatile.Read(ref oieb->WriterPid);
            if (ProcessLiveness.IsAlive(writerPid))
            {
                throw new WriterAlreadyConnectedException($"Buffer '{name}' already has a writer (pid {writerPid}).", name);
            }

            // Step 3: semaphores, then claim the writer slot last so a failed connect leaves no trace.
            written = NamedSemaphore.TryOpen(NamedSemaphore.WrittenName(name), name)
                ?? throw new BufferNotFoundException($"Buffer '{name}' has no semaphore '{NamedSemaphore.WrittenName(name)}' (its reader is gone).", name);
            freed = NamedSemaphore.TryOpen(NamedSemaphore.FreedName(name), name)
                ?? throw new BufferNotFoundException($"Buffer '{name}' has no semaphore '{NamedSemaphore.FreedName(name)}' (its reader is gone).", name);

            // A replacing reader unlinks the shm before the semaphores. If the name still denotes our
            // shm now, the semaphores we just opened belong to it too, not to a newer buffer.
            if (!shm.IsStillNamed())
            {
                written.Dispose();
                freed.Dispose();
                shm.Dispose();
                return null;
            }

            // Compare-and-swap: of two writers connecting at once, exactly one wins.
            ulong seen = Interlocked.CompareExchange(ref oieb->WriterPid, ProcessLiveness.CurrentPid, writerPid);
            if (seen != writerPid)
            {
                throw new WriterAlreadyConnectedException($"Buffer '{name}' already has a writer (pid {seen}).", name);
            }

            return new Connection(shm, written, freed, layout);
        }
        catch
        {
            freed?.Dispose();
            written?.Dispose();
            shm.Dispose();
            throw;
        }
    }
}
