using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ZeroBuffer.DuplexChannel;

/// <summary>
/// The client end of a channel (PROTOCOL.md §8). Sends go through one lock (the request Writer takes
/// one frame at a time). Receives are routed: one waiting thread at a time reads the response ring and
/// files each response under the thread that sent its request, so threads sharing a client never get
/// each other's responses. A response filed for another thread stays in the ring, zero-copy, until
/// that thread takes it.
/// </summary>
public sealed unsafe class DuplexClient : IDuplexClient
{
    /// <summary>Response buffer size when the caller passes none: 4 KiB metadata, 256 MiB payload (as 1.x).</summary>
    public static BufferConfig DefaultResponseConfig => new(metadataSize: 4096, payloadSize: 256 * 1024 * 1024);

    // A reading thread gives others a chance (and notices a dead server) at least this often.
    private static readonly TimeSpan ReceiveSlice = TimeSpan.FromMilliseconds(100);

    private readonly Writer _requests;
    private readonly Reader _responses;
    private readonly ILogger _logger;
    private readonly Lock _sendGate = new();
    private readonly object _routeGate = new();
    private readonly Dictionary<ulong, Mailbox> _owners = new();
    private readonly ThreadLocal<Mailbox> _mailboxes = new(() => new Mailbox());
    private bool _readerBusy;
    private int _waiters; // threads in Monitor.Wait on _routeGate
    private const ulong NotShared = ulong.MaxValue;
    private Mailbox? _soleSender; // the thread that sent first; its requests before _sharedFrom are not filed
    private ulong _sharedFrom = NotShared; // the first request filed in _owners (a second thread sent)
    private bool? _correlated;
    private volatile bool _disposed;

    internal DuplexClient(string channelName, BufferConfig responseConfig, ILoggerFactory? loggerFactory)
    {
        DuplexChannelNames.Validate(channelName);
        ArgumentNullException.ThrowIfNull(responseConfig);
        ChannelName = channelName;
        ILoggerFactory factory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = factory.CreateLogger<DuplexClient>();

        // Request writer first: no server means BufferNotFound before anything of ours exists.
        _requests = new Writer(DuplexChannelNames.Request(channelName), factory.CreateLogger<Writer>());
        try
        {
            _responses = new Reader(DuplexChannelNames.Response(channelName), responseConfig, factory.CreateLogger<Reader>());
        }
        catch
        {
            _requests.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public string ChannelName { get; }

    /// <inheritdoc/>
    public bool IsServerConnected => !_disposed && _requests.IsReaderConnected();

    /// <summary>True once the first response showed a correlated server; null before any response.</summary>
    public bool? IsCorrelated => _correlated;

    /// <inheritdoc/>
    public ulong SendRequest(ReadOnlySpan<byte> data)
    {
        ulong sequence = AcquireRequestBuffer(data.Length, out Span<byte> target);
        data.CopyTo(target);
        CommitRequest();
        return sequence;
    }

    /// <inheritdoc/>
    public ulong AcquireRequestBuffer(int size, out Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _sendGate.Enter();
        try
        {
            buffer = _requests.GetFrameBuffer(size, out ulong sequence);

            // Filed before the commit, so a response that comes at once already has its owner. While
            // one thread does all the sending there is nothing to file: its responses are all its own.
            Mailbox mine = _mailboxes.Value!;
            if (mine != _soleSender || _sharedFrom != NotShared)
            {
                FileOwner(sequence, mine);
            }

            return sequence;
        }
        catch
        {
            _sendGate.Exit();
            throw;
        }
    }

    /// <inheritdoc/>
    public void CommitRequest()
    {
        if (!_sendGate.IsHeldByCurrentThread)
        {
            throw new InvalidOperationException("CommitRequest without AcquireRequestBuffer on this thread.");
        }

        try
        {
            _requests.CommitFrame();
        }
        finally
        {
            _sendGate.Exit();
        }
    }

    /// <inheritdoc/>
    public void SetRequestMetadata(ReadOnlySpan<byte> metadata)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_sendGate)
        {
            _requests.SetMetadata(metadata);
        }
    }

    /// <inheritdoc/>
    public Frame ReceiveResponse(TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Mailbox mine = _mailboxes.Value!;
        long timeoutMs = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : (long)Math.Max(0, timeout.TotalMilliseconds);
        long deadline = timeoutMs == long.MaxValue ? long.MaxValue : Environment.TickCount64 + timeoutMs;
        bool readOnce = false;
        bool firstPass = true;
        Monitor.Enter(_routeGate);
        try
        {
            while (true)
            {
                // Checked first: a response filed before Dispose points into a ring that is gone.
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (mine.Ready.TryDequeue(out PendingResponse ready))
                {
                    return ready.ToFrame(_responses);
                }

                // The first pass needs no clock: all of the timeout is left.
                long remaining = firstPass ? timeoutMs : deadline - Environment.TickCount64;
                firstPass = false;
                if (remaining <= 0 && readOnce)
                {
                    return Frame.Invalid;
                }

                if (_readerBusy)
                {
                    WaitForReader((int)Math.Clamp(remaining, 1, (long)ReceiveSlice.TotalMilliseconds));
                    continue;
                }

                // Leader: this thread reads the ring itself (no hand-off to another thread).
                readOnce = true;
                if (ReadAndRoute(TimeSpan.FromMilliseconds(Math.Clamp(remaining, 0, (long)ReceiveSlice.TotalMilliseconds)), mine, out PendingResponse own))
                {
                    return own.ToFrame(_responses);
                }
            }
        }
        finally
        {
            Monitor.Exit(_routeGate);
        }
    }

