using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ZeroBuffer.Internal;
using ZeroBuffer.Layout;
using ZeroBuffer.Platform;

namespace ZeroBuffer;

/// <summary>
/// Connects to an existing buffer and writes frames into it (PROTOCOL.md §4-§5). One writer per
/// buffer at a time; a writer never removes anything. Not thread-safe: use it from one thread.
/// </summary>
public sealed unsafe partial class Writer : IDisposable
{
    /// <summary>The default of <see cref="WriteTimeout"/>.</summary>
    public static readonly TimeSpan DefaultWriteTimeout = TimeSpan.FromSeconds(5);

    private readonly ILogger _logger;
    private readonly SharedMemory _shm;
    private readonly NamedSemaphore _written;
    private readonly NamedSemaphore _freed;
    private readonly Oieb* _oieb;
    private readonly byte* _metadata;
    private readonly byte* _payload;
    private readonly long _metadataSize;
    private readonly long _payloadSize;

    // Writer-owned state, mirrored into the OIEB.
    private long _writePos;
    private ulong _writtenCount;
    private ulong _nextSequence = 1;

    // The outstanding zero-copy frame (GetFrameBuffer .. CommitFrame), -1 when none.
    private long _pendingSize = -1;
    private long _pendingSkipped; // ring tail the pending frame skips (0 = no wrap)
    private bool _pendingMarker;  // whether a wrap marker was written at that tail
    private int _pendingMetadataSize = -1;
    private TimeSpan _writeTimeout = DefaultWriteTimeout;
    private bool _disposed;

    // False when the constructor threw: the finalizer then has nothing to release.
    private readonly bool _created;

    /// <summary>Connects to the buffer <paramref name="name"/> created by a reader.</summary>
    /// <exception cref="InvalidBufferNameException">The name breaks the naming rule (no OS call was made).</exception>
    /// <exception cref="BufferNotFoundException">No such buffer, or its reader has not finished creating it.</exception>
    /// <exception cref="ReaderDeadException">The buffer has no live reader.</exception>
    /// <exception cref="WriterAlreadyConnectedException">Another live writer is connected.</exception>
    /// <exception cref="InvalidOiebException">The control block is corrupt or does not match the mapping.</exception>
    /// <exception cref="ProtocolVersionMismatchException">The buffer's major version is not 1.</exception>
    public Writer(string name, ILogger<Writer>? logger = null)
    {
        BufferNames.Validate(name);
        Name = name;
        _logger = (ILogger?)logger ?? NullLogger.Instance;

        Connection connection = Connect(name);
        _shm = connection.Shm;
        _written = connection.Written;
        _freed = connection.Freed;
        _oieb = (Oieb*)_shm.Pointer;
        _metadataSize = connection.Layout.MetadataSize;
        _payloadSize = connection.Layout.PayloadSize;
        _metadata = _shm.Pointer + BufferLayout.MetadataOffset;
        _payload = _shm.Pointer + connection.Layout.PayloadOffset;

        // A reconnecting writer continues where the last one stopped; sequences restart at 1.
        ulong storedPos = Volatile.Read(ref _oieb->PayloadWritePos);
        _writePos = storedPos >= (ulong)_payloadSize ? 0 : (long)storedPos;
        _writtenCount = Volatile.Read(ref _oieb->PayloadWrittenCount);
        Log.WriterConnected(_logger, name, _payloadSize, _writePos);
        _created = true;
    }

    /// <summary>The buffer name.</summary>
    public string Name { get; }

    /// <summary>The aligned payload ring size in bytes.</summary>
    public long PayloadSize => _payloadSize;

