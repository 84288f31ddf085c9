namespace ZeroBuffer;

/// <summary>Metadata is written at most once per buffer.</summary>
public sealed class MetadataAlreadyWrittenException : ZeroBufferException
{
    public MetadataAlreadyWrittenException()
        : base("Metadata was already written to this buffer.")
    {
    }

    public MetadataAlreadyWrittenException(string message)
        : base(message)
    {
    }

    public MetadataAlreadyWrittenException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public MetadataAlreadyWrittenException(string message, string? bufferName, int errno = 0)
        : base(message, bufferName, errno)
    {
    }

    public override string Kind => "MetadataAlreadyWritten";
}
