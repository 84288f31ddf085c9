using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harmony.Protocol.Messages;

/// <summary>
/// Reads a step type written as a string ("given", "When", ...) or as the public Harmony's enum
/// number (0 = given, 1 = when, 2 = then); always writes the lower-case string.
/// </summary>
public sealed class StepTypeJsonConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                string text = reader.GetString()!;
                if (int.TryParse(text, out int numeric))
                {
                    return StepTypes.FromNumber(numeric)
                        ?? throw new JsonException($"Unknown step type number {numeric} (expected 0 = given, 1 = when, 2 = then).");
                }

                return StepTypes.Normalize(text)
                    ?? throw new JsonException($"Unknown step type '{text}' (expected given, when, then or step).");
            case JsonTokenType.Number when reader.TryGetInt32(out int number):
                return StepTypes.FromNumber(number)
                    ?? throw new JsonException($"Unknown step type number {number} (expected 0 = given, 1 = when, 2 = then).");
            default:
                throw new JsonException($"A step type must be a string or 0/1/2, got {reader.TokenType}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);
}
