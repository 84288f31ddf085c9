namespace ZeroBuffer;

/// <summary>An OS limit was hit (ENOSPC, EMFILE, ENFILE, ENOMEM).</summary>
public sealed class ResourceExhaustedException : ZeroBufferException
{
    public ResourceExhaustedException()
        : base("An OS resource limit was reached.")
    {
    }

    public ResourceExhaustedException(string message)
        : base(message)
    {
    }

    public ResourceExhaustedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public ResourceExhaustedException(string message, string? bufferName, int errno = 0)
        : base(message, bufferName, errno)
    {
    }

    public override string Kind => "ResourceExhausted";
}
