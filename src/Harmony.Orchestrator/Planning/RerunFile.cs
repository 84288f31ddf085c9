using Harmony.Orchestrator.Features;

namespace Harmony.Orchestrator.Planning;

/// <summary>
/// A failed test case as <c>&lt;combination&gt; &lt;file&gt;:&lt;line&gt; --mode &lt;mode&gt;</c>: the arguments of
/// <c>./test.sh</c> that run it again, one per line in a <c>--rerun</c> file (Cucumber's rerun formatter, with the
/// platform pair and mode a Harmony case also needs). <c>--rerun-from FILE</c> / <c>./test.sh @FILE</c> reads it.
/// </summary>
internal sealed record RerunEntry(string Combination, string FileAndLine, string Mode)
{
    private readonly ScenarioFilter _filter = ScenarioFilter.Parse(FileAndLine);

    public static RerunEntry Of(TestCase testCase)
    {
        var scenario = testCase.Routed.Scenario;
        return new RerunEntry(
            testCase.Combination.Name,
            $"{scenario.Location.File}:{scenario.ExampleRowLine ?? scenario.Location.Line}",
            testCase.Mode.Name());
    }

    public override string ToString() => $"{Combination} {FileAndLine} --mode {Mode}";

    public bool Matches(TestCase testCase) =>
        testCase.Combination.Name == Combination && testCase.Mode.Name() == Mode && _filter.Matches(testCase.Routed.Scenario);

    /// <exception cref="UsageException">The file cannot be read or a line is not an entry.</exception>
    public static IReadOnlyList<RerunEntry> Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the rerun file '{path}': {ex.Message}");
        }
        var entries = new List<RerunEntry>();
        foreach (var (line, number) in lines.Select((l, i) => (l.Trim(), i + 1)).Where(l => l.Item1.Length > 0))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts is not [var combination, var fileAndLine, "--mode", var mode] || !fileAndLine.Contains(".feature:", StringComparison.Ordinal))
            {
                throw new UsageException($"{path}:{number}: expected '<pair> <file>.feature:<line> --mode <mode>', got '{line}'");
            }
            entries.Add(new RerunEntry(combination, fileAndLine, mode));
        }
        return entries;
    }
}
