using System.Text.Json;
using ZeroBuffer.Tool.Tests.Support;

namespace ZeroBuffer.Tool.Tests.Cli;

/// <summary>
/// testdata/cli/number-validation.json, which the Python and C++ tool suites run too: one rule for
/// every numeric option, one message for a value that breaks it.
/// </summary>
public sealed class NumberValidationTests : CrossProcessTest
{
    private static readonly JsonElement Data = Load();

    public static TheoryData<string[], string?> Cases()
    {
        var data = new TheoryData<string[], string?>();
        foreach (JsonElement c in Data.GetProperty("cases").EnumerateArray())
        {
            data.Add(
                c.GetProperty("args").EnumerateArray().Select(a => a.GetString()!).ToArray(),
                c.TryGetProperty("message", out JsonElement message) ? message.GetString() : null);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_number_is_checked_by_the_one_rule(string[] arguments, string? message)
    {
        string name = NewBufferName();
        ToolResult result = Start(arguments.Select(a => a == "NAME" ? name : a).ToArray()).WaitForExit();

        if (message is null)
        {
            Assert.DoesNotContain("error: Usage:", result.Stderr, StringComparison.Ordinal);
            return;
        }

        Assert.Equal(Data.GetProperty("exitCode").GetInt32(), result.ExitCode);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: Usage: {message}", line, StringComparison.Ordinal);
        string rest = line[$"error: Usage: {message}".Length..];
        Assert.True(rest.Length == 0 || (rest.StartsWith(" (see ", StringComparison.Ordinal) && rest.EndsWith(")", StringComparison.Ordinal)), line);
        Assert.Empty(result.Stdout);
    }

    private static JsonElement Load()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "testdata", "cli", "number-validation.json");
            if (File.Exists(path))
            {
                using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
                return document.RootElement.Clone();
            }
        }

        throw new FileNotFoundException($"testdata/cli/number-validation.json not found above {AppContext.BaseDirectory}");
    }
}
