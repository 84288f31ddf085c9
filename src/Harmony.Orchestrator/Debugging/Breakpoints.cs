using System.Globalization;
using System.Text.RegularExpressions;
using Harmony.Orchestrator.Planning;

namespace Harmony.Orchestrator.Debugging;

/// <summary>
/// <c>--break-at &lt;step number|text&gt;</c> and <c>--step</c>: before a matching step the run pauses, prints the
/// run id and each buffer of the scenario with a ready <c>zerobuffer inspect</c> command, and goes on at Enter
/// (or a <c>continue</c> line). Nothing is in flight between steps, so no worker deadline runs while paused.
/// </summary>
internal sealed partial class Breakpoints(IReadOnlyList<string> at, bool everyStep, TextReader input, TextWriter output)
{
    [GeneratedRegex(@"\bbuffer '(?<name>[^']+)'")]
    private static partial Regex BufferPhrase();

    public bool Matches(RoutedStep step) => everyStep || at.Any(spec =>
        int.TryParse(spec, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number == step.Number
            : step.Spec.Text.Contains(spec, StringComparison.OrdinalIgnoreCase));

    /// <summary>The scenario's buffers as the workers name them: <c>&lt;runId&gt;-&lt;name&gt;</c> (ORCHESTRATION.md).</summary>
    public static IReadOnlyList<string> BufferNames(string runId, TestCase testCase) =>
        testCase.Routed.Steps
            .SelectMany(s => BufferPhrase().Matches(s.Spec.Text).Select(m => m.Groups["name"].Value))
            .Distinct(StringComparer.Ordinal)
            .Select(name => $"{runId}-{name}")
            .ToList();

    /// <summary>Prints where the run stands and waits for Enter or <c>continue</c> (end of input goes on too).</summary>
    public async Task PauseAsync(string runId, TestCase testCase, RoutedStep step, CancellationToken ct)
    {
        var location = step.Spec.Location;
        await output.WriteLineAsync(
            $"harmony: paused before step {step.Number} \"{step.Spec.Keyword} {step.Spec.Text}\" ({location.File}:{location.Line}) " +
            $"of {testCase.DisplayName} {testCase.Mode.Name()}").ConfigureAwait(false);
        await output.WriteLineAsync($"  run id: {runId}").ConfigureAwait(false);
        foreach (var buffer in BufferNames(runId, testCase))
        {
            await output.WriteLineAsync($"  buffer {buffer}:  zerobuffer inspect {buffer}").ConfigureAwait(false);
        }
        await output.WriteLineAsync("  press Enter (or type 'continue') to go on").ConfigureAwait(false);
        await output.FlushAsync(ct).ConfigureAwait(false);
        while (await input.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            if (line.Trim() is "" or "continue" or "c")
            {
                return;
            }
            await output.WriteLineAsync($"  '{line.Trim()}' is not a command: press Enter (or type 'continue') to go on").ConfigureAwait(false);
            await output.FlushAsync(ct).ConfigureAwait(false);
        }
    }
}
