namespace Harmony.Protocol.Exceptions;

/// <summary>
/// A header block that cannot announce a message (no Content-Length, a negative, non-numeric or
/// oversized length, a malformed or overlong line). The reader has already consumed the block, so
/// the next read starts on whatever follows it.
/// </summary>
public sealed class BadHeaderException : ProtocolException
{
    public BadHeaderException(string message) : base(message) { }
}
