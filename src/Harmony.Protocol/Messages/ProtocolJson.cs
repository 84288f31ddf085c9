using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harmony.Protocol.Messages;

/// <summary>The one set of serializer options every Harmony message uses.</summary>
public static class ProtocolJson
{
    /// <summary>camelCase on write; case-insensitive names on read so PascalCase params work too.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DictionaryKeyPolicy = null,
            PropertyNameCaseInsensitive = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            WriteIndented = false,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
