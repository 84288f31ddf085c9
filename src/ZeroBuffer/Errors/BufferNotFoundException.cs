namespace ZeroBuffer;

/// <summary>The buffer does not exist, or its reader has not finished creating it.</summary>
public sealed class BufferNotFoundException : ZeroBufferException
{
    public BufferNotFoundException()
        : base("The buffer does not exist.")
    {
    }

    public BufferNotFoundException(string message)
        : base(message)
    {
    }

    public BufferNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public BufferNotFoundException(string message, string? bufferName, int errno = 0)
        : base(message, bufferName, errno)
    {
    }

    public override string Kind => "BufferNotFound";
}
