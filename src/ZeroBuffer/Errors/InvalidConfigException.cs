namespace ZeroBuffer;

/// <summary>A <see cref="BufferConfig"/> value is out of range (payload size must be &gt; 0, metadata size &gt;= 0).</summary>
public sealed class InvalidConfigException : ZeroBufferException
{
    public InvalidConfigException()
        : base("The buffer configuration is invalid.")
    {
    }

    public InvalidConfigException(string message)
        : base(message)
    {
    }

    public InvalidConfigException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public InvalidConfigException(string message, string? bufferName, int errno = 0)
        : base(message, bufferName, errno)
    {
    }

    public override string Kind => "InvalidConfig";
}
