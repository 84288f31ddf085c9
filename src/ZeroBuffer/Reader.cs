using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ZeroBuffer.Internal;
using ZeroBuffer.Layout;
using ZeroBuffer.Platform;

namespace ZeroBuffer;

/// <summary>
/// Creates a buffer and reads frames from it (PROTOCOL.md §4-§5). One reader per buffer; it owns the
/// shared memory, both semaphores and the lock file, and removes them on <see cref="Dispose()"/>.
/// Reads are meant for one thread; frames may be released from any thread.
/// </summary>
public sealed unsafe partial class Reader : IDisposable
{
    /// <summary>Used when <see cref="ReadFrame"/> gets no timeout.</summary>
    public static readonly TimeSpan DefaultReadTimeout = TimeSpan.FromSeconds(5);

    // How long each slice of an infinite wait lasts before the writer's liveness is checked again.
    private static readonly TimeSpan InfiniteWaitSlice = TimeSpan.FromSeconds(1);

    // How long a held lock file without a live reader is retried (a peer's stale check holds it briefly).
    private const int LockRetryMilliseconds = 250;

    private readonly ILogger _logger;
    private readonly LockFile _lock;
    private readonly SharedMemory _shm;
    private readonly NamedSemaphore _written;
    private readonly NamedSemaphore _freed;
    private readonly Oieb* _oieb;
    private readonly byte* _metadata;
    private readonly byte* _payload;
    private readonly long _metadataSize;
    private readonly long _payloadSize;

    // Guards _releases: frames can be disposed on other threads than the one reading.
    private readonly Lock _releaseLock = new();
    private readonly ReleaseQueue _releases = new();

    // Reader-owned state, mirrored into the OIEB. Kept locally so a corrupted OIEB can never steer
    // the reader outside the mapping.
    private long _readPos;
    private ulong _readCount;
    private ulong _expectedSequence = 1;
    private ulong _sequenceWriterPid;
    private bool _writerSeen;
    private bool _restartExpected;
    private int _disposed;

    // False when the constructor threw: the finalizer then has nothing to clean up (the
    // constructor already undid its steps).
    private readonly bool _created;

    /// <summary>Creates the buffer <paramref name="name"/> and waits for nobody: a writer may connect once this returns.</summary>
    /// <exception cref="InvalidBufferNameException">The name breaks the naming rule (no OS call was made).</exception>
    /// <exception cref="ReaderAlreadyConnectedException">A live reader owns the buffer.</exception>
    /// <exception cref="ResourceExhaustedException">An OS limit was hit.</exception>
    /// <exception cref="PermissionDeniedException">The OS refused access.</exception>
    public Reader(string name, BufferConfig config, ILogger<Reader>? logger = null)
    {
        // Step 1: validate before touching the OS.
        BufferNames.Validate(name);
        ArgumentNullException.ThrowIfNull(config);
        if (config.PayloadSize <= 0 || config.MetadataSize < 0)
        {
            throw new InvalidConfigException($"Invalid configuration for buffer '{name}': {config}.", name);
        }

        Name = name;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        BufferLayout layout = BufferLayout.For(config);
        _metadataSize = layout.MetadataSize;
        _payloadSize = layout.PayloadSize;

        // Step 2: reclaim what crashed readers of other buffers left behind.
        LockDirectory.EnsureExists(name);
        StaleResourceCleaner.CleanLockDirectory(name, _logger);

        // Step 3: the lock file makes us the only reader that may create this buffer.
        _lock = AcquireLock(name, _logger);
        try
        {
            // Step 4: a new, private shm object. An existing one is either live (refuse) or stale (replace).
            _shm = CreateSharedMemory(name, layout.TotalSize);
            try
            {
                // Step 5: semaphores exist before the OIEB is published, so a writer that sees
                // oieb_size = 128 can always open them.
                _written = CreateSemaphore(NamedSemaphore.WrittenName(name), name);
                try
                {
                    _freed = CreateSemaphore(NamedSemaphore.FreedName(name), name);
                }
                catch
                {
                    _written.Dispose();
                    NamedSemaphore.Unlink(NamedSemaphore.WrittenName(name));
                    throw;
                }
            }
            catch
            {
                _shm.Dispose();
                SharedMemory.Unlink(name);
                throw;
            }
        }
        catch
        {
            _lock.DeleteAndRelease();
            throw;
        }

        byte* basePtr = _shm.Pointer;
        _oieb = (Oieb*)basePtr;
        _metadata = basePtr + BufferLayout.MetadataOffset;
        _payload = basePtr + layout.PayloadOffset;
        PublishOieb(layout);
        Log.BufferCreated(_logger, name, _metadataSize, _payloadSize, layout.TotalSize);
        _created = true;
    }

    /// <summary>The buffer name.</summary>
    public string Name { get; }

