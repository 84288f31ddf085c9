namespace ZeroBuffer.Internal;

/// <summary>
/// The reader's not-yet-returned ring space, in ring order. Each entry is a frame (released by its
/// Dispose) or a wrapped tail (released at once). Space goes back to the writer only for the longest
/// released prefix: releasing frame 2 before frame 1 returns nothing until frame 1 is released too,
/// because the writer reuses the ring strictly in order and would otherwise overwrite frame 1.
/// Not thread-safe; the reader serialises calls.
/// </summary>
internal sealed class ReleaseQueue
{
    private long[] _bytes = new long[16];
    private bool[] _released = new bool[16];
    private long _head; // ticket of the oldest entry
    private long _tail; // ticket the next entry gets

    internal int Count => (int)(_tail - _head);

    /// <summary>Adds an entry and returns its ticket.</summary>
    internal long Add(long bytes, bool released)
    {
        if (Count == _bytes.Length)
        {
            Grow();
        }

        long ticket = _tail++;
        int index = IndexOf(ticket);
        _bytes[index] = bytes;
        _released[index] = released;
        return ticket;
    }

    /// <summary>
    /// Marks <paramref name="ticket"/> released and returns the bytes that may now go back to the
    /// writer in <paramref name="credit"/>. False (no-op) when the ticket is unknown or already released.
    /// </summary>
    internal bool TryRelease(long ticket, out long credit)
    {
        credit = 0;
        if (ticket < _head || ticket >= _tail)
        {
            return false;
        }

        int index = IndexOf(ticket);
        if (_released[index])
        {
            return false;
        }

        _released[index] = true;
        credit = DrainReleasedPrefix();
        return true;
    }

    /// <summary>Returns the bytes of the released prefix and drops it.</summary>
    internal long DrainReleasedPrefix()
    {
        long credit = 0;
        while (_head < _tail)
        {
            int index = IndexOf(_head);
            if (!_released[index])
            {
                break;
            }

            credit += _bytes[index];
            _released[index] = false;
            _head++;
        }

        return credit;
    }

    private int IndexOf(long ticket) => (int)(ticket & (_bytes.Length - 1));

    private void Grow()
    {
        // Rare (many frames held at once); keeps capacity a power of two for the index mask.
        var bytes = new long[_bytes.Length * 2];
        var released = new bool[_bytes.Length * 2];
        for (long t = _head; t < _tail; t++)
        {
            int from = IndexOf(t);
            int to = (int)(t & (bytes.Length - 1));
            bytes[to] = _bytes[from];
            released[to] = _released[from];
        }

        _bytes = bytes;
        _released = released;
    }
}
