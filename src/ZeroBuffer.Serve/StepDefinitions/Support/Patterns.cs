namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>
/// The shared test patterns: byte i of the frame with sequence s is (s + i) &amp; 0xFF; byte i of the
/// metadata is i &amp; 0xFF. Both repeat every 256 bytes, so they are filled and checked in 256-byte blocks.
/// </summary>
public static class Patterns
{
    private static readonly byte[] Cycle = Enumerable.Range(0, 512).Select(i => (byte)i).ToArray();

    public static void FillFrame(Span<byte> target, ulong sequence) => Fill(target, (int)(sequence & 0xFF));

    public static void FillMetadata(Span<byte> target) => Fill(target, 0);

    /// <summary>The index of the first byte that breaks the frame pattern, or -1.</summary>
    public static int FindFrameMismatch(ReadOnlySpan<byte> data, ulong sequence) => FindMismatch(data, (int)(sequence & 0xFF));

    /// <summary>The index of the first byte that breaks the metadata pattern, or -1.</summary>
    public static int FindMetadataMismatch(ReadOnlySpan<byte> data) => FindMismatch(data, 0);

    public static byte FrameByte(ulong sequence, int index) => (byte)((sequence + (ulong)index) & 0xFF);

    private static void Fill(Span<byte> target, int start)
    {
        ReadOnlySpan<byte> block = Cycle.AsSpan(start, 256);
        while (target.Length >= 256)
        {
            block.CopyTo(target);
            target = target[256..];
        }

        block[..target.Length].CopyTo(target);
    }

    private static int FindMismatch(ReadOnlySpan<byte> data, int start)
    {
        ReadOnlySpan<byte> block = Cycle.AsSpan(start, 256);
        int offset = 0;
        while (offset < data.Length)
        {
            int n = Math.Min(256, data.Length - offset);
            ReadOnlySpan<byte> actual = data.Slice(offset, n);
            if (!actual.SequenceEqual(block[..n]))
            {
                for (int i = 0; i < n; i++)
                {
                    if (actual[i] != block[i])
                    {
                        return offset + i;
                    }
                }
            }

            offset += n;
        }

        return -1;
    }
}
