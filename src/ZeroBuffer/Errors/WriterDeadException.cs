namespace ZeroBuffer;

/// <summary>The writer died, or closed and left no frame to read.</summary>
public sealed class WriterDeadException : ZeroBufferException
{
    public WriterDeadException()
        : base("The writer of the buffer is gone.")
    {
    }

    public WriterDeadException(string message)
        : base(message)
    {
    }

    public WriterDeadException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public WriterDeadException(string message, string? bufferName, int errno = 0)
        : base(message, bufferName, errno)
    {
    }

    public override string Kind => "WriterDead";
}
