namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>
/// Bytes allocated by the server's loop thread per request: marked at every handler entry, so one
/// interval is one whole loop iteration (read, handle, answer, release). The first interval warms up
/// and is not counted. Marking allocates nothing (a preallocated array).
/// </summary>
public sealed class AllocationMeter
{
    private const int Capacity = 4096;
    private readonly long[] _intervals = new long[Capacity];
    private long _last = -1;
    private int _count;

    /// <summary>Called on the handler thread at every handler entry.</summary>
    public void Mark()
    {
        long now = GC.GetAllocatedBytesForCurrentThread();
        if (_last >= 0 && _count < Capacity)
        {
            _intervals[_count] = now - _last;
            Volatile.Write(ref _count, _count + 1);
        }

        _last = now;
    }

    /// <summary>The bytes of each counted iteration (requests 2..N-1 of N).</summary>
    public long[] Measured()
    {
        int count = Volatile.Read(ref _count);
        return count <= 1 ? [] : _intervals[1..count];
    }
}
