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

            // Filed before the commit, so a response that comes at once already has its owner.
            Mailbox mine = _mailboxes.Value!;
            lock (_routeGate)
            {
                _owners[sequence] = mine;
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
        long deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)Math.Max(0, timeout.TotalMilliseconds);
        bool readOnce = false;
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

                long remaining = deadline - Environment.TickCount64;
                if (remaining <= 0 && readOnce)
                {
                    return Frame.Invalid;
                }

                if (_readerBusy)
                {
                    Monitor.Wait(_routeGate, (int)Math.Clamp(remaining, 1, (long)ReceiveSlice.TotalMilliseconds));
                    continue;
                }

                readOnce = true;
                ReadAndRoute(TimeSpan.FromMilliseconds(Math.Clamp(remaining, 0, (long)ReceiveSlice.TotalMilliseconds)), mine);
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
                Monitor.Wait(_routeGate); // the reading thread returns within one slice
            }

            Monitor.PulseAll(_routeGate);
        }

        lock (_sendGate)
        {
            _requests.Dispose();
        }

        _responses.Dispose();
        _mailboxes.Dispose();
    }

    /// <summary>
    /// Reads one response outside the routing lock (called with it held; returns with it held) and
    /// files it under its owner. Everyone waiting is woken afterwards, whatever happened.
    /// </summary>
    private void ReadAndRoute(TimeSpan wait, Mailbox reader)
    {
        _readerBusy = true;
        Monitor.Exit(_routeGate);
        PendingResponse response = default;
        bool got = false;
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
            if (got)
            {
                Mailbox owner = _owners.Remove(response.Sequence, out Mailbox? known) ? known : reader;
                owner.Ready.Enqueue(response);
            }

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
