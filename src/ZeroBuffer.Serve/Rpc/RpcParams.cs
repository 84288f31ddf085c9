using System.Text.Json;
using Harmony.Protocol.Messages;

namespace ZeroBuffer.Serve.Rpc;

/// <summary>The params of a call do not fit its method: answered with -32602.</summary>
public sealed class RpcParamsException(string message) : Exception(message);

/// <summary>
/// Reads named params, accepting the public Harmony's forms too: a one-element array holding the
/// object, PascalCase keys (case-insensitive read) and numeric step types (the DTO converter).
/// </summary>
public static class RpcParams
{
    /// <summary>The params object, or null when none was sent.</summary>
    public static JsonElement? Unwrap(JsonElement? parameters, string method)
    {
        if (parameters is not { } p || p.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }

        if (p.ValueKind == JsonValueKind.Array)
        {
            return p.GetArrayLength() switch
            {
                0 => null,
                1 when p[0].ValueKind == JsonValueKind.Object => p[0],
                1 when p[0].ValueKind == JsonValueKind.Null => null,
                _ => throw new RpcParamsException($"Invalid params for '{method}': a params array must hold exactly one object, got {p.GetArrayLength()} element(s)."),
            };
        }

        if (p.ValueKind != JsonValueKind.Object)
        {
            throw new RpcParamsException($"Invalid params for '{method}': expected an object.");
        }

        return p;
    }

    /// <summary>Deserialises the params of <paramref name="method"/>; they must be present.</summary>
    public static T Read<T>(JsonElement? parameters, string method)
        where T : class
    {
        JsonElement element = Unwrap(parameters, method)
            ?? throw new RpcParamsException($"Invalid params for '{method}': params are required.");
        try
        {
            return element.Deserialize<T>(ProtocolJson.Options)
                ?? throw new RpcParamsException($"Invalid params for '{method}': params are required.");
        }
        catch (JsonException ex)
        {
            throw new RpcParamsException($"Invalid params for '{method}': {ex.Message}");
        }
    }
}
