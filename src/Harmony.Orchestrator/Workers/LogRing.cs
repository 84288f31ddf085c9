namespace Harmony.Orchestrator.Workers;

/// <summary>
/// The most recent lines of a worker's stderr (and transport warnings), thread-safe. Lines are numbered so a
/// reused worker's report can start at the current scenario (<see cref="Mark"/>).
/// </summary>
internal sealed class LogRing(int capacity = 200)
{
    private readonly Queue<(long Number, string Line)> _lines = new();
    private readonly Lock _gate = new();
    private long _next;

    /// <summary>The number the next line will get; pass it to <see cref="Tail"/> to see only later lines.</summary>
    public long Mark
    {
        get
        {
            lock (_gate)
            {
                return _next;
            }
        }
    }

    public void Add(string line)
    {
        lock (_gate)
        {
            if (_lines.Count == capacity)
            {
                _lines.Dequeue();
            }
            _lines.Enqueue((_next++, line));
        }
    }

    /// <summary>Up to <paramref name="count"/> of the latest lines numbered at or after <paramref name="since"/>.</summary>
    public IReadOnlyList<string> Tail(int count, long since = 0)
    {
        lock (_gate)
        {
            var lines = _lines.Where(l => l.Number >= since).Select(l => l.Line).ToList();
            return lines.Skip(Math.Max(0, lines.Count - count)).ToList();
        }
    }
}
