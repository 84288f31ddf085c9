using System.Buffers.Binary;

namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>
/// Multi-field records (STEPS.md "Record pattern"): field i of the record with sequence s is the
/// little-endian 64-bit value (s &lt;&lt; 32) | i. A field left from an older record has another sequence.
/// </summary>
public static class Records
{
    public const int FieldSize = sizeof(ulong);

    public static ulong Field(ulong sequence, int index) => (sequence << 32) | (uint)index;

    /// <summary>Stores the fields one by one, in order, straight into the frame (no staging copy).</summary>
    public static void Fill(Span<byte> frame, ulong sequence)
    {
        for (int i = 0; i < frame.Length / FieldSize; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(frame[(i * FieldSize)..], Field(sequence, i));
        }
    }

    /// <summary>The index of the first field that is not the record's, or -1.</summary>
    public static int FindWrongField(ReadOnlySpan<byte> frame, ulong sequence)
    {
        for (int i = 0; i < frame.Length / FieldSize; i++)
        {
            if (BinaryPrimitives.ReadUInt64LittleEndian(frame[(i * FieldSize)..]) != Field(sequence, i))
            {
                return i;
            }
        }

        return -1;
    }
}
