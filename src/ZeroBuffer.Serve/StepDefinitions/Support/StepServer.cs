using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ZeroBuffer.DuplexChannel;

namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>
/// A duplex server started by a step, with the handler the phrase named and the counters later steps
/// check (STEPS.md "Duplex channel", server counters). Every wait of a handler ends when the server
/// is being stopped, so stopping never waits a delay out.
/// </summary>
public sealed class StepServer : IDisposable
{
    // A handler waiting for its batch looks at the stop signal this often.
    private const int BatchPollMs = 50;

    private readonly IDuplexServer _server;
    private readonly DuplexHandler _handler;
    private readonly AnswerPlan _plan;
    private readonly ILogger _logger;
    private readonly ManualResetEventSlim _stopping = new();
    private readonly object _batchGate = new();
    private readonly Dictionary<ulong, (int Arrived, int Answered)> _batches = [];
    private int _handling;
    private int _writing;
    private int _answered;
    private int _lastRequestSize;
    private string? _failureKind;

    private StepServer(string featureName, IDuplexServer server, DuplexHandler handler, AnswerPlan plan, bool metered, ILogger logger)
    {
        FeatureName = featureName;
        _server = server;
        _handler = handler;
        _plan = plan;
        _logger = logger;
        Meter = metered ? new AllocationMeter() : null;
    }

    public string FeatureName { get; }

    public string ChannelName => _server.ChannelName;

    /// <summary>Per-request allocation of the loop thread, when measured (xor servers).</summary>
    public AllocationMeter? Meter { get; }

    public int Handling => Volatile.Read(ref _handling);

    public int Writing => Volatile.Read(ref _writing);

    public int Answered => Volatile.Read(ref _answered);

    /// <summary>The size of the last request a handler got.</summary>
    public int LastRequestSize => Volatile.Read(ref _lastRequestSize);

    /// <summary>The kind of the first response write that failed, or null.</summary>
    public string? FailureKind => Volatile.Read(ref _failureKind);

    public static StepServer StartImmutable(
        DuplexChannelFactory factory, string featureName, string channel, int payloadSize, DuplexHandler handler,
        DuplexServerOptions options, AnswerPlan plan, ILogger logger)
    {
        IImmutableDuplexServer server = factory.CreateImmutableServer(channel, RequestConfig(payloadSize));
        var state = new StepServer(featureName, server, handler, plan, handler == DuplexHandler.Xor, logger);
        server.Start(state.Answer, null, options);
        return state;
    }

    public static StepServer StartMutable(
        DuplexChannelFactory factory, string featureName, string channel, int payloadSize, DuplexHandler handler,
        DuplexServerOptions options, AnswerPlan plan, ILogger logger)
    {
        if (handler == DuplexHandler.Double)
        {
            throw new ArgumentException("A mutable server answers with the request bytes: it cannot double them.", nameof(handler));
        }

        IMutableDuplexServer server = factory.CreateMutableServer(channel, RequestConfig(payloadSize));
        var state = new StepServer(featureName, server, handler, plan, handler == DuplexHandler.Xor, logger);
        server.Start(state.TransformInPlace, null, options);
        return state;
    }

    /// <summary>Wakes held handlers, then stops the server (removes <c>_request</c>).</summary>
    public void Dispose()
    {
        _stopping.Set();
        _server.Dispose();
        _stopping.Dispose();
    }

    private static BufferConfig RequestConfig(int payloadSize) => new(metadataSize: 4096, payloadSize: payloadSize);

    private void Answer(Frame request, DuplexResponseWriter response)
    {
        Meter?.Mark();
        Volatile.Write(ref _lastRequestSize, request.Size);
        Interlocked.Increment(ref _handling);
        try
        {
            if (!Hold(request.Sequence))
            {
                return;
            }

            // The immutable xor builds a new array on purpose: "returns new data" (catalogue 14.5).
            byte[]? copy = _handler == DuplexHandler.Xor ? request.ToArray() : null;
            int size = DuplexHandlers.ResponseSize(_handler, request.Size);
            Interlocked.Increment(ref _writing);
            try
            {
                Span<byte> target = response.GetFrameBuffer(size);
                if (copy is not null)
                {
                    DuplexHandlers.FlipInPlace(copy);
                    copy.CopyTo(target);
                }
                else
                {
                    DuplexHandlers.Transform(_handler, request.Span, target);
                }

                response.CommitFrame();
                Interlocked.Increment(ref _answered);
            }
            catch (ZeroBufferException ex)
            {
                Interlocked.CompareExchange(ref _failureKind, ErrorKinds.Of(ex), null);
                _logger.LogInformation("Duplex server '{Channel}': the response to request {Sequence} failed: {Error}", ChannelName, request.Sequence, ex.Message);
                throw;
            }
            finally
            {
                Interlocked.Decrement(ref _writing);
                BatchAnswered(request.Sequence);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _handling);
        }
    }

