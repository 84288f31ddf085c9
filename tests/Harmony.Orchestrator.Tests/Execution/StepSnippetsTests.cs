using Harmony.Orchestrator.Execution;

namespace Harmony.Orchestrator.Tests.Execution;

/// <summary>The definition --dry-run offers for an undefined step, per language, with typed parameters.</summary>
public sealed class StepSnippetsTests
{
    private const string Step = "the 'writer' process frobnicates '3' widgets at speed '-2' on lane 'left' with 'x'";

    [Fact]
    public void CSharp_is_an_attribute_method_with_typed_parameters()
    {
        Assert.Equal(
            "[When(@\"the '([^']+)' process frobnicates '(\\d+)' widgets at speed '(-?\\d+)' on lane '([^']*)' with '([^']*)'\")]\n" +
            "public void TheProcessFrobnicatesWidgetsAtSpeedOnLaneWith(string process, int frobnicates, int speed, string lane, string text)\n" +
            "{\n" +
            "    throw new NotImplementedException(\"pending step\");\n" +
            "}",
            StepSnippets.For("csharp", "when", Step));
    }

    [Fact]
    public void Python_is_a_decorated_function_with_named_groups_and_type_hints()
    {
        Assert.Equal(
            "@when(r\"the '(?P<process>[^']+)' process frobnicates '(?P<frobnicates>\\d+)' widgets at speed '(?P<speed>-?\\d+)' on lane '(?P<lane>[^']*)' with '(?P<text>[^']*)'\")\n" +
            "def the_process_frobnicates_widgets_at_speed_on_lane_with(ctx: ScenarioContext, process: str, frobnicates: int, speed: int, lane: str, text: str) -> None:\n" +
            "    raise NotImplementedError(\"pending step\")",
            StepSnippets.For("python", "when", Step));
    }

    [Fact]
    public void Cpp_is_a_registration_converting_each_capture()
    {
        Assert.Equal(
            "registry.then(R\"(the '([^']+)' process frobnicates '(\\d+)' widgets at speed '(-?\\d+)' on lane '([^']*)' with '([^']*)')\", [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {\n" +
            "    const std::string& process = a[0];\n" +
            "    const std::uint64_t frobnicates = steps::to_uint(a[1]);\n" +
            "    const std::int64_t speed = steps::to_int(a[2]);\n" +
            "    const std::string& lane = a[3];\n" +
            "    const std::string& text = a[4];\n" +
            "    throw steps::AssertionFailed(\"pending step\");\n" +
            "});",
            StepSnippets.For("cpp", "then", Step));
    }

    [Fact]
    public void A_snippet_pattern_matches_the_step_it_was_made_for()
    {
        foreach (string text in new[] { Step, "every process waits (a while) for '5' ms.", "the 'reader' process has 'a' and 'b'" })
        {
            string csharp = StepSnippets.For("csharp", "given", text)!;
            string pattern = csharp[(csharp.IndexOf("@\"", StringComparison.Ordinal) + 2)..csharp.IndexOf("\")]", StringComparison.Ordinal)].Replace("\"\"", "\"", StringComparison.Ordinal);
            Assert.Matches($"^(?:{pattern})$", text);
            Assert.Matches($"^(?:{pattern})$", text);
        }
    }
}
