using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ZeroBuffer.DuplexChannel;

/// <summary>
/// The server loop both server kinds share (PROTOCOL.md §8). It creates <c>_request</c>, connects to
/// the current client's <c>_response</c> (retrying until a client appears), reads requests and runs
/// the handler on its own thread (SingleThread) or on <see cref="DuplexServerOptions.HandlerCount"/>
/// handler threads (ThreadPool). A client that goes away ends its session: the requests it left in
/// the ring are dropped and the server waits for the next client.
/// </summary>
public abstract class DuplexServer : IDuplexServer
{
    // How long one read waits before the loop looks at Stop and the client's liveness again.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    // Pause between attempts to open a response buffer that is not there (yet).
    private const int ConnectRetryMilliseconds = 5;

    private readonly BufferConfig _config;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Lock _lifecycle = new();
    private readonly DuplexResponseWriter _loopResponder = new();

    private Reader? _requests;
    private Thread? _loop;
    private HandlerPool? _pool;
    private ResponseSession? _session;
    private RequestSlot? _carried;
    private RequestHandler? _handler;
    private Action<ReadOnlySpan<byte>>? _onInit;
    private DuplexServerOptions _options = new();
    private volatile bool _stopping;
    private bool _disposed;
    private string? _lastConnectError;

    private protected DuplexServer(string channelName, BufferConfig config, ILoggerFactory? loggerFactory)
    {
        DuplexChannelNames.Validate(channelName);
        ArgumentNullException.ThrowIfNull(config);
        ChannelName = channelName;
        _config = config;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger(GetType());
    }

    /// <inheritdoc/>
    public string ChannelName { get; }

    /// <inheritdoc/>
    public bool IsRunning { get; private set; }

    /// <inheritdoc/>
    public void Stop()
    {
        lock (_lifecycle)
        {
            if (!IsRunning)
            {
                return;
            }

            if (Thread.CurrentThread == _loop || (_pool?.IsHandlerThread(Thread.CurrentThread) ?? false))
            {
                throw new InvalidOperationException("A handler cannot stop its own server; stop it from another thread.");
            }

            _stopping = true;
            _loop!.Join();
            _pool?.Dispose();
            _session?.Dispose();
            _requests!.Dispose(); // also drops a carried request and every frame still held
            _pool = null;
            _session = null;
            _carried = null;
            _requests = null;
            _loop = null;
            IsRunning = false;
            DuplexLog.ServerStopped(_logger, ChannelName);
        }
    }

    /// <summary>Stops the server (see <see cref="Stop"/>).</summary>
    public void Dispose()
    {
        lock (_lifecycle)
        {
            if (_disposed)
            {
                return;
            }

            Stop();
            _disposed = true;
        }

        GC.SuppressFinalize(this);
    }

