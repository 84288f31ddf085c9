namespace ZeroBuffer;

/// <summary>An OS call failed with an errno the table of PROTOCOL.md §6 gives no other kind; the message names the call, the errno and the buffer.</summary>
public sealed class SystemErrorException : ZeroBufferException
{
    public SystemErrorException()
        : base("A system call failed.")
    {
    }

    public SystemErrorException(string message)
        : base(message)
    {
    }

    public SystemErrorException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public SystemErrorException(string message, string? bufferName, int errno = 0)
        : base(message, bufferName, errno)
    {
    }

    public override string Kind => "SystemError";
}
