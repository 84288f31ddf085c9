using System.Text.Json;
using Harmony.Protocol.Phrases;

namespace Harmony.Protocol.Tests.Phrases;

/// <summary>testdata/steps/phrases.json, which the Python and C++ workers' suites run too.</summary>
public sealed class StepPhraseTests
{
    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "testdata", "steps", "phrases.json");
            if (File.Exists(path))
            {
                using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
                foreach (JsonElement c in document.RootElement.GetProperty("cases").EnumerateArray())
                {
                    data.Add(c.GetProperty("pattern").GetString()!, c.GetProperty("step").GetString()!, c.GetProperty("phrase").GetString()!);
                }

                return data;
            }
        }

        throw new FileNotFoundException("testdata/steps/phrases.json not found");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_pattern_is_written_back_as_gherkin_text(string pattern, string step, string phrase) =>
        Assert.Equal(phrase, StepPhrase.Render(pattern, step));
}
