namespace ZeroBuffer;

/// <summary>Another live writer is connected to the buffer.</summary>
public sealed class WriterAlreadyConnectedException : ZeroBufferException
{
    public WriterAlreadyConnectedException()
        : base("A writer is already connected to the buffer.")
    {
    }

    public WriterAlreadyConnectedException(string message)
        : base(message)
    {
    }

    public WriterAlreadyConnectedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public WriterAlreadyConnectedException(string message, string? bufferName, int errno = 0)
        : base(message, bufferName, errno)
    {
    }

    public override string Kind => "WriterAlreadyConnected";
}
