namespace ZeroBuffer;

/// <summary>The buffer has no live reader (it exited or crashed).</summary>
public sealed class ReaderDeadException : ZeroBufferException
{
    public ReaderDeadException()
        : base("The reader of the buffer is gone.")
    {
    }

    public ReaderDeadException(string message)
        : base(message)
    {
    }

    public ReaderDeadException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public ReaderDeadException(string message, string? bufferName, int errno = 0)
        : base(message, bufferName, errno)
    {
    }

    public override string Kind => "ReaderDead";
}
