using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ZeroBuffer.DuplexChannel;

/// <summary>
/// The handler threads of <see cref="ProcessingMode.ThreadPool"/>. At most HandlerCount requests are
/// in hand at once: the loop waits for a free handler before it passes the next request on, so
/// unread requests stay in the ring (back-pressure to the client) instead of piling up here.
/// Frames are released out of order; the reader returns their space in ring order.
/// </summary>
internal sealed class HandlerPool : IDisposable
{
    private static readonly TimeSpan StopCheckInterval = TimeSpan.FromMilliseconds(100);

    private readonly string _channel;
    private readonly Reader _requests;
    private readonly RequestHandler _handler;
    private readonly ILogger _logger;
    private readonly Func<bool> _isStopping;
    private readonly Thread[] _threads;
    private readonly BlockingCollection<RequestSlot> _queue = new();
    private readonly SemaphoreSlim _free;
    private int _inHand;

    internal HandlerPool(string channel, int handlerCount, Reader requests, RequestHandler handler, ILogger logger, Func<bool> isStopping)
    {
        _channel = channel;
        _requests = requests;
        _handler = handler;
        _logger = logger;
        _isStopping = isStopping;
        _free = new SemaphoreSlim(handlerCount, handlerCount);
        _threads = new Thread[handlerCount];
        for (int i = 0; i < handlerCount; i++)
        {
            _threads[i] = new Thread(Work) { Name = $"duplex-handler {channel} #{i + 1}", IsBackground = true };
            _threads[i].Start();
        }
    }

    internal bool IsHandlerThread(Thread thread) => Array.IndexOf(_threads, thread) >= 0;

    /// <summary>Passes a request to the next free handler; drops it when the server stops meanwhile.</summary>
    internal void Dispatch(RequestSlot slot, in Frame frame)
    {
        while (!_free.Wait(StopCheckInterval))
        {
            if (_isStopping())
            {
                frame.Dispose();
                return;
            }
        }

        Interlocked.Increment(ref _inHand);
        _queue.Add(slot);
    }

    /// <summary>Waits until every request in hand is done (their session ended or answered).</summary>
    internal void WaitIdle()
    {
        while (Volatile.Read(ref _inHand) > 0)
        {
            Thread.Sleep(1);
        }
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        foreach (Thread thread in _threads)
        {
            thread.Join();
        }

        _queue.Dispose();
        _free.Dispose();
    }

    private void Work()
    {
        var responder = new DuplexResponseWriter();
        foreach (RequestSlot slot in _queue.GetConsumingEnumerable())
        {
            Frame frame = slot.ToFrame(_requests);
            try
            {
                if (!_isStopping())
                {
                    DuplexServer.RunHandler(_handler, frame, slot.Session!, responder, _logger, _channel);
                }
            }
            finally
            {
                frame.Dispose();
                Interlocked.Decrement(ref _inHand);
                _free.Release();
            }
        }
    }
}
