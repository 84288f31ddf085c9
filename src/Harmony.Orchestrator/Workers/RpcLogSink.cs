using Microsoft.Extensions.Logging;

namespace Harmony.Orchestrator.Workers;

/// <summary>
/// Puts the JSON-RPC client's warnings (bad frames, garbage on stdout) into the worker's log ring, so a
/// failure report shows them next to the worker's own stderr.
/// </summary>
internal sealed class RpcLogSink(LogRing ring, Action<string>? live) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }
        var line = $"[harmony rpc] {logLevel}: {formatter(state, exception)}";
        ring.Add(line);
        live?.Invoke(line);
    }
}
