namespace ZeroBuffer.Tool.Pattern;

/// <summary>
/// The shared test pattern: byte i of the frame with sequence s is (s + i) &amp; 0xFF.
/// The pattern of every frame is a window of one table 0,1,...,255,0,1,... starting at s &amp; 0xFF,
/// so filling is one memcpy and checking is one vectorised compare.
/// </summary>
internal sealed class FramePattern
{
    private byte[] _table = [];

    /// <summary>The expected bytes of frame <paramref name="sequence"/> of <paramref name="size"/> bytes.</summary>
    public ReadOnlySpan<byte> For(ulong sequence, int size)
    {
        EnsureCapacity(size);
        return _table.AsSpan((int)(sequence & 0xFF), size);
    }

    public void Fill(Span<byte> destination, ulong sequence) => For(sequence, destination.Length).CopyTo(destination);

    /// <summary>Offset of the first byte that breaks the pattern, or -1 when the frame is intact.</summary>
    public int FirstMismatch(ReadOnlySpan<byte> actual, ulong sequence)
    {
        ReadOnlySpan<byte> expected = For(sequence, actual.Length);
        return actual.SequenceEqual(expected) ? -1 : actual.CommonPrefixLength(expected);
    }

    /// <summary>
    /// Like <see cref="FirstMismatch"/> but only over the first and last <paramref name="edgeBytes"/>
    /// bytes: catches a frame that is misplaced, truncated or from the wrong sequence without
    /// streaming through the whole payload.
    /// </summary>
    public int FirstMismatchAtEdges(ReadOnlySpan<byte> actual, ulong sequence, int edgeBytes)
    {
        if (actual.Length <= 2 * edgeBytes)
        {
            return FirstMismatch(actual, sequence);
        }

        int head = FirstMismatch(actual[..edgeBytes], sequence);
        if (head >= 0)
        {
            return head;
        }

        int tailStart = actual.Length - edgeBytes;
        int tail = FirstMismatch(actual[tailStart..], sequence + (ulong)tailStart);
        return tail >= 0 ? tailStart + tail : -1;
    }

    /// <summary>Metadata pattern: byte i is i &amp; 0xFF.</summary>
    public ReadOnlySpan<byte> Metadata(int size) => For(0, size);

    private void EnsureCapacity(int size)
    {
        if (_table.Length >= size + 256)
        {
            return;
        }

        var table = GC.AllocateUninitializedArray<byte>(checked(size + 256));
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = (byte)i;
        }

        _table = table;
    }
}
