using Microsoft.Extensions.Logging;

namespace ZeroBuffer.DuplexChannel;

/// <summary>
/// The server's connection to one client's <c>_response</c>. Handlers write through it under one lock
/// (the Writer takes one frame at a time); once the client is found gone it stays ended and every
/// further write fails with <see cref="ReaderDeadException"/>, so the server can move on to the next client.
/// </summary>
internal sealed class ResponseSession : IDisposable
{
    /// <summary>
    /// How often a response checks that the client's reader still lives. The check is a kill(2) call,
    /// a syscall per response that a tight request loop would pay in full; a response written in the
    /// millisecond after the client died lands in a ring nobody reads (harmless), and the next check
    /// (or the Writer's own check when the ring fills) ends the session. Timed with
    /// <see cref="Environment.TickCount64"/>, so the real interval is its tick when that is coarser.
    /// </summary>
    internal static readonly TimeSpan LivenessInterval = TimeSpan.FromMilliseconds(1);

    private readonly Lock _gate = new();
    private long _nextLivenessCheck;
    private readonly Writer _writer;
    private readonly Func<bool> _isStopping;
    private volatile string? _endReason;
    private bool _disposed;

    internal ResponseSession(Writer writer, bool correlated, Func<bool> isStopping)
    {
        _writer = writer;
        Correlated = correlated;
        _isStopping = isStopping;
    }

    internal bool Correlated { get; }

    /// <summary>Why the session ended, or null while it lasts.</summary>
    internal string? EndReason => _endReason;

    /// <summary>The server loop's: the highest request sequence read for this client (0 = none yet).</summary>
    internal ulong LastRequestSequence { get; set; }

    /// <summary>The server loop's: whether onInit ran for this client.</summary>
    internal bool Initialized { get; set; }

    /// <summary>Marks the session over; the first reason wins.</summary>
    internal void End(string reason) => _endReason ??= reason;

    /// <summary>True while the client's response reader is alive (ends the session otherwise).</summary>
    internal bool CheckClientAlive()
    {
        lock (_gate)
        {
            if (_endReason is null && !_disposed && !_writer.IsReaderConnected())
            {
                End("its response reader is gone");
            }

            return _endReason is null;
        }
    }

    /// <summary>
    /// Takes the write lock and reserves a response of <paramref name="size"/> handler bytes for
    /// <paramref name="requestSequence"/>; the lock is held until <see cref="Commit"/>.
    /// </summary>
    internal Span<byte> Reserve(int size, ulong requestSequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        _gate.Enter();
        try
        {
            ThrowIfEnded();
            // The coarse tick (a few ns, against tens for Stopwatch) is fine for a millisecond interval.
            long now = Environment.TickCount64;
            if (now >= _nextLivenessCheck)
            {
                _nextLivenessCheck = now + (long)LivenessInterval.TotalMilliseconds;
                if (!_writer.IsReaderConnected())
                {
                    End("its response reader is gone");
                    ThrowIfEnded();
                }
            }

            int prefix = Correlated ? DuplexMetadata.SequencePrefixSize : 0;
            Span<byte> frame = ReserveWithRetry(prefix + size);
            if (Correlated)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(frame, requestSequence);
            }

            return frame[prefix..];
        }
        catch
        {
            _gate.Exit();
            throw;
        }
    }

    /// <summary>Publishes the reserved response and releases the write lock.</summary>
    internal void Commit()
    {
        try
        {
            _writer.CommitFrame();
        }
        finally
        {
            _gate.Exit();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            End("the server stopped");
            _writer.Dispose();
        }
    }

    private Span<byte> ReserveWithRetry(int total)
    {
        // Each attempt waits ResponseWriteTimeout; a full ring with a live client is back-pressure,
        // not an error, so the server keeps waiting unless it is stopping.
        while (true)
        {
            try
            {
                return _writer.GetFrameBuffer(total, out _);
            }
            catch (BufferFullException) when (!_isStopping())
            {
            }
            catch (ReaderDeadException)
            {
                End("its response reader is gone");
                throw;
            }
        }
    }

    private void ThrowIfEnded()
    {
        if (_disposed || _endReason is not null)
        {
            throw new ReaderDeadException(
                $"Response to the client of '{_writer.Name}' failed: the client is gone ({_endReason ?? "session closed"}).",
                _writer.Name);
        }
    }
}
