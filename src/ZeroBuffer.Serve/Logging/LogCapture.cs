using System.Globalization;
using System.Text;
using Harmony.Protocol.Messages;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace ZeroBuffer.Serve.Logging;

/// <summary>
/// A Serilog sink that keeps every event (any thread) since the last <see cref="Drain"/>, so each
/// reply can carry what the worker logged meanwhile. Bounded: past <see cref="Capacity"/> the oldest
/// entries are dropped and the drain says how many.
/// </summary>
public sealed class LogCapture : ILogEventSink
{
    public const int Capacity = 2000;

    // ":lj" renders strings without the quotes RenderMessage() would add.
    private static readonly MessageTemplateTextFormatter MessageFormatter = new("{Message:lj}", CultureInfo.InvariantCulture);

    private readonly Lock _gate = new();
    private readonly Queue<LogEntry> _entries = new();
    private int _dropped;

    public void Emit(LogEvent logEvent)
    {
        var rendered = new StringWriter(CultureInfo.InvariantCulture);
        MessageFormatter.Format(logEvent, rendered);
        var message = new StringBuilder(rendered.ToString());
        if (logEvent.Properties.TryGetValue("SourceContext", out LogEventPropertyValue? source) && source is ScalarValue { Value: string context })
        {
            message.Insert(0, $"{ShortName(context)}: ");
        }

        if (logEvent.Exception is { } exception)
        {
            message.Append(" | ").Append(exception.GetType().Name).Append(": ").Append(exception.Message);
        }

        var entry = new LogEntry(logEvent.Timestamp, LevelName(logEvent.Level), message.ToString());
        lock (_gate)
        {
            if (_entries.Count == Capacity)
            {
                _entries.Dequeue();
                _dropped++;
            }

            _entries.Enqueue(entry);
        }
    }

    /// <summary>Everything logged since the previous drain, oldest first.</summary>
    public IReadOnlyList<LogEntry> Drain()
    {
        lock (_gate)
        {
            var drained = new List<LogEntry>(_entries.Count + 1);
            if (_dropped > 0)
            {
                drained.Add(new LogEntry(DateTimeOffset.Now, LogLevels.Warning, $"{_dropped} earlier log entries were dropped (more than {Capacity} since the previous reply)"));
                _dropped = 0;
            }

            drained.AddRange(_entries);
            _entries.Clear();
            return drained;
        }
    }

    public static string LevelName(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => LogLevels.Debug,
        LogEventLevel.Information => LogLevels.Info,
        LogEventLevel.Warning => LogLevels.Warning,
        _ => LogLevels.Error,
    };

    private static string ShortName(string context)
    {
        int dot = context.LastIndexOf('.');
        return dot >= 0 ? context[(dot + 1)..] : context;
    }
}
