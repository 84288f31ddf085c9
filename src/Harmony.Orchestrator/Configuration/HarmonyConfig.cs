using System.Text.Json;

namespace Harmony.Orchestrator.Configuration;

/// <summary>How to launch one platform's worker; paths already resolved against the config file's directory.</summary>
internal sealed record PlatformConfig(
    string Name,
    string Command,
    IReadOnlyList<string> Args,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Env);

/// <summary>
/// <c>harmony.json</c>: <c>{ "platforms": { "&lt;p&gt;": { command, args, workingDirectory, env } },
/// "featuresPath": "features", "stepTimeoutMs": 30000 }</c>. Relative paths resolve against the file's directory.
/// </summary>
internal sealed record HarmonyConfig(string File, IReadOnlyList<PlatformConfig> Platforms, string FeaturesPath, int StepTimeoutMs)
{
    public const int DefaultStepTimeoutMs = 30_000;

    public IReadOnlyList<string> PlatformNames => Platforms.Select(p => p.Name).ToList();

    public PlatformConfig Platform(string name) =>
        Platforms.FirstOrDefault(p => p.Name == name)
        ?? throw new ConfigException($"{File}: platform '{name}' is not configured (configured: {string.Join(", ", PlatformNames)})");

    /// <exception cref="ConfigException">The file is missing or malformed.</exception>
    public static HarmonyConfig Load(string path)
    {
        var file = Path.GetFullPath(path);
        if (!System.IO.File.Exists(file))
        {
            throw new ConfigException($"config file '{path}' does not exist");
        }
        var baseDirectory = Path.GetDirectoryName(file)!;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(System.IO.File.ReadAllText(file),
                new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new ConfigException($"{path}: not valid JSON: {ex.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("platforms", out var platformsElement)
                || platformsElement.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigException($"{path}: expected an object with a \"platforms\" object");
            }
            var platforms = new List<PlatformConfig>();
            foreach (var property in platformsElement.EnumerateObject())
            {
                platforms.Add(ReadPlatform(path, baseDirectory, property));
            }
            var featuresPath = root.TryGetProperty("featuresPath", out var fp) && fp.ValueKind == JsonValueKind.String
                ? fp.GetString()!
                : "features";
            var stepTimeout = root.TryGetProperty("stepTimeoutMs", out var st) && st.ValueKind == JsonValueKind.Number
                ? st.GetInt32()
                : DefaultStepTimeoutMs;
            if (stepTimeout <= 0)
            {
                throw new ConfigException($"{path}: stepTimeoutMs must be positive");
            }
            return new HarmonyConfig(file, platforms, Path.GetFullPath(Path.Combine(baseDirectory, featuresPath)), stepTimeout);
        }
    }

    private static PlatformConfig ReadPlatform(string path, string baseDirectory, JsonProperty property)
    {
        var value = property.Value;
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("command", out var commandElement)
            || commandElement.ValueKind != JsonValueKind.String
            || string.IsNullOrWhiteSpace(commandElement.GetString()))
        {
            throw new ConfigException($"{path}: platforms.{property.Name} needs a \"command\" string");
        }
        var command = commandElement.GetString()!;
        // A bare name ("python3", "dotnet") is looked up on PATH; anything with a slash is a path.
        if (command.Contains('/'))
        {
            command = Path.GetFullPath(Path.Combine(baseDirectory, command));
        }
        var args = value.TryGetProperty("args", out var a) && a.ValueKind == JsonValueKind.Array
            ? a.EnumerateArray().Select(x => x.GetString() ?? "").ToList()
            : [];
        var workingDirectory = value.TryGetProperty("workingDirectory", out var wd) && wd.ValueKind == JsonValueKind.String
            ? wd.GetString()!
            : ".";
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (value.TryGetProperty("env", out var e) && e.ValueKind == JsonValueKind.Object)
        {
            foreach (var variable in e.EnumerateObject())
            {
                env[variable.Name] = variable.Value.ValueKind == JsonValueKind.String ? variable.Value.GetString()! : variable.Value.GetRawText();
            }
        }
        return new PlatformConfig(property.Name, command, args, Path.GetFullPath(Path.Combine(baseDirectory, workingDirectory)), env);
    }

    /// <summary>Finds the executable a platform runs: the path itself, or the first match on PATH.</summary>
    public static string? ResolveExecutable(string command)
    {
        if (command.Contains('/'))
        {
            return System.IO.File.Exists(command) ? command : null;
        }
        var pathVariable = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in pathVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, command);
            if (System.IO.File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}

/// <summary>A configuration problem: a usage error (exit 2).</summary>
internal sealed class ConfigException(string message) : Exception(message);
