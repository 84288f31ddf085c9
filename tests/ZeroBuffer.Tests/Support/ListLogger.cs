using Microsoft.Extensions.Logging;

namespace ZeroBuffer.Tests.Support;

/// <summary>Collects formatted log lines.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    internal List<(LogLevel Level, string Message)> Lines { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Lines)
        {
            Lines.Add((logLevel, formatter(state, exception)));
        }
    }
}
