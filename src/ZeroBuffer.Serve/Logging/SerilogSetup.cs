using Serilog;
using Serilog.Events;
using Serilog.Sinks.SystemConsole.Themes;

namespace ZeroBuffer.Serve.Logging;

/// <summary>Serilog for the worker: stderr only (stdout carries frames), plus the per-reply capture.</summary>
public static class SerilogSetup
{
    public const string LevelVariable = "HARMONY_LOG_LEVEL";

    private const string Template = "[{Timestamp:HH:mm:ss.fff} {Level:u3}] zerobuffer-serve[{ProcessId}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static Serilog.Core.Logger Create(LogEventLevel level, LogCapture capture) =>
        new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .Enrich.WithProperty("ProcessId", Environment.ProcessId)
            .WriteTo.Console(
                outputTemplate: Template,
                standardErrorFromLevel: LogEventLevel.Verbose,
                theme: ConsoleTheme.None,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .WriteTo.Sink(capture)
            .CreateLogger();

    /// <summary>HARMONY_LOG_LEVEL: debug | info | warning | error (default info); null for anything else.</summary>
    public static LogEventLevel? ParseLevel(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "info" or "information" => LogEventLevel.Information,
        "debug" or "trace" or "verbose" => LogEventLevel.Debug,
        "warning" or "warn" => LogEventLevel.Warning,
        "error" => LogEventLevel.Error,
        _ => null,
    };
}
