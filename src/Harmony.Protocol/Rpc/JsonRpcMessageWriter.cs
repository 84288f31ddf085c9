using System.Buffers;
using System.Text.Json;
using Harmony.Protocol.Messages;

namespace Harmony.Protocol.Rpc;

/// <summary>Serialises JSON-RPC 2.0 requests, notifications and replies to UTF-8 frame bodies.</summary>
public static class JsonRpcMessageWriter
{
    public static byte[] Request(long id, string method, object? parameters) =>
        Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc", "2.0");
            w.WriteNumber("id", id);
            WriteCall(w, method, parameters);
            w.WriteEndObject();
        });

    public static byte[] Notification(string method, object? parameters) =>
        Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc", "2.0");
            WriteCall(w, method, parameters);
            w.WriteEndObject();
        });

    public static byte[] Response(JsonRpcResponse response) => Write(w => WriteResponse(w, response));

    /// <summary>A batch reply: a JSON array of replies, in the given order.</summary>
    public static byte[] Batch(IEnumerable<JsonRpcResponse> responses) =>
        Write(w =>
        {
            w.WriteStartArray();
            foreach (JsonRpcResponse response in responses)
            {
                WriteResponse(w, response);
            }

            w.WriteEndArray();
        });

    public static void WriteResponse(Utf8JsonWriter w, JsonRpcResponse response)
    {
        w.WriteStartObject();
        w.WriteString("jsonrpc", "2.0");
        w.WritePropertyName("id");
        if (response.Id is { ValueKind: not JsonValueKind.Undefined } id)
        {
            id.WriteTo(w);
        }
        else
        {
            w.WriteNullValue();
        }

        if (response.Error is { } error)
        {
            w.WritePropertyName("error");
            w.WriteStartObject();
            w.WriteNumber("code", error.Code);
            w.WriteString("message", error.Message);
            if (error.Data is { ValueKind: not JsonValueKind.Undefined } data)
            {
                w.WritePropertyName("data");
                data.WriteTo(w);
            }

            w.WriteEndObject();
        }
        else
        {
            w.WritePropertyName("result");
            if (response.Result is { ValueKind: not JsonValueKind.Undefined } result)
            {
                result.WriteTo(w);
            }
            else
            {
                w.WriteNullValue();
            }
        }

        w.WriteEndObject();
    }

    private static void WriteCall(Utf8JsonWriter w, string method, object? parameters)
    {
        w.WriteString("method", method);
        if (parameters is not null)
        {
            w.WritePropertyName("params");
            JsonSerializer.Serialize(w, parameters, parameters.GetType(), ProtocolJson.Options);
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            body(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
