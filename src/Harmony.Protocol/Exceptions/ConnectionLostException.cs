namespace Harmony.Protocol.Exceptions;

/// <summary>The peer's stream ended or broke before a reply arrived.</summary>
public sealed class ConnectionLostException : ProtocolException
{
    public ConnectionLostException(string message, Exception? innerException = null) : base(message, innerException) { }
}