    /// <summary>Disconnects from the server and removes <c>_response</c>; responses not yet received are dropped.</summary>
    public void Dispose()
    {
        lock (_routeGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            while (_readerBusy)
            {
                WaitForReader(Timeout.Infinite); // the reading thread returns within one slice
            }

            WakeWaiters();
        }

        lock (_sendGate)
        {
            _requests.Dispose();
        }

        _responses.Dispose();
        _mailboxes.Dispose();
    }

    /// <summary>
    /// Records who sent <paramref name="sequence"/> (send gate held). The first sender becomes the sole
    /// sender; from the first request of a second thread on, every request is filed in the owner map.
    /// </summary>
    private void FileOwner(ulong sequence, Mailbox sender)
    {
        lock (_routeGate)
        {
            if (_soleSender is null)
            {
                _soleSender = sender;
                return;
            }

            if (_sharedFrom == NotShared)
            {
                _sharedFrom = sequence;
            }

            _owners[sequence] = sender;
        }
    }

    /// <summary>The thread a response goes to (routing lock held); unknown ones go to the reading thread.</summary>
    private Mailbox OwnerOf(ulong sequence, Mailbox reader)
    {
        if (sequence < _sharedFrom)
        {
            return _soleSender ?? reader;
        }

        return _owners.Remove(sequence, out Mailbox? known) ? known : reader;
    }

    /// <summary>
    /// Reads one response outside the routing lock (called with it held; returns with it held). A
    /// response for <paramref name="reader"/> itself is handed back directly (its mailbox is empty:
    /// only the reading thread files responses); any other is filed under its owner. Threads waiting
    /// for their turn are woken afterwards, whatever happened.
    /// </summary>
    private bool ReadAndRoute(TimeSpan wait, Mailbox reader, out PendingResponse own)
    {
        _readerBusy = true;
        Monitor.Exit(_routeGate);
        PendingResponse response = default;
        bool got = false;
        own = default;
        try
        {
            Frame frame = _responses.ReadFrame(wait);
            if (frame.IsValid)
            {
                response = Decode(frame);
                got = true;
            }
            else if (!_requests.IsReaderConnected())
            {
                throw new ReaderDeadException($"The server of duplex channel '{ChannelName}' is gone: its request buffer has no reader.", DuplexChannelNames.Request(ChannelName));
            }
        }
        finally
        {
            Monitor.Enter(_routeGate);
            _readerBusy = false;
            WakeWaiters();
        }

        if (!got)
        {
            return false;
        }

        Mailbox owner = OwnerOf(response.Sequence, reader);
        if (owner == reader)
        {
            own = response;
            return true;
        }

        owner.Ready.Enqueue(response);
        return false;
    }

    /// <summary>Waits (routing lock held) until the reading thread is done or the time is up.</summary>
    private void WaitForReader(int milliseconds)
    {
        _waiters++;
        try
        {
            Monitor.Wait(_routeGate, milliseconds);
        }
        finally
        {
            _waiters--;
        }
    }

    /// <summary>
    /// Wakes the threads waiting on the routing lock (held). Skipped when none waits: a pulse is a
    /// call into the runtime and turns the lock into a heavier one, which a single receiving thread
    /// would otherwise pay on every response.
    /// </summary>
    private void WakeWaiters()
    {
        if (_waiters > 0)
        {
            Monitor.PulseAll(_routeGate);
        }
    }

    private PendingResponse Decode(in Frame frame)
    {
        if (_correlated is not bool correlated)
        {
            correlated = DuplexMetadata.IsCorrelated(_responses.GetMetadata());
            _correlated = correlated;
            DuplexLog.ClientModeDetected(_logger, ChannelName, correlated ? "correlated" : "in-order");
        }

        if (!correlated)
        {
            return new PendingResponse(frame.Pointer, frame.Size, frame.Sequence, frame.Ticket);
        }

        if (frame.Size < DuplexMetadata.SequencePrefixSize)
        {
            int size = frame.Size;
            frame.Dispose();
            throw new InvalidFrameSizeException(
                $"Response {frame.Sequence} on duplex channel '{ChannelName}' has {size} bytes, fewer than the {DuplexMetadata.SequencePrefixSize}-byte request sequence of a correlated channel.",
                DuplexChannelNames.Response(ChannelName));
        }

        ulong requestSequence = BinaryPrimitives.ReadUInt64LittleEndian(frame.Span);
        return new PendingResponse(
            frame.Pointer + DuplexMetadata.SequencePrefixSize,
            frame.Size - DuplexMetadata.SequencePrefixSize,
            requestSequence,
            frame.Ticket);
    }

    /// <summary>The responses filed for one thread.</summary>
    private sealed class Mailbox
    {
        internal Queue<PendingResponse> Ready { get; } = new();
    }

    /// <summary>A response read from the ring and not yet handed out; its frame is still held.</summary>
    private readonly struct PendingResponse(byte* data, int size, ulong sequence, long ticket)
    {
        internal ulong Sequence => sequence;

        internal Frame ToFrame(Reader reader) => new(reader, data, size, sequence, ticket);
    }
}
