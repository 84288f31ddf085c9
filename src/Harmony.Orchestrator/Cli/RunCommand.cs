using System.CommandLine;
using System.CommandLine.Help;

namespace Harmony.Orchestrator.Cli;

/// <summary>The command-line surface (System.CommandLine): options of a run plus the hidden <c>bench</c> command.</summary>
internal static class RunCommand
{
    public static readonly Argument<string[]> Selection = new("selection")
    {
        Description = "[pair|platform|all] [N.M|N.*|feature ...]: a pair (csharp_python = reader csharp, writer python), " +
                      "a platform (every pair containing it), or all; then test numbers (1.1, 1.*) or feature names " +
                      "(01-basic-communication or the Feature title)",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static readonly Option<string> Config = new("--config")
    {
        Description = "harmony.json to use (relative paths in it resolve against its directory; default $HARMONY_CONFIG, else ./harmony.json)",
        DefaultValueFactory = _ => DefaultConfig,
        Recursive = true, // test.sh puts --config first, also before the bench command
    };

    public static readonly Option<string> Mode = new("--mode")
    {
        Description = "separate-process (one worker per role), same-process (one worker hosts every role) or both",
        DefaultValueFactory = _ => "separate-process",
    };

    public static readonly Option<string?> Tags = new("--tags") { Description = "cucumber tag expression, e.g. \"@fast and not @slow\"" };

    public static readonly Option<int> Parallel = new("--parallel")
    {
        Description = "run up to N scenarios at once, each with its own workers",
        DefaultValueFactory = _ => 1,
    };

    public static readonly Option<string?> Shard = new("--shard") { Description = "run shard i of n (1-based, e.g. 2/4) of the planned test cases" };

    public static readonly Option<int?> StepTimeout = new("--step-timeout") { Description = "per-step timeout in ms (default: stepTimeoutMs of the config, 30000)" };

    public static readonly Option<string?> JUnit = new("--junit") { Description = "write JUnit XML to this file (same as --format junit:<file>)" };

    public static readonly Option<string?> BenchReport = new("--bench-report")
    {
        Description = "write the @benchmark measurements as a table, FILE.md and FILE.json (FILE with or without .md/.json), " +
                      "every platform pair side by side with its baselines, plus FILE-throughput.svg and FILE-latency.svg charts " +
                      "(same as --format bench:<file>)",
    };

    public static readonly Option<string[]> Format = new("--format")
    {
        Description = "write a report, <name>:<file> with name junit, message (Cucumber Messages NDJSON), html (Cucumber HTML) or bench (as --bench-report); repeatable",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static readonly Option<bool> DryRun = new("--dry-run") { Description = "parse, plan and route; ask each platform's worker for its steps and list undefined or ambiguous ones and table / doc string mismatches, with suggestions and a definition to paste (exit 1 if any); run nothing" };

    public static readonly Option<string?> Debug = new("--debug") { Description = "start this role's worker with --wait-for-debugger and no step deadlines (also HARMONY_DEBUG)" };

    public static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "stream worker stderr live, prefixed with role/platform and pid" };

    public static readonly Option<bool> List = new("--list") { Description = "print the planned test cases and exit" };

    public static readonly Option<int?> DebugTimeout = new("--debug-timeout") { Description = "with --debug: stop waiting for a debugger after this many seconds (the scenario fails)" };

    public static readonly Option<string[]> BreakAt = new("--break-at")
    {
        Description = "pause before the step with this number or containing this text (repeatable): prints the run id, the buffers and " +
                      "'zerobuffer inspect' commands, goes on at Enter",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static readonly Option<bool> Step = new("--step") { Description = "pause before every step (as --break-at)" };

    public static readonly Option<string?> Name = new("--name") { Description = "only scenarios whose name matches this regular expression" };

    public static readonly Option<string?> Rerun = new("--rerun") { Description = "write the failed test cases to this file, one './test.sh' argument line each" };

    public static readonly Option<string?> RerunFrom = new("--rerun-from") { Description = "run the test cases listed in this --rerun file (also: @FILE)" };

    public static readonly Option<bool> FailFast = new("--fail-fast") { Description = "start no further test case after the first failure" };

    public static readonly Option<bool> Long = new("--long") { Description = "also run @long scenarios (the catalogue's full counts; off by default, as --tags @long)" };

    public static readonly Option<bool> Stress = new("--stress") { Description = "also run @stress scenarios (off by default, as --tags @stress)" };

    public static readonly Option<bool> Bench = new("--bench") { Description = "also run @benchmark scenarios (off by default, as --tags @benchmark)" };

    public static readonly Option<bool> AllowEmpty = new("--allow-empty") { Description = "exit 0 when the selection runs nothing (default: exit 1 and say why)" };

    /// <summary>test.sh names its config through the environment, so a user's own --config is not a second one.</summary>
    private static string DefaultConfig => Environment.GetEnvironmentVariable("HARMONY_CONFIG") is { Length: > 0 } path ? path : "harmony.json";

    public static RootCommand Build(Command bench)
    {
        var root = new RootCommand(
            "Harmony: runs ZeroBuffer Gherkin scenarios across platform pairs, one zerobuffer-serve worker per role.\n" +
            "Exit code: 0 all passed, 1 a test failed, 2 usage or feature-file error.");
        root.Arguments.Add(Selection);
        foreach (Option option in new Option[] { Config, Mode, Tags, Parallel, Shard, StepTimeout, JUnit, BenchReport, Format, DryRun, Debug, Verbose, List, AllowEmpty, DebugTimeout, BreakAt, Step, Name, Rerun, RerunFrom, FailFast, Long, Stress, Bench })
        {
            root.Options.Add(option);
        }
        root.Subcommands.Add(bench);
        // HarmonyApp runs the commands itself; an action only tells the parser that no subcommand is needed.
        root.SetAction(_ => 0);
        bench.SetAction(_ => 0);
        return root;
    }

    public static RunSettings Read(ParseResult result)
    {
        // "./test.sh @FILE" (Cucumber's rerun convention): a positional @FILE is --rerun-from FILE.
        var positionals = result.GetValue(Selection) ?? [];
        var rerunFrom = result.GetValue(RerunFrom) ?? positionals.Where(p => p.StartsWith('@')).Select(p => p[1..]).LastOrDefault();
        return ReadWith(result, positionals.Where(p => !p.StartsWith('@')).ToList()) with
        {
            DebugTimeoutSeconds = result.GetValue(DebugTimeout),
            BreakAt = result.GetValue(BreakAt) ?? [],
            StepThrough = result.GetValue(Step),
            NamePattern = result.GetValue(Name),
            RerunFile = result.GetValue(Rerun),
            RerunFrom = rerunFrom,
            FailFast = result.GetValue(FailFast),
            Long = result.GetValue(Long),
            Stress = result.GetValue(Stress),
            Bench = result.GetValue(Bench),
        };
    }

    private static RunSettings ReadWith(ParseResult result, IReadOnlyList<string> positionals) => new(
        positionals,
        result.GetValue(Config) ?? DefaultConfig,
        result.GetValue(Mode) ?? "separate-process",
        result.GetValue(Tags),
        result.GetValue(Parallel),
        result.GetValue(Shard),
        result.GetValue(StepTimeout),
        [
            .. result.GetValue(Format) ?? [],
            .. result.GetValue(JUnit) is { } junit ? [$"junit:{junit}"] : Array.Empty<string>(),
            .. result.GetValue(BenchReport) is { } bench ? [$"bench:{bench}"] : Array.Empty<string>(),
        ],
        result.GetValue(DryRun),
        result.GetValue(Debug) ?? (Environment.GetEnvironmentVariable("HARMONY_DEBUG") is { Length: > 0 } d ? d : null),
        result.GetValue(Verbose),
        result.GetValue(List),
        result.GetValue(AllowEmpty));

    /// <summary><c>--help</c> or <c>--version</c>: System.CommandLine answers those itself.</summary>
    public static bool IsHelp(ParseResult result) =>
        result.Action is HelpAction || result.RootCommandResult.Command.Options.OfType<VersionOption>().Any(v => result.GetResult(v) is not null);

    /// <summary>Response files (<c>@file</c>) are off: <c>--tags @fast</c> is a tag, not a file to read.</summary>
    public static ParserConfiguration Parsing { get; } = new() { ResponseFileTokenReplacer = null };
}
