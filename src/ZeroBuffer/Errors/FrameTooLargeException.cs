namespace ZeroBuffer;

/// <summary>A frame (16-byte header + payload) can never fit the payload ring.</summary>
public sealed class FrameTooLargeException : ZeroBufferException
{
    public FrameTooLargeException()
        : base("The frame is larger than the buffer.")
    {
    }

    public FrameTooLargeException(string message)
        : base(message)
    {
    }

    public FrameTooLargeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public FrameTooLargeException(string message, string? bufferName, int errno = 0)
        : base(message, bufferName, errno)
    {
    }

    public override string Kind => "FrameTooLarge";
}
