using System.Text.Json;

namespace Harmony.Protocol.Rpc;

/// <summary>
/// Turns a frame body into JSON-RPC 2.0 messages, applying the validity rules of the
/// specification: "jsonrpc" must be "2.0", "method" a string, "id" a number, string or null,
/// "params" an object or array. Elements are cloned, so the result outlives the body.
/// </summary>
public static class JsonRpcMessageParser
{
    public static JsonRpcPacket Parse(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return JsonRpcPacket.Refused(new JsonRpcError(JsonRpcErrorCode.ParseError, $"Parse error: {ex.Message}"));
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                return new JsonRpcPacket(false, [Classify(root)], null);
            }

            if (root.GetArrayLength() == 0)
            {
                return JsonRpcPacket.Refused(new JsonRpcError(JsonRpcErrorCode.InvalidRequest, "Invalid request: empty batch."));
            }

            var messages = new List<JsonRpcMessage>(root.GetArrayLength());
            foreach (JsonElement element in root.EnumerateArray())
            {
                messages.Add(Classify(element));
            }

            return new JsonRpcPacket(true, messages, null);
        }
    }

    /// <summary>Classifies one message object.</summary>
    public static JsonRpcMessage Classify(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return Invalid(null, JsonRpcErrorCode.InvalidRequest, $"Invalid request: expected an object, got {Describe(element.ValueKind)}.");
        }

        JsonElement? id = null;
        if (element.TryGetProperty("id", out JsonElement idElement))
        {
            if (idElement.ValueKind is not (JsonValueKind.Number or JsonValueKind.String or JsonValueKind.Null))
            {
                return Invalid(null, JsonRpcErrorCode.InvalidRequest, $"Invalid request: 'id' must be a number, string or null, got {Describe(idElement.ValueKind)}.");
            }

            id = idElement.Clone();
        }

        if (!element.TryGetProperty("jsonrpc", out JsonElement version)
            || version.ValueKind != JsonValueKind.String
            || version.GetString() != "2.0")
        {
            return Invalid(id, JsonRpcErrorCode.InvalidRequest, "Invalid request: 'jsonrpc' must be \"2.0\".");
        }

        if (element.TryGetProperty("method", out JsonElement method))
        {
            return ClassifyRequest(element, id, method);
        }

        bool hasResult = element.TryGetProperty("result", out JsonElement result);
        bool hasError = element.TryGetProperty("error", out JsonElement error);
        if (hasResult || hasError)
        {
            return ClassifyReply(id, hasResult ? result : null, hasError ? error : null);
        }

        return Invalid(id, JsonRpcErrorCode.InvalidRequest, "Invalid request: no 'method' member.");
    }

    private static JsonRpcMessage ClassifyRequest(JsonElement element, JsonElement? id, JsonElement method)
    {
        if (method.ValueKind != JsonValueKind.String)
        {
            return Invalid(id, JsonRpcErrorCode.InvalidRequest, $"Invalid request: 'method' must be a string, got {Describe(method.ValueKind)}.");
        }

        string name = method.GetString()!;
        JsonElement? parameters = null;
        if (element.TryGetProperty("params", out JsonElement paramsElement))
        {
            if (paramsElement.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null))
            {
                return Invalid(id, JsonRpcErrorCode.InvalidParams, $"Invalid params for '{name}': 'params' must be an object or an array, got {Describe(paramsElement.ValueKind)}.");
            }

            if (paramsElement.ValueKind != JsonValueKind.Null)
            {
                parameters = paramsElement.Clone();
            }
        }

        return new JsonRpcRequest(id, name, parameters);
    }

    private static JsonRpcMessage ClassifyReply(JsonElement? id, JsonElement? result, JsonElement? error)
    {
        if (id is not { } replyId || replyId.ValueKind == JsonValueKind.Null)
        {
            // A reply with no usable id cannot be matched; error replies to unparsable requests look like this.
            if (error is { ValueKind: JsonValueKind.Object } orphan)
            {
                return new JsonRpcReply(default, null, ReadError(orphan));
            }

            return Invalid(null, JsonRpcErrorCode.InvalidRequest, "Invalid reply: no 'id'.");
        }

        if (error is { } errorElement)
        {
            if (errorElement.ValueKind != JsonValueKind.Object)
            {
                return Invalid(replyId, JsonRpcErrorCode.InvalidRequest, "Invalid reply: 'error' must be an object.");
            }

            return new JsonRpcReply(replyId, null, ReadError(errorElement));
        }

        return new JsonRpcReply(replyId, result!.Value.Clone(), null);
    }

    private static JsonRpcError ReadError(JsonElement error)
    {
        int code = error.TryGetProperty("code", out JsonElement c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out int parsed)
            ? parsed
            : (int)JsonRpcErrorCode.InternalError;
        string message = error.TryGetProperty("message", out JsonElement m) && m.ValueKind == JsonValueKind.String
            ? m.GetString()!
            : "(no message)";
        JsonElement? data = error.TryGetProperty("data", out JsonElement d) ? d.Clone() : null;
        return new JsonRpcError(code, message, data);
    }

    private static JsonRpcInvalidMessage Invalid(JsonElement? id, JsonRpcErrorCode code, string message) =>
        new(id, new JsonRpcError(code, message));

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