    /// <summary>
    /// How long a write waits for the reader to free space before BufferFull / ReaderDead (default 5 s;
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits forever while the reader lives).
    /// </summary>
    public TimeSpan WriteTimeout
    {
        get => _writeTimeout;
        set => _writeTimeout = value >= TimeSpan.Zero || value == Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The write timeout must be >= 0 or infinite.");
    }

    /// <summary>Frames written by this writer.</summary>
    public ulong FramesWritten => _nextSequence - 1;

    /// <summary>Writes the buffer's metadata (once per buffer, whichever writer).</summary>
    /// <exception cref="MetadataAlreadyWrittenException">Metadata was written before.</exception>
    /// <exception cref="MetadataTooLargeException">8 + data.Length exceeds the metadata block.</exception>
    public void SetMetadata(ReadOnlySpan<byte> data)
    {
        Span<byte> target = GetMetadataBuffer(data.Length);
        data.CopyTo(target);
        CommitMetadata();
    }

    /// <summary>Returns a view of <paramref name="size"/> metadata bytes to fill; publish with <see cref="CommitMetadata"/>.</summary>
    /// <exception cref="MetadataAlreadyWrittenException">Metadata was written before.</exception>
    /// <exception cref="MetadataTooLargeException">8 + size exceeds the metadata block.</exception>
    public Span<byte> GetMetadataBuffer(int size)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ulong written = OiebValidator.CheckMetadataWritten(Name, Volatile.Read(ref _oieb->MetadataWrittenBytes), (ulong)_metadataSize);
        if (written > 0)
        {
            throw new MetadataAlreadyWrittenException(
                $"Buffer '{Name}' already has metadata ({written - Math.Min(written, 8UL)} bytes); metadata is written once per buffer.",
                Name);
        }

        if (BufferLayout.MetadataPrefixSize + (long)size > _metadataSize)
        {
            throw new MetadataTooLargeException(
                $"Buffer '{Name}': {size} bytes of metadata need {size + BufferLayout.MetadataPrefixSize} with the 8-byte length prefix, but the metadata block holds {_metadataSize}.",
                Name);
        }

        _pendingMetadataSize = size;
        return new Span<byte>(_metadata + BufferLayout.MetadataPrefixSize, size);
    }

    /// <summary>Publishes the metadata filled through <see cref="GetMetadataBuffer"/>. No semaphore is posted.</summary>
    public void CommitMetadata()
    {
        ThrowIfDisposed();
        if (_pendingMetadataSize < 0)
        {
            throw new InvalidOperationException($"Buffer '{Name}': CommitMetadata() without a GetMetadataBuffer().");
        }

        ulong total = (ulong)(BufferLayout.MetadataPrefixSize + _pendingMetadataSize);
        *(ulong*)_metadata = (ulong)_pendingMetadataSize;
        Volatile.Write(ref _oieb->MetadataFreeBytes, (ulong)_metadataSize - total);

        // Release: the reader that sees written bytes > 0 sees the prefix and the bytes.
        Volatile.Write(ref _oieb->MetadataWrittenBytes, total);
        _pendingMetadataSize = -1;
    }

    /// <summary>Copies <paramref name="data"/> into the ring as the next frame.</summary>
    /// <exception cref="InvalidFrameSizeException">data is empty.</exception>
    /// <exception cref="FrameTooLargeException">16 + data.Length exceeds the ring.</exception>
    /// <exception cref="BufferFullException">No space within <see cref="WriteTimeout"/>; the reader is alive.</exception>
    /// <exception cref="ReaderDeadException">No space within <see cref="WriteTimeout"/> and the reader is gone.</exception>
    public void WriteFrame(ReadOnlySpan<byte> data)
    {
        Span<byte> target = GetFrameBuffer(data.Length, out _);
        data.CopyTo(target);
        CommitFrame();
    }

    /// <summary>
    /// Reserves the next frame of <paramref name="size"/> bytes and returns it for filling in place;
    /// <see cref="CommitFrame"/> publishes it. The sequence number is assigned here.
    /// </summary>
    public Span<byte> GetFrameBuffer(int size, out ulong sequenceNumber)
    {
        ThrowIfDisposed();
        if (_pendingSize >= 0)
        {
            ThrowHelper.ThrowFrameOutstanding(Name);
        }

        // Step 1: reject impossible frames before any waiting.
        if (size <= 0)
        {
            ThrowHelper.ThrowInvalidFrameSizeZero(Name);
        }

        long total = FrameHeader.Size + (long)size;
        if (total > _payloadSize)
        {
            ThrowHelper.ThrowFrameTooLarge(Name, size, _payloadSize);
        }

        // Steps 2-3: a frame that does not fit before the end also consumes the wasted tail.
        long spaceToEnd = _payloadSize - _writePos;
        bool wrap = spaceToEnd < total;
        long required = wrap ? spaceToEnd + total : total;

        // Step 4.
        WaitForSpace(required);

        // Step 5. Only the ring bytes are written here (all of them in space we waited for); the OIEB
        // changes in CommitFrame, so a frame that is never committed leaves no trace.
        long position = _writePos;
        _pendingSkipped = 0;
        _pendingMarker = false;
        if (wrap)
        {
            if (spaceToEnd >= FrameHeader.Size)
            {
                FrameHeader* marker = (FrameHeader*)(_payload + position);
                marker->PayloadSize = 0;
                marker->Sequence = 0;
                _pendingMarker = true;
            }

            // With less than 16 bytes left nothing is written: the reader wraps implicitly.
            _pendingSkipped = spaceToEnd;
            position = 0;
        }

        FrameHeader* header = (FrameHeader*)(_payload + position);
        header->PayloadSize = (ulong)size;
        header->Sequence = _nextSequence;
        sequenceNumber = _nextSequence;
        _pendingSize = size;
        return new Span<byte>(_payload + position + FrameHeader.Size, size);
    }

    /// <summary>Reserves a frame like <see cref="GetFrameBuffer(int, out ulong)"/> without reporting its sequence.</summary>
    public Span<byte> GetFrameBuffer(int size) => GetFrameBuffer(size, out _);

    /// <summary>Publishes the frame reserved by <see cref="GetFrameBuffer(int, out ulong)"/> (step 6).</summary>
    public void CommitFrame()
    {
        ThrowIfDisposed();
        long size = _pendingSize;
        if (size < 0)
        {
            ThrowHelper.ThrowNoFrameOutstanding(Name);
        }

        if (_pendingSkipped > 0)
        {
            // Step 5, published: the tail is consumed and the ring restarts at 0.
            if (_pendingMarker)
            {
                _writtenCount++;
            }

            Interlocked.Add(ref _oieb->PayloadFreeBytes, -_pendingSkipped);
            _writePos = 0;
        }

        // Step 6.
        long total = FrameHeader.Size + size;
        long next = _writePos + total;
        _writePos = next == _payloadSize ? 0 : next;
        _writtenCount++;
        _nextSequence++;
        _pendingSize = -1;

        // Release stores: frame bytes are visible before the positions, which are visible before the post.
        Volatile.Write(ref _oieb->PayloadWritePos, (ulong)_writePos);
        Interlocked.Add(ref _oieb->PayloadFreeBytes, -total);
        Volatile.Write(ref _oieb->PayloadWrittenCount, _writtenCount);
        _written.Post();
    }

    /// <summary>True when the buffer's reader is recorded and its process is alive.</summary>
    public bool IsReaderConnected()
    {
        ThrowIfDisposed();
        return ProcessLiveness.IsAlive(Volatile.Read(ref _oieb->ReaderPid));
    }

    /// <summary>Disconnects (writer_pid = 0). Removes nothing; an uncommitted frame is dropped.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// A writer that was never disposed still gives up its slot, so the next writer is not refused.
    /// The mapping is a critical finalizable object and is finalized after this one.
    /// </summary>
    ~Writer() => Dispose(disposing: false);

    private void Dispose(bool disposing)
    {
        if (!_created || _disposed)
        {
            return;
        }

        _disposed = true;

        // Only clear our own claim: a newer writer may own the slot if ours was declared dead.
        Interlocked.CompareExchange(ref _oieb->WriterPid, 0UL, ProcessLiveness.CurrentPid);
        _written.Dispose();
        _freed.Dispose();
        _shm.Dispose();
        if (disposing)
        {
            Log.WriterClosed(_logger, Name, FramesWritten);
        }
    }

    /// <summary>payload_free_bytes, checked (PROTOCOL.md §5) every time it is used.</summary>
    private long FreeBytes() =>
        OiebValidator.CheckFreeBytes(Name, (ulong)Volatile.Read(ref _oieb->PayloadFreeBytes), (ulong)_payloadSize);

    private void WaitForSpace(long required)
    {
        if (FreeBytes() >= required)
        {
            return;
        }

        TimeSpan timeout = _writeTimeout;
        bool infinite = timeout == Timeout.InfiniteTimeSpan;
        Interop.Timespec deadline = NamedSemaphore.DeadlineAfter(infinite ? TimeSpan.FromSeconds(1) : timeout);
        while (FreeBytes() < required)
        {
            // sem-r may hold stale counts from releases we did not wait for; each one just makes us
            // re-check the free counter.
            if (_freed.WaitUntil(deadline))
            {
                continue;
            }

            if (FreeBytes() >= required)
            {
                return;
            }

            ulong readerPid = Volatile.Read(ref _oieb->ReaderPid);
            if (!ProcessLiveness.IsAlive(readerPid))
            {
                ThrowHelper.ThrowReaderDead(Name, readerPid);
            }

            if (!infinite)
            {
                ThrowHelper.ThrowBufferFull(Name, required, Volatile.Read(ref _oieb->PayloadFreeBytes), _payloadSize, timeout);
            }

            deadline = NamedSemaphore.DeadlineAfter(TimeSpan.FromSeconds(1));
        }
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            ThrowHelper.ThrowObjectDisposed(nameof(Writer), Name);
        }
    }
}
