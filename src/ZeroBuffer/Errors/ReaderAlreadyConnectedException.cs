namespace ZeroBuffer;

/// <summary>Another live reader owns the buffer.</summary>
public sealed class ReaderAlreadyConnectedException : ZeroBufferException
{
    public ReaderAlreadyConnectedException()
        : base("A reader is already connected to the buffer.")
    {
    }

    public ReaderAlreadyConnectedException(string message)
        : base(message)
    {
    }

    public ReaderAlreadyConnectedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public ReaderAlreadyConnectedException(string message, string? bufferName, int errno = 0)
        : base(message, bufferName, errno)
    {
    }

    public override string Kind => "ReaderAlreadyConnected";
}
