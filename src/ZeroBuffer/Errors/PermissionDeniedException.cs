namespace ZeroBuffer;

/// <summary>The OS refused access (EACCES, EPERM).</summary>
public sealed class PermissionDeniedException : ZeroBufferException
{
    public PermissionDeniedException()
        : base("Permission denied.")
    {
    }

    public PermissionDeniedException(string message)
        : base(message)
    {
    }

    public PermissionDeniedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public PermissionDeniedException(string message, string? bufferName, int errno = 0)
        : base(message, bufferName, errno)
    {
    }

    public override string Kind => "PermissionDenied";
}
