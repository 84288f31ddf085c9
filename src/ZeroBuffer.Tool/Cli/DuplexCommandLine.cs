using System.CommandLine;
using ZeroBuffer.DuplexChannel;
using ZeroBuffer.Tool.Commands;

namespace ZeroBuffer.Tool.Cli;

/// <summary>The duplex-channel commands: <c>serve-echo NAME</c> and <c>request NAME --count N --size B</c>.</summary>
internal static class DuplexCommandLine
{
    public static Command BuildServeEcho()
    {
        Argument<string> name = new("name") { Description = "channel name" };
        Option<string> mode = new("--mode")
        {
            Description = "single-thread (in-order, 1.x compatible) or thread-pool (correlated)",
            DefaultValueFactory = _ => "single-thread",
        };
        mode.AcceptOnlyFromAmong("single-thread", "thread-pool");
        Option<int> handlers = NumberRules.Ranged(new Option<int>("--handlers")
        {
            Description = "handlers at once in thread-pool mode",
            DefaultValueFactory = _ => DuplexServerOptions.DefaultHandlerCount,
        });
        Option<long> count = NumberRules.Ranged(new Option<long>("--count") { Description = "exit after answering N requests (default: until SIGINT/SIGTERM)" });
        Option<int> metadataSize = NumberRules.Ranged(new Option<int>("--metadata-size")
        {
            Description = "request metadata block size in bytes",
            DefaultValueFactory = _ => ToolCommandLine.DefaultMetadataSize,
        });
        Option<int> payloadSize = NumberRules.Ranged(new Option<int>("--payload-size")
        {
            Description = "request ring size in bytes",
            DefaultValueFactory = _ => ToolCommandLine.DefaultPayloadSize,
        });

        var command = new Command("serve-echo", "Serve a duplex channel that answers every request with its own bytes")
        {
            name, mode, handlers, count, metadataSize, payloadSize,
        };
        command.SetAction(result => ServeEchoCommand.Run(new ServeEchoOptions(
            result.GetRequiredValue(name),
            result.GetValue(mode) == "thread-pool" ? ProcessingMode.ThreadPool : ProcessingMode.SingleThread,
            Math.Max(1, result.GetValue(handlers)),
            result.GetValue(count),
            result.GetValue(metadataSize),
            result.GetValue(payloadSize))));
        return command;
    }

    public static Command BuildRequest()
    {
        Argument<string> name = new("name") { Description = "channel name" };
        Option<long> count = NumberRules.Ranged(new Option<long>("--count") { Description = "requests to send", Required = true });
        Option<int> size = NumberRules.Ranged(new Option<int>("--size") { Description = "bytes per request", Required = true });
        Option<int> timeout = ToolCommandLine.TimeoutOption();
        Option<int> payloadSize = NumberRules.Ranged(new Option<int>("--payload-size")
        {
            Description = "response ring size in bytes (default: room for 4 responses, at least 1 MiB)",
        });

        var command = new Command("request", "Send N pattern requests to a duplex channel and check each echoed response")
        {
            name, count, size, timeout, payloadSize,
        };
        command.SetAction(result => RequestCommand.Run(new RequestOptions(
            result.GetRequiredValue(name),
            result.GetValue(count),
            result.GetValue(size),
            result.GetValue(timeout),
            result.GetValue(payloadSize))));
        return command;
    }
}
