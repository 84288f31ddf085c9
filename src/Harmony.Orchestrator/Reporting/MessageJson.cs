using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Io.Cucumber.Messages.Types;

namespace Harmony.Orchestrator.Reporting;

/// <summary>
/// Cucumber Messages as JSON, the way every Cucumber implementation writes them: camelCase, absent fields
/// left out, enums as their schema strings (<c>PASSED</c>, <c>text/x.cucumber.gherkin+plain</c>).
/// </summary>
internal static class MessageJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new SchemaEnumConverterFactory() },
    };

    public static string Serialize(Envelope envelope) => JsonSerializer.Serialize(envelope, Options);

    /// <summary>The writer callback that MessageToNdjsonWriter and MessagesToHtmlWriter take.</summary>
    public static void Write(StreamWriter writer, Envelope envelope) => writer.Write(Serialize(envelope));

    public static Task WriteAsync(StreamWriter writer, Envelope envelope) => writer.WriteAsync(Serialize(envelope));

    /// <summary>
    /// Each message enum has a generated <c>&lt;Enum&gt;Extensions.Value</c> that returns its schema string;
    /// this converter writes that.
    /// </summary>
    private sealed class SchemaEnumConverterFactory : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) =>
            typeToConvert.IsEnum && typeToConvert.Namespace == typeof(Envelope).Namespace;

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(SchemaEnumConverter<>).MakeGenericType(typeToConvert))!;
    }

    private sealed class SchemaEnumConverter<T> : JsonConverter<T> where T : struct, Enum
    {
        private static readonly ConcurrentDictionary<T, string> Names = new();

        private static readonly MethodInfo? ValueMethod = typeof(T).Assembly
            .GetType($"{typeof(T).FullName}Extensions")?
            .GetMethod("Value", BindingFlags.Public | BindingFlags.Static, [typeof(T)]);

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Harmony only writes Cucumber Messages");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Names.GetOrAdd(value, v => ValueMethod?.Invoke(null, [v]) as string ?? v.ToString()));
    }
}