    /// <summary>The aligned payload ring size in bytes.</summary>
    public long PayloadSize => _payloadSize;

    /// <summary>The aligned metadata block size in bytes.</summary>
    public long MetadataSize => _metadataSize;

    /// <summary>Frames read so far (wrap markers included, as in the OIEB's payload_read_count).</summary>
    public ulong ReadCount => _readCount;

    /// <summary>
    /// The metadata the writer set, without its length prefix; empty when none was written (or it was
    /// written empty). The span points into shared memory and is valid until the reader is disposed.
    /// </summary>
    /// <exception cref="InvalidOiebException">The recorded metadata length does not fit the block or the prefix.</exception>
    public ReadOnlySpan<byte> GetMetadata()
    {
        ThrowIfDisposed();
        ulong written = OiebValidator.CheckMetadataWritten(Name, Volatile.Read(ref _oieb->MetadataWrittenBytes), (ulong)_metadataSize);
        if (written == 0)
        {
            return ReadOnlySpan<byte>.Empty;
        }

        // written is now 8..metadata size, so the prefix lies inside the block.
        ulong length = *(ulong*)_metadata;
        if (length != written - BufferLayout.MetadataPrefixSize)
        {
            throw new InvalidOiebException(
                $"Buffer '{Name}' has an invalid OIEB: metadata_written_bytes = {written}, but the length prefix says {length} bytes.",
                Name);
        }

        return new ReadOnlySpan<byte>(_metadata + BufferLayout.MetadataPrefixSize, (int)length);
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> (default 5 s, <see cref="Timeout.InfiniteTimeSpan"/> = forever)
    /// for the next frame. Returns an invalid frame (IsValid false) on a plain timeout.
    /// </summary>
    /// <exception cref="WriterDeadException">The writer died, or disconnected and left nothing to read.</exception>
    /// <exception cref="SequenceErrorException">The frame's sequence is not the expected one.</exception>
    /// <exception cref="InvalidFrameSizeException">The frame header points outside the ring (corruption).</exception>
    public Frame ReadFrame(TimeSpan? timeout = null)
    {
        ThrowIfDisposed();
        TimeSpan wait = timeout ?? DefaultReadTimeout;
        if (!WaitForFrame(wait))
        {
            return Frame.Invalid;
        }

        return TakeFrame();
    }

    /// <summary>Releases a frame (same as <see cref="Frame.Dispose"/>).</summary>
    public void ReleaseFrame(in Frame frame) => frame.Dispose();

    /// <summary>True when a writer is connected and its process is alive.</summary>
    public bool IsWriterConnected()
    {
        ThrowIfDisposed();
        ulong pid = Volatile.Read(ref _oieb->WriterPid);
        if (pid == 0)
        {
            return false;
        }

        _writerSeen = true;
        return ProcessLiveness.IsAlive(pid);
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> milliseconds for a live writer to connect.</summary>
    public bool IsWriterConnected(int timeoutMs)
    {
        long deadline = Environment.TickCount64 + Math.Max(0, timeoutMs);
        while (true)
        {
            if (IsWriterConnected())
            {
                return true;
            }

            if (Environment.TickCount64 >= deadline)
            {
                return false;
            }

            Thread.Sleep(1);
        }
    }

    /// <summary>Marks the buffer reader-less and removes the shm, both semaphores and the lock file.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// A reader that was never disposed still removes its buffer. Safe in a finalizer: the SafeHandles
    /// it uses are critical finalizable objects, which the runtime finalizes after this one, and the
    /// held lock file guarantees the names are still ours.
    /// </summary>
    ~Reader() => Dispose(disposing: false);

    private void Dispose(bool disposing)
    {
        if (!_created)
        {
            return;
        }

        lock (_releaseLock)
        {
            if (_disposed != 0)
            {
                return;
            }

            _disposed = 1;
            Volatile.Write(ref _oieb->ReaderPid, 0UL);
            _shm.Dispose();
            _written.Dispose();
            _freed.Dispose();
        }

        SharedMemory.Unlink(Name);
        NamedSemaphore.Unlink(_written.OsName);
        NamedSemaphore.Unlink(_freed.OsName);
        _lock.DeleteAndRelease();
        if (disposing)
        {
            Log.ReaderClosed(_logger, Name);
        }
    }

    internal void ReleaseFrame(long ticket)
    {
        // Under the lock, which Dispose also takes, so a frame released on another thread never
        // touches an unmapped OIEB or a closed semaphore.
        lock (_releaseLock)
        {
            if (_disposed != 0)
            {
                return;
            }

            if (!_releases.TryRelease(ticket, out long credit))
            {
                return; // disposed before, or a copy of a disposed frame
            }

            if (credit > 0)
            {
                Interlocked.Add(ref _oieb->PayloadFreeBytes, credit);
                _freed.Post();
            }
            else
            {
                Log.OutOfOrderRelease(_logger, Name, _releases.Count);
            }
        }
    }

    private bool WaitForFrame(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            while (!_written.Wait(InfiniteWaitSlice))
            {
                ThrowIfWriterGone();
            }

            return true;
        }

        if (_written.Wait(timeout))
        {
            return true;
        }

        ThrowIfWriterGone();
        return false;
    }

    /// <summary>PROTOCOL.md §4 reader step 1: after a timeout, tell "no frame yet" from "no writer".</summary>
    private void ThrowIfWriterGone()
    {
        ulong writerPid = Volatile.Read(ref _oieb->WriterPid);
        if (writerPid != 0)
        {
            _writerSeen = true;
            if (!ProcessLiveness.IsAlive(writerPid))
            {
                ThrowHelper.ThrowWriterDead(Name, writerPid);
            }

            return;
        }

        ulong written = Volatile.Read(ref _oieb->PayloadWrittenCount);
        if ((_writerSeen || written > 0) && written <= _readCount)
        {
            ThrowHelper.ThrowWriterClosed(Name, written, _readCount);
        }
    }

    private Frame TakeFrame()
    {
        // Acquire: pairs with the writer's release of its counters before sem_post.
        _ = Volatile.Read(ref _oieb->PayloadWrittenCount);

        long pos = _readPos;
        long spaceToEnd = _payloadSize - pos;
        if (spaceToEnd < FrameHeader.Size)
        {
            Wrap(spaceToEnd, marker: false); // implicit wrap: no room for a header at the tail
            pos = 0;
        }
        else if (pos != 0 && ((FrameHeader*)(_payload + pos))->PayloadSize == 0)
        {
            // A writer never puts a marker at offset 0 (a frame always fits there): a zero header
            // there is validated as a frame below and never wraps again.
            Wrap(spaceToEnd, marker: true);
            pos = 0;
        }

        FrameHeader* header = (FrameHeader*)(_payload + pos);
        ulong size = header->PayloadSize;
        ulong sequence = header->Sequence;
        if (sequence != _expectedSequence && !IsNewWriterRestart(sequence))
        {
            ThrowHelper.ThrowSequenceError(Name, _expectedSequence, sequence, pos);
        }

        // pos + 16 <= payload size holds here, so the subtraction cannot go negative.
        if (size == 0 || size > (ulong)(_payloadSize - pos - FrameHeader.Size))
        {
            ThrowHelper.ThrowCorruptFrameSize(Name, size, pos, _payloadSize);
        }

        if (sequence == 1)
        {
            _sequenceWriterPid = Volatile.Read(ref _oieb->WriterPid);
            _restartExpected = false;
        }

        int length = (int)size;
        long next = pos + FrameHeader.Size + length;
        _readPos = next == _payloadSize ? 0 : next;
        _readCount++;
        _expectedSequence = sequence + 1;
        Volatile.Write(ref _oieb->PayloadReadPos, (ulong)_readPos);
        Volatile.Write(ref _oieb->PayloadReadCount, _readCount);

        long ticket;
        lock (_releaseLock)
        {
            ticket = _releases.Add(FrameHeader.Size + length, released: false);
        }

        return new Frame(this, _payload + pos + FrameHeader.Size, length, sequence, ticket);
    }

    /// <summary>
    /// Sequences restart at 1 for each writer connection. A 1 in place of the expected value is a restart
    /// unless the writer process that sent the previous run's 1 is still the one connected.
    /// </summary>
    private bool IsNewWriterRestart(ulong sequence)
    {
        ulong writerNow = Volatile.Read(ref _oieb->WriterPid);
        return sequence == 1 && (_restartExpected || writerNow == 0 || writerNow != _sequenceWriterPid);
    }

    /// <summary>
    /// Lets the next frame restart at sequence 1 even from the same process (a duplex server whose
    /// client left: the next client may live in the same process). Cleared by the next sequence 1.
    /// </summary>
    internal void ExpectSequenceRestart() => _restartExpected = true;

    /// <summary>Skips the tail of the ring (PROTOCOL.md §4 reader step 2).</summary>
    private void Wrap(long tail, bool marker)
    {
        _readPos = 0;
        Volatile.Write(ref _oieb->PayloadReadPos, 0UL);
        if (marker)
        {
            _readCount++;
            Volatile.Write(ref _oieb->PayloadReadCount, _readCount);
        }

        lock (_releaseLock)
        {
            // The tail goes back at once unless earlier frames are still held (then with them).
            _releases.Add(tail, released: true);
            long credit = _releases.DrainReleasedPrefix();
            if (credit > 0)
            {
                Interlocked.Add(ref _oieb->PayloadFreeBytes, credit);
            }
        }
    }

    private void ThrowIfDisposed()
    {
        if (_disposed != 0)
        {
            ThrowHelper.ThrowObjectDisposed(nameof(Reader), Name);
        }
    }
}
