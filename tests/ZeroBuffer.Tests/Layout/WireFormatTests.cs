using System.Buffers.Binary;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests.Layout;

/// <summary>The exact bytes in shared memory after a known sequence of calls (PROTOCOL.md §2-§4).</summary>
[Collection(ZeroBufferCollection.Name)]
public sealed class WireFormatTests
{
    [Fact]
    public void Oieb_metadata_and_frame_bytes_match_the_protocol()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, new BufferConfig(1000, 10000));
        using var writer = new Writer(name);
        writer.SetMetadata("abc"u8);
        writer.WriteFrame([10, 11, 12, 13, 14]);

        byte[] shm = File.ReadAllBytes($"/dev/shm/{name}");
        ulong pid = (ulong)Environment.ProcessId;

        Assert.Equal(128 + 1024 + 10048, shm.Length);
        byte[] expectedOieb = new byte[128];
        BinaryPrimitives.WriteUInt32LittleEndian(expectedOieb.AsSpan(0x00), 128);
        expectedOieb[0x04] = 1; // version 1.0.0, reserved 0
        BinaryPrimitives.WriteUInt64LittleEndian(expectedOieb.AsSpan(0x08), 1024);           // metadata_size (aligned)
        BinaryPrimitives.WriteUInt64LittleEndian(expectedOieb.AsSpan(0x10), 1024 - 11);      // metadata_free_bytes
        BinaryPrimitives.WriteUInt64LittleEndian(expectedOieb.AsSpan(0x18), 11);             // metadata_written_bytes
        BinaryPrimitives.WriteUInt64LittleEndian(expectedOieb.AsSpan(0x20), 10048);          // payload_size (aligned)
        BinaryPrimitives.WriteUInt64LittleEndian(expectedOieb.AsSpan(0x28), 10048 - 21);     // payload_free_bytes
        BinaryPrimitives.WriteUInt64LittleEndian(expectedOieb.AsSpan(0x30), 21);             // payload_write_pos
        BinaryPrimitives.WriteUInt64LittleEndian(expectedOieb.AsSpan(0x38), 0);              // payload_read_pos
        BinaryPrimitives.WriteUInt64LittleEndian(expectedOieb.AsSpan(0x40), 1);              // payload_written_count
        BinaryPrimitives.WriteUInt64LittleEndian(expectedOieb.AsSpan(0x48), 0);              // payload_read_count
        BinaryPrimitives.WriteUInt64LittleEndian(expectedOieb.AsSpan(0x50), pid);            // writer_pid
        BinaryPrimitives.WriteUInt64LittleEndian(expectedOieb.AsSpan(0x58), pid);            // reader_pid
        Assert.Equal(Convert.ToHexString(expectedOieb), Convert.ToHexString(shm, 0, 128));

        // Metadata block: u64 length, then the bytes.
        Assert.Equal("0300000000000000616263", Convert.ToHexString(shm, 128, 11));

        // Payload ring at 128 + 1024: u64 size 5, u64 sequence 1, then the payload, no padding.
        Assert.Equal("050000000000000001000000000000000A0B0C0D0E", Convert.ToHexString(shm, 1152, 21));
        Assert.All(shm.Skip(1152 + 21), b => Assert.Equal(0, b));
    }
}
