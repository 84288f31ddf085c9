namespace ZeroBuffer;

/// <summary>No space was freed within the write timeout although the reader is alive.</summary>
public sealed class BufferFullException : ZeroBufferException
{
    public BufferFullException()
        : base("The buffer is full.")
    {
    }

    public BufferFullException(string message)
        : base(message)
    {
    }

    public BufferFullException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public BufferFullException(string message, string? bufferName, int errno = 0)
        : base(message, bufferName, errno)
    {
    }

    public override string Kind => "BufferFull";
}
