namespace ZeroBuffer;

/// <summary>
/// Base of every error the library raises. <see cref="Kind"/> is the bare kind name from PROTOCOL.md §6
/// (e.g. "BufferFull"), the string workers report as <c>errorType</c>.
/// </summary>
public class ZeroBufferException : Exception
{
    /// <summary>The kind of an error that has no more specific type (an unexpected OS error).</summary>
    public const string GenericKind = "ZeroBuffer";

    public ZeroBufferException()
        : this("A ZeroBuffer operation failed.")
    {
    }

    public ZeroBufferException(string message)
        : base(message)
    {
    }

    public ZeroBufferException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public ZeroBufferException(string message, string? bufferName, int errno = 0)
        : base(message)
    {
        BufferName = bufferName;
        Errno = errno;
    }

    /// <summary>The bare kind name, e.g. "BufferFull"; "ZeroBuffer" for an unclassified OS error.</summary>
    public virtual string Kind => GenericKind;

    /// <summary>The buffer the error is about, when known.</summary>
    public string? BufferName { get; }

    /// <summary>The OS errno behind the error, 0 when it did not come from a system call.</summary>
    public int Errno { get; }
}
