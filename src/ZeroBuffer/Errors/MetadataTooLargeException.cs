namespace ZeroBuffer;

/// <summary>8 + metadata length exceeds the metadata block.</summary>
public sealed class MetadataTooLargeException : ZeroBufferException
{
    public MetadataTooLargeException()
        : base("The metadata does not fit the metadata block.")
    {
    }

    public MetadataTooLargeException(string message)
        : base(message)
    {
    }

    public MetadataTooLargeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public MetadataTooLargeException(string message, string? bufferName, int errno = 0)
        : base(message, bufferName, errno)
    {
    }

    public override string Kind => "MetadataTooLarge";
}
