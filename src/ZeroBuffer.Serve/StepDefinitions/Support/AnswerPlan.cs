namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>When a step server answers each request (STEPS.md "Duplex channel", the server phrases).</summary>
public abstract record AnswerPlan
{
    /// <summary>At once.</summary>
    public static AnswerPlan Immediately { get; } = new Fixed(0);

    /// <summary>After the same delay for every request.</summary>
    public sealed record Fixed(int DelayMs) : AnswerPlan;

    /// <summary>After (s × 37) mod (max + 1) ms for request s: 0..max, spread, deterministic.</summary>
    public sealed record UpTo(int MaxDelayMs) : AnswerPlan
    {
        public int DelayFor(ulong sequence) => (int)(sequence * 37 % (ulong)(MaxDelayMs + 1));
    }

    /// <summary>Each batch of <paramref name="BatchSize"/> requests answered last-first, DelayMs after the batch is in hand.</summary>
    public sealed record ReverseBatch(int BatchSize, int DelayMs) : AnswerPlan;

    /// <summary>Requests after the first <paramref name="Count"/> are held until the server stops, unanswered.</summary>
    public sealed record FirstOnly(int Count) : AnswerPlan;
}
