namespace ZeroBuffer;

/// <summary>A frame size is 0 (writer side) or a frame header points outside the ring (reader side, corruption).</summary>
public sealed class InvalidFrameSizeException : ZeroBufferException
{
    public InvalidFrameSizeException()
        : base("The frame size is invalid.")
    {
    }

    public InvalidFrameSizeException(string message)
        : base(message)
    {
    }

    public InvalidFrameSizeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public InvalidFrameSizeException(string message, string? bufferName, int errno = 0)
        : base(message, bufferName, errno)
    {
    }

    public override string Kind => "InvalidFrameSize";
}
