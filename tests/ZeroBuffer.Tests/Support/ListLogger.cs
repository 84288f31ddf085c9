using Microsoft.Extensions.Logging;

namespace ZeroBuffer.Tests.Support;

/// <summary>Collects formatted log lines; a test can wait for a given event id to be logged.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly List<int> _eventIds = [];

    internal List<(LogLevel Level, string Message)> Lines { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Lines)
        {
            Lines.Add((logLevel, formatter(state, exception)));
            _eventIds.Add(eventId.Id);
            Monitor.PulseAll(Lines);
        }
    }

    /// <summary>Blocks until a line with <paramref name="eventId"/> was logged; false after <paramref name="timeout"/>.</summary>
    internal bool WaitForEvent(int eventId, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (Lines)
        {
            while (!_eventIds.Contains(eventId))
            {
                long left = deadline - Environment.TickCount64;
                if (left <= 0 || !Monitor.Wait(Lines, TimeSpan.FromMilliseconds(left)))
                {
                    return _eventIds.Contains(eventId);
                }
            }

            return true;
        }
    }
}
