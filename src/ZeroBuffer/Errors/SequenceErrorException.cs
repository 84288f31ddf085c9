namespace ZeroBuffer;

/// <summary>A frame's sequence number is not the expected one (corruption or a lost frame).</summary>
public sealed class SequenceErrorException : ZeroBufferException
{
    public SequenceErrorException()
        : base("Frame sequence error.")
    {
    }

    public SequenceErrorException(string message)
        : base(message)
    {
    }

    public SequenceErrorException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public SequenceErrorException(ulong expected, ulong got)
        : this($"Sequence error: expected {expected}, got {got}.", null, expected, got)
    {
    }

    public SequenceErrorException(string message, string? bufferName, ulong expected, ulong got)
        : base(message, bufferName)
    {
        Expected = expected;
        Got = got;
    }

    /// <summary>The sequence number the reader expected.</summary>
    public ulong Expected { get; }

    /// <summary>The sequence number found in the frame header.</summary>
    public ulong Got { get; }

    public override string Kind => "SequenceError";
}
