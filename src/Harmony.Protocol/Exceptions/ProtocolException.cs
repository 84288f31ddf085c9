namespace Harmony.Protocol.Exceptions;

/// <summary>Base type of every wire or JSON-RPC fault raised by Harmony.Protocol.</summary>
public class ProtocolException : Exception
{
    public ProtocolException(string message) : base(message) { }

    public ProtocolException(string message, Exception? innerException) : base(message, innerException) { }
}
