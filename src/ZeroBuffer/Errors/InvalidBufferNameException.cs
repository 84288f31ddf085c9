namespace ZeroBuffer;

/// <summary>A buffer name is not 1-200 characters of [A-Za-z0-9._-] or starts with '.'; raised before any OS call.</summary>
public sealed class InvalidBufferNameException : ZeroBufferException
{
    public InvalidBufferNameException()
        : base("The buffer name is invalid.")
    {
    }

    public InvalidBufferNameException(string message)
        : base(message)
    {
    }

    public InvalidBufferNameException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public InvalidBufferNameException(string message, string? bufferName, int errno = 0)
        : base(message, bufferName, errno)
    {
    }

    public override string Kind => "InvalidBufferName";
}
