namespace ZeroBuffer;

/// <summary>The OIEB is corrupt or its sizes do not match the mapping.</summary>
public sealed class InvalidOiebException : ZeroBufferException
{
    public InvalidOiebException()
        : base("The buffer's control block (OIEB) is invalid.")
    {
    }

    public InvalidOiebException(string message)
        : base(message)
    {
    }

    public InvalidOiebException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public InvalidOiebException(string message, string? bufferName, int errno = 0)
        : base(message, bufferName, errno)
    {
    }

    public override string Kind => "InvalidOieb";
}