    private protected void StartCore(RequestHandler handler, Action<ReadOnlySpan<byte>>? onInit, DuplexServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        lock (_lifecycle)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (IsRunning)
            {
                throw new InvalidOperationException($"Duplex server '{ChannelName}' is already running.");
            }

            _handler = handler;
            _onInit = onInit;
            _options = options;
            _stopping = false;

            // The request buffer exists when Start returns, so a client can connect right away.
            _requests = new Reader(DuplexChannelNames.Request(ChannelName), _config, _loggerFactory.CreateLogger<Reader>());
            if (options.Mode == ProcessingMode.ThreadPool)
            {
                _pool = new HandlerPool(ChannelName, options.HandlerCount, _requests, handler, _logger, () => _stopping);
            }

            _loop = new Thread(Run) { Name = $"duplex-server {ChannelName}", IsBackground = true };
            IsRunning = true;
            _loop.Start();
            int handlers = options.Mode == ProcessingMode.ThreadPool ? options.HandlerCount : 1;
            DuplexLog.ServerStarted(_logger, ChannelName, options.Mode, handlers, options.IsCorrelated);
        }
    }

    /// <summary>Runs one handler call; a client found gone ends its session instead of failing the server.</summary>
    internal static void RunHandler(RequestHandler handler, Frame frame, ResponseSession session, DuplexResponseWriter responder, ILogger logger, string channel)
    {
        responder.Begin(session, frame.Sequence);
        try
        {
            handler(frame, responder);
            responder.End();
            if (!responder.HasResponded && session.EndReason is null)
            {
                DuplexLog.NoResponse(logger, channel, frame.Sequence);
            }
        }
        catch (ReaderDeadException ex)
        {
            responder.End();
            session.End(ex.Message);
        }
        catch (Exception ex)
        {
            responder.End();
            DuplexLog.HandlerFailed(logger, channel, frame.Sequence, ex);
        }
    }

    private void Run()
    {
        try
        {
            while (!_stopping)
            {
                ResponseSession? session = _session;
                if (session is null || session.EndReason is not null)
                {
                    if (session is not null)
                    {
                        CloseSession(session);
                    }

                    _session = session = TryConnect();
                    if (session is null)
                    {
                        Thread.Sleep(ConnectRetryMilliseconds);
                    }

                    continue;
                }

                ServeOne(session);
            }
        }
        catch (Exception ex)
        {
            DuplexLog.LoopFailed(_logger, ChannelName, ex);
        }
    }

    private void ServeOne(ResponseSession session)
    {
        Reader requests = _requests!;
        Frame frame;
        if (_carried is RequestSlot carried)
        {
            _carried = null;
            frame = carried.ToFrame(requests);
        }
        else
        {
            try
            {
                frame = requests.ReadFrame(PollInterval);
            }
            catch (WriterDeadException ex)
            {
                session.End(ex.Message);
                return;
            }

            if (!frame.IsValid)
            {
                session.CheckClientAlive();
                return;
            }

            // Every client's requests start at 1, possibly from this same process.
            requests.ExpectSequenceRestart();
            if (frame.Sequence == 1 && session.LastRequestSequence != 0)
            {
                // The next client's first request: the previous client is gone, and all it left was read.
                _carried = new RequestSlot(frame, null);
                session.End("a new client connected");
                return;
            }
        }

        session.LastRequestSequence = frame.Sequence;
        if (!session.Initialized)
        {
            session.Initialized = true;
            _onInit?.Invoke(requests.GetMetadata());
        }

        if (_pool is not null)
        {
            _pool.Dispatch(new RequestSlot(frame, session), frame);
            return;
        }

        try
        {
            RunHandler(_handler!, frame, session, _loopResponder, _logger, ChannelName);
        }
        finally
        {
            frame.Dispose();
        }
    }

    private ResponseSession? TryConnect()
    {
        Writer? writer = null;
        try
        {
            writer = new Writer(DuplexChannelNames.Response(ChannelName), _loggerFactory.CreateLogger<Writer>())
            {
                WriteTimeout = _options.ResponseWriteTimeout,
            };
            if (_options.IsCorrelated)
            {
                DuplexMetadata.Write(writer.GetMetadataBuffer(DuplexMetadata.Size), correlated: true);
                writer.CommitMetadata();
            }

            _lastConnectError = null;
            DuplexLog.ClientConnected(_logger, ChannelName);
            return new ResponseSession(writer, _options.IsCorrelated, () => _stopping);
        }
        catch (Exception ex) when (ex is BufferNotFoundException or ReaderDeadException)
        {
            writer?.Dispose();
            return null; // no client yet, or a dead client's leftover that the next client's reader replaces
        }
        catch (ZeroBufferException ex)
        {
            writer?.Dispose();
            if (ex.Message != _lastConnectError)
            {
                _lastConnectError = ex.Message;
                DuplexLog.ConnectFailed(_logger, ChannelName, ex.Message);
            }

            return null;
        }
    }

    /// <summary>
    /// Disconnects from a gone client and drops the requests it left in the ring, unless the next
    /// client's first request was read already (then nothing is left). A request with sequence 1 after
    /// the gone client's last one is the next client's first: it is kept for the next session.
    /// </summary>
    private void CloseSession(ResponseSession session)
    {
        _pool?.WaitIdle();
        session.Dispose();
        int dropped = 0;
        Reader requests = _requests!;
        requests.ExpectSequenceRestart();
        while (_carried is null)
        {
            Frame frame;
            try
            {
                frame = requests.ReadFrame(TimeSpan.Zero);
            }
            catch (WriterDeadException)
            {
                break;
            }

            if (!frame.IsValid)
            {
                break;
            }

            if (frame.Sequence == 1 && session.LastRequestSequence != 0)
            {
                _carried = new RequestSlot(frame, null);
                break;
            }

            frame.Dispose();
            dropped++;
        }

        // A client that left with nothing unanswered is the normal end of a session, not a problem.
        if (dropped == 0)
        {
            DuplexLog.ClientLeft(_logger, ChannelName, session.EndReason ?? "unknown");
        }
        else
        {
            DuplexLog.ClientLost(_logger, ChannelName, session.EndReason ?? "unknown", dropped);
        }
    }
}
