using System.CommandLine;
using System.Globalization;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using ZeroBuffer.Tool.Bench;
using ZeroBuffer.Tool.Commands;

namespace ZeroBuffer.Tool.Cli;

/// <summary>
/// The command tree of <c>zerobuffer</c>: read, write, inspect, bench, serve-echo, request, plus the hidden
/// <c>bench-peer</c> commands the benchmark starts in a second process. Parse errors are reported by
/// System.CommandLine on stderr with exit code 1.
/// </summary>
internal static class ToolCommandLine
{
    public const int DefaultMetadataSize = 1024;
    public const int DefaultPayloadSize = 1048576;
    public const int DefaultTimeoutMs = 5000;

    public const string CommandName = "zerobuffer";

    /// <summary>Parses and runs; a usage error is one <c>error: Usage: ...</c> line on stderr and exit code 1.</summary>
    public static int Run(string[] args)
    {
        // No response files: metadata text such as "@home" must reach the writer as written.
        ParseResult parsed = Build().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0 && parsed.Action is not HelpAction)
        {
            return UsageError(parsed);
        }

        return parsed.Invoke();
    }

    public static Command Build()
    {
        // A plain Command as root, so help says "zerobuffer" whatever the host or assembly is called.
        var root = new Command(CommandName, "ZeroBuffer shared-memory ring buffer tool")
        {
            new HelpOption(),
            new VersionOption(),
            BuildRead(),
            BuildWrite(),
            BuildInspect(),
            BuildBench(),
            DuplexCommandLine.BuildServeEcho(),
            DuplexCommandLine.BuildRequest(),
            PeerCommands.Build(),
        };
        return root;
    }

    private static int UsageError(ParseResult parsed)
    {
        string errors = string.Join("; ", parsed.Errors.Select(e => e.Message.ReplaceLineEndings(" ").Trim()));
        string path = string.Join(' ', CommandPath(parsed.CommandResult));
        Console.Error.WriteLine($"error: {ToolException.Usage}: {errors} (see '{path} --help')");
        return ErrorReporter.Failure;
    }

    private static IEnumerable<string> CommandPath(CommandResult? result)
    {
        var names = new Stack<string>();
        for (SymbolResult? current = result; current is not null; current = current.Parent)
        {
            if (current is CommandResult command)
            {
                names.Push(command.Command.Name);
            }
        }

        return names;
    }

    private static Command BuildRead()
    {
        Argument<string> name = NameArgument();
        Option<long> count = NumberRules.Ranged(new Option<long>("--count") { Description = "frames to read", Required = true });
        Option<int> metadataSize = NumberRules.Ranged(new Option<int>("--metadata-size")
        {
            Description = "metadata block size in bytes",
            DefaultValueFactory = _ => DefaultMetadataSize,
        });
        Option<int> payloadSize = NumberRules.Ranged(new Option<int>("--payload-size")
        {
            Description = "payload ring size in bytes",
            DefaultValueFactory = _ => DefaultPayloadSize,
        });
        Option<int> timeout = TimeoutOption();

        var command = new Command("read", "Create a buffer, print READY, read and validate N pattern frames")
        {
            name, count, metadataSize, payloadSize, timeout,
        };
        command.SetAction(result => ReadCommand.Run(new ReadOptions(
            result.GetRequiredValue(name),
            result.GetValue(count),
            result.GetValue(metadataSize),
            result.GetValue(payloadSize),
            result.GetValue(timeout))));
        return command;
    }

    private static Command BuildWrite()
    {
        Argument<string> name = NameArgument();
        Option<long> count = NumberRules.Ranged(new Option<long>("--count") { Description = "frames to write", Required = true });
        Option<int> size = NumberRules.Ranged(new Option<int>("--size") { Description = "payload bytes per frame", Required = true });
        Option<string?> metadata = new("--metadata") { Description = "metadata text, written once before the frames" };
        Option<int> timeout = TimeoutOption();

        var command = new Command("write", "Connect to a buffer and write N pattern frames")
        {
            name, count, size, metadata, timeout,
        };
        command.SetAction(result => WriteCommand.Run(new WriteOptions(
            result.GetRequiredValue(name),
            result.GetValue(count),
            result.GetValue(size),
            result.GetValue(metadata),
            result.GetValue(timeout))));
        return command;
    }

    private static Command BuildInspect()
    {
        Argument<string> name = NameArgument();
        var command = new Command("inspect", "Print the OIEB of a buffer as one JSON object") { name };
        command.SetAction(result => InspectCommand.Run(result.GetRequiredValue(name)));
        return command;
    }

    private static Command BuildBench()
    {
        Option<bool> quick = new("--quick") { Description = "short run (smoke test, under 15 s)" };
        Option<string?> json = new("--json") { Description = "also write the results as a JSON array to FILE", HelpName = "FILE" };
        var command = new Command("bench", "Measure throughput and round-trip latency against same-run baselines")
        {
            quick, json,
        };
        command.SetAction(result => BenchCommand.Run(new BenchOptions(result.GetValue(quick), result.GetValue(json))));
        return command;
    }

    internal static Argument<string> NameArgument() => new("name") { Description = "buffer name" };

    internal static Option<int> TimeoutOption() => NumberRules.Ranged(new Option<int>("--timeout-ms")
    {
        Description = "timeout in milliseconds",
        DefaultValueFactory = _ => DefaultTimeoutMs,
    });

    internal static Option<T> NonNegative<T>(Option<T> option)
        where T : struct, IComparable<T>, IParsable<T>
    {
        option.Validators.Add(result =>
        {
            // An unparsable token is already a conversion error; only check what does parse.
            if (result.Tokens.Count > 0
                && T.TryParse(result.Tokens[^1].Value, CultureInfo.InvariantCulture, out T value)
                && value.CompareTo(default) < 0)
            {
                result.AddError($"{option.Name} must not be negative (got {value})");
            }
        });
        return option;
    }
}
