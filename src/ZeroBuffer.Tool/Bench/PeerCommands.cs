using System.CommandLine;
using ZeroBuffer.Tool.Bench.Measures;
using ZeroBuffer.Tool.Cli;

namespace ZeroBuffer.Tool.Bench;

/// <summary>
/// Hidden <c>bench-peer &lt;kind&gt;</c> commands: the second process of each benchmark. They are not
/// part of the public interface and may change with the bench.
/// </summary>
internal static class PeerCommands
{
    public const string CommandName = "bench-peer";
    public const string ReadyLine = "READY";
    public const string ZeroBufferWriter = "zb-writer";
    public const string ZeroBufferEcho = "zb-echo";
    public const string SocketWriter = "socket-writer";
    public const string SocketEcho = "socket-echo";
    public const string SemaphoreEcho = "sem-echo";
    public const string DuplexEcho = "duplex-echo";

    public static Command Build()
    {
        var peer = new Command(CommandName, "benchmark peer process (internal)") { Hidden = true };

        Option<string> name = Text("--name");
        Option<int> size = Number<int>("--size");
        Option<long> warmup = Number<long>("--warmup");
        Option<long> count = Number<long>("--count");
        peer.Add(Peer(ZeroBufferWriter, [name, size, warmup, count], r =>
            ZeroBufferThroughput.RunWriter(r.GetRequiredValue(name), r.GetValue(size), r.GetValue(warmup), r.GetValue(count))));

        Option<string> request = Text("--request");
        Option<string> response = Text("--response");
        Option<int> echoSize = Number<int>("--size");
        Option<int> echoCount = Number<int>("--count"); // 0: until the bench's writer disconnects
        Option<int> payloadSize = Number<int>("--payload-size");
        Option<int> echoCpu = Cpu();
        peer.Add(Peer(ZeroBufferEcho, [request, response, echoSize, echoCount, payloadSize, echoCpu], r =>
            ZeroBufferRoundTrip.RunEcho(r.GetRequiredValue(request), r.GetRequiredValue(response), r.GetValue(payloadSize), r.GetValue(echoCount), r.GetValue(echoCpu))));

        Option<string> path = Text("--path");
        Option<int> socketSize = Number<int>("--size");
        Option<long> socketWarmup = Number<long>("--warmup");
        Option<long> socketCount = Number<long>("--count");
        peer.Add(Peer(SocketWriter, [path, socketSize, socketWarmup, socketCount], r =>
            SocketThroughput.RunWriter(r.GetRequiredValue(path), r.GetValue(socketSize), r.GetValue(socketWarmup), r.GetValue(socketCount))));

        Option<string> echoPath = Text("--path");
        Option<int> socketEchoSize = Number<int>("--size");
        Option<int> socketEchoCount = Number<int>("--count");
        peer.Add(Peer(SocketEcho, [echoPath, socketEchoSize, socketEchoCount], r =>
            SocketRoundTrip.RunEcho(r.GetRequiredValue(echoPath), r.GetValue(socketEchoSize), r.GetValue(socketEchoCount))));

        Option<string> ping = Text("--ping");
        Option<string> pong = Text("--pong");
        Option<int> semCount = Number<int>("--count");
        peer.Add(Peer(SemaphoreEcho, [ping, pong, semCount], r =>
            SemaphorePingPong.RunEcho(r.GetRequiredValue(ping), r.GetRequiredValue(pong), r.GetValue(semCount))));

        Option<string> channel = Text("--channel");
        Option<int> duplexPayload = Number<int>("--payload-size");
        Option<int> duplexCpu = Cpu();
        peer.Add(Peer(DuplexEcho, [channel, duplexPayload, duplexCpu], r =>
            DuplexRoundTrip.RunEcho(r.GetRequiredValue(channel), r.GetValue(duplexPayload), r.GetValue(duplexCpu))));

        return peer;
    }

    /// <summary>A writer peer's last stdout line: the seconds its timed frames took, invariant culture.</summary>
    public static void ReportSeconds(double seconds)
    {
        Console.Out.WriteLine(seconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        Console.Out.Flush();
    }

    public static void AnnounceReady()
    {
        Console.Out.WriteLine(ReadyLine);
        Console.Out.Flush();
    }

    private static Command Peer(string kind, Option[] options, Action<ParseResult> run)
    {
        var command = new Command(kind);
        foreach (Option option in options)
        {
            command.Add(option);
        }

        command.SetAction(result =>
        {
            try
            {
                run(result);
                return 0;
            }
            catch (Exception exception)
            {
                return ErrorReporter.Report(exception);
            }
        });
        return command;
    }

    private static Option<string> Text(string name) => new(name) { Required = true };

    /// <summary>The CPU an echo peer pins its serving thread to (see <see cref="ThreadPin"/>); -1, the default, pins nothing.</summary>
    private static Option<int> Cpu() => new("--cpu") { DefaultValueFactory = _ => -1 };

    private static Option<T> Number<T>(string name)
        where T : struct, IComparable<T>, IParsable<T> =>
        ToolCommandLine.NonNegative(new Option<T>(name) { Required = true });
}
