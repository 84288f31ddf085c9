using System.Runtime.InteropServices;
using ZeroBuffer.DuplexChannel;
using ZeroBuffer.Tool.Cli;

namespace ZeroBuffer.Tool.Commands;

internal sealed record ServeEchoOptions(string Channel, ProcessingMode Mode, int Handlers, long Count, int MetadataSize, int PayloadSize);

/// <summary>
/// <c>zerobuffer serve-echo</c>: an echo server on a duplex channel, for trying a channel by hand.
/// Prints READY once clients can connect, then serves until SIGINT/SIGTERM (or --count answers) and
/// prints one JSON line with the number of requests answered.
/// </summary>
internal static class ServeEchoCommand
{
    public static int Run(ServeEchoOptions options)
    {
        try
        {
            using var done = new ManualResetEventSlim();
            long answered = 0;
            using var server = DuplexChannelFactory.Instance.CreateImmutableServer(
                options.Channel, new BufferConfig(options.MetadataSize, options.PayloadSize));
            using PosixSignalRegistration onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using PosixSignalRegistration onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            server.Start(
                (request, response) =>
                {
                    response.WriteFrame(request.Span);
                    if (Interlocked.Increment(ref answered) == options.Count)
                    {
                        done.Set();
                    }
                },
                onInit: null,
                new DuplexServerOptions { Mode = options.Mode, HandlerCount = options.Handlers });
            Console.Out.WriteLine("READY");
            Console.Out.Flush();
            done.Wait();
            server.Stop();
            JsonLine.Write(json => json.WriteNumber("requests", Interlocked.Read(ref answered)));
            return 0;

            void Stop(PosixSignalContext context)
            {
                context.Cancel = true; // shut down cleanly: the server removes its buffer
                done.Set();
            }
        }
        catch (Exception exception)
        {
            return ErrorReporter.Report(exception);
        }
    }
}
