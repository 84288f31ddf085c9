namespace ZeroBuffer;

/// <summary>The OIEB's major version is not 1.</summary>
public sealed class ProtocolVersionMismatchException : ZeroBufferException
{
    public ProtocolVersionMismatchException()
        : base("The buffer uses an unsupported protocol version.")
    {
    }

    public ProtocolVersionMismatchException(string message)
        : base(message)
    {
    }

    public ProtocolVersionMismatchException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public ProtocolVersionMismatchException(string message, string? bufferName, int errno = 0)
        : base(message, bufferName, errno)
    {
    }

    public override string Kind => "ProtocolVersionMismatch";
}