    private void TransformInPlace(Frame request)
    {
        Meter?.Mark();
        Volatile.Write(ref _lastRequestSize, request.Size);
        Interlocked.Increment(ref _handling);
        try
        {
            if (Hold(request.Sequence) && _handler == DuplexHandler.Xor)
            {
                DuplexHandlers.FlipInPlace(request.GetMutableSpan());
            }
        }
        finally
        {
            Interlocked.Decrement(ref _handling);
        }
    }

    /// <summary>Waits as the plan says; false when the request is not to be answered (held until stop).</summary>
    private bool Hold(ulong sequence)
    {
        switch (_plan)
        {
            case AnswerPlan.Fixed { DelayMs: 0 }:
                return true;
            case AnswerPlan.Fixed fixedDelay:
                return !StoppedWithin(fixedDelay.DelayMs);
            case AnswerPlan.UpTo upTo:
                return !StoppedWithin(upTo.DelayFor(sequence));
            case AnswerPlan.FirstOnly firstOnly when sequence > (ulong)firstOnly.Count:
                _stopping.Wait();
                return false;
            case AnswerPlan.FirstOnly:
                return true;
            case AnswerPlan.ReverseBatch reverse:
                return HoldForBatch(sequence, reverse);
            default:
                throw new InvalidOperationException($"Unknown answer plan {_plan}.");
        }
    }

    /// <summary>
    /// Waits <paramref name="milliseconds"/> on the stop signal, never less: <c>ManualResetEventSlim.Wait(int)</c>
    /// counts in coarse ticks and can return a millisecond early, and the scenarios assert lower bounds on
    /// these delays (14.4: three 1 s requests take at least 3 s). True when the server is stopping.
    /// </summary>
    private bool StoppedWithin(int milliseconds)
    {
        long deadline = Stopwatch.GetTimestamp() + milliseconds * Stopwatch.Frequency / 1000;
        while (true)
        {
            long left = deadline - Stopwatch.GetTimestamp();
            if (left <= 0)
            {
                return false;
            }

            if (_stopping.Wait((int)Math.Ceiling(left * 1000.0 / Stopwatch.Frequency)))
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Position p of n in its batch: wait until all n are in hand; the last one then waits the delay,
    /// every other one until the n - p requests after it have been answered.
    /// </summary>
    private bool HoldForBatch(ulong sequence, AnswerPlan.ReverseBatch plan)
    {
        ulong batch = (sequence - 1) / (ulong)plan.BatchSize;
        int position = (int)((sequence - 1) % (ulong)plan.BatchSize) + 1;
        lock (_batchGate)
        {
            (int arrived, int answered) = _batches.GetValueOrDefault(batch);
            _batches[batch] = (arrived + 1, answered);
            Monitor.PulseAll(_batchGate);
            while (_batches[batch].Arrived < plan.BatchSize || _batches[batch].Answered < plan.BatchSize - position)
            {
                if (_stopping.IsSet)
                {
                    return false;
                }

                Monitor.Wait(_batchGate, BatchPollMs);
            }
        }

        return position != plan.BatchSize || !StoppedWithin(plan.DelayMs);
    }

    private void BatchAnswered(ulong sequence)
    {
        if (_plan is not AnswerPlan.ReverseBatch reverse)
        {
            return;
        }

        lock (_batchGate)
        {
            ulong batch = (sequence - 1) / (ulong)reverse.BatchSize;
            (int arrived, int answered) = _batches.GetValueOrDefault(batch);
            _batches[batch] = (arrived, answered + 1);
            Monitor.PulseAll(_batchGate);
        }
    }
}
