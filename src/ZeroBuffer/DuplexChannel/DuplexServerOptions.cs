namespace ZeroBuffer.DuplexChannel;

/// <summary>How a duplex server processes requests. Immutable; validated when the server starts.</summary>
public sealed record DuplexServerOptions
{
    /// <summary>The default of <see cref="HandlerCount"/>.</summary>
    public const int DefaultHandlerCount = 4;

    /// <summary>The default of <see cref="ResponseWriteTimeout"/>: how long one response write waits before it retries.</summary>
    public static readonly TimeSpan DefaultResponseWriteTimeout = TimeSpan.FromSeconds(1);

    /// <summary>SingleThread (default) or ThreadPool.</summary>
    public ProcessingMode Mode { get; init; } = ProcessingMode.SingleThread;

    /// <summary>How many handlers run at once in <see cref="ProcessingMode.ThreadPool"/> mode (ignored otherwise).</summary>
    public int HandlerCount { get; init; } = DefaultHandlerCount;

    /// <summary>
    /// Correlated mode even with <see cref="ProcessingMode.SingleThread"/> (ThreadPool is always correlated).
    /// A public 1.x client cannot read a correlated channel.
    /// </summary>
    public bool Correlated { get; init; }

    /// <summary>
    /// How long one attempt to write a response waits for the client to free space. The server retries
    /// while the client lives and the server runs, so this bounds only how fast Stop takes effect.
    /// </summary>
    public TimeSpan ResponseWriteTimeout { get; init; } = DefaultResponseWriteTimeout;

    /// <summary>Whether responses carry the request sequence (ThreadPool, or asked for).</summary>
    public bool IsCorrelated => Correlated || Mode == ProcessingMode.ThreadPool;

    internal void Validate()
    {
        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Unknown processing mode.");
        }

        if (HandlerCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(HandlerCount), HandlerCount, "At least one handler is needed.");
        }

        if (ResponseWriteTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ResponseWriteTimeout), ResponseWriteTimeout, "The write timeout must be positive.");
        }
    }
}
