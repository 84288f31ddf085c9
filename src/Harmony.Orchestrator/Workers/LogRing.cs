namespace Harmony.Orchestrator.Workers;

/// <summary>The most recent lines of a worker's stderr (and transport warnings), thread-safe.</summary>
internal sealed class LogRing(int capacity = 200)
{
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public void Add(string line)
    {
        lock (_gate)
        {
            if (_lines.Count == capacity)
            {
                _lines.Dequeue();
            }
            _lines.Enqueue(line);
        }
    }

    public IReadOnlyList<string> Tail(int count)
    {
        lock (_gate)
        {
            return _lines.Skip(Math.Max(0, _lines.Count - count)).ToList();
        }
    }
}
