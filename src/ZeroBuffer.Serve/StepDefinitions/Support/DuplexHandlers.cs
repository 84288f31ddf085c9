namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>What a step server answers (STEPS.md "Duplex channel", handlers).</summary>
public enum DuplexHandler
{
    /// <summary>The request bytes.</summary>
    Echo,

    /// <summary>Every request byte XOR 0xFF.</summary>
    Xor,

    /// <summary>The request bytes twice.</summary>
    Double,
}

/// <summary>The handlers' transforms, shared by the servers (to answer) and the clients (to check).</summary>
public static class DuplexHandlers
{
    public static int ResponseSize(DuplexHandler handler, int requestSize) =>
        handler == DuplexHandler.Double ? 2 * requestSize : requestSize;

    /// <summary>Writes the response to <paramref name="request"/> into <paramref name="target"/> (ResponseSize bytes).</summary>
    public static void Transform(DuplexHandler handler, ReadOnlySpan<byte> request, Span<byte> target)
    {
        request.CopyTo(target);
        switch (handler)
        {
            case DuplexHandler.Xor:
                FlipInPlace(target[..request.Length]);
                break;
            case DuplexHandler.Double:
                request.CopyTo(target[request.Length..]);
                break;
        }
    }

    public static byte[] Expected(DuplexHandler handler, ReadOnlySpan<byte> request)
    {
        var response = new byte[ResponseSize(handler, request.Length)];
        Transform(handler, request, response);
        return response;
    }

    /// <summary>XOR 0xFF in place (the mutable server's transform): no allocation.</summary>
    public static void FlipInPlace(Span<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            data[i] ^= 0xFF;
        }
    }
}
