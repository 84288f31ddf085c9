using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ZeroBuffer.Tool.Cli;

/// <summary>Writes one compact JSON object as a single stdout line.</summary>
internal static class JsonLine
{
    // Metadata text is shown as written (no \uXXXX for non-ASCII); JSON control characters are still escaped.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(Action<Utf8JsonWriter> writeProperties)
    {
        Console.Out.WriteLine(Format(writeProperties));
        Console.Out.Flush();
    }

    public static string Format(Action<Utf8JsonWriter> writeProperties)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            writeProperties(json);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
