using ZeroBuffer.Diagnostics;
using ZeroBuffer.Serve.StepDefinitions.Support;
using ZeroBuffer.Serve.Steps;
using static ZeroBuffer.Serve.StepDefinitions.Phrases;

namespace ZeroBuffer.Serve.StepDefinitions;

/// <summary>
/// The protocol's own figures for the current buffer (feature 13): OIEB counters and positions, the
/// 64-byte alignment of the blocks, the reader's flock, all read by name through the diagnostics API.
/// </summary>
public sealed class ComplianceSteps(ZeroBufferContext context)
{
    private const ulong Alignment = 64;

    /// <summary>The OIEB's own size: the metadata block starts right after it (PROTOCOL.md §2).</summary>
    private const ulong OiebSize = 128;

    [Then(Role + "should see written count " + Count + ", read count " + Count + ", free bytes " + Count + ", write position " + Count + " and read position " + Count + " in the OIEB")]
    public StepData ShouldSeeCounters(string role, ulong written, ulong read, ulong free, ulong writePos, ulong readPos)
    {
        string buffer = context.CurrentBuffer;
        BufferState state = BufferInspector.Inspect(buffer);
        var wrong = new List<string>();
        Expect(wrong, "payload_written_count", state.PayloadWrittenCount, written);
        Expect(wrong, "payload_read_count", state.PayloadReadCount, read);
        Expect(wrong, "payload_free_bytes", state.PayloadFreeBytes, free);
        Expect(wrong, "payload_write_pos", state.PayloadWritePos, writePos);
        Expect(wrong, "payload_read_pos", state.PayloadReadPos, readPos);
        if (wrong.Count > 0)
        {
            throw new StepAssertionException($"The OIEB of '{buffer}' is not as expected: {string.Join(", ", wrong)}.");
        }

        return new StepData
        {
            ["buffer"] = buffer,
            ["writtenCount"] = state.PayloadWrittenCount,
            ["readCount"] = state.PayloadReadCount,
            ["freeBytes"] = state.PayloadFreeBytes,
            ["writePos"] = state.PayloadWritePos,
            ["readPos"] = state.PayloadReadPos,
        };
    }

    [Then(Role + "should see the OIEB, metadata and payload 64-byte aligned with metadata size " + Count + " and payload size " + Count)]
    public StepData ShouldSeeAlignedBlocks(string role, ulong metadataSize, ulong payloadSize)
    {
        string buffer = context.CurrentBuffer;
        RegionLayout layout = BufferInspector.Layout(buffer);
        var wrong = new List<string>();
        ExpectAligned(wrong, "the OIEB's address", layout.MappingAddress);
        ExpectAligned(wrong, "the metadata offset", layout.MetadataOffset);
        ExpectAligned(wrong, "the payload offset", layout.PayloadOffset);
        ExpectAligned(wrong, "the metadata address", layout.MappingAddress + layout.MetadataOffset);
        ExpectAligned(wrong, "the payload address", layout.MappingAddress + layout.PayloadOffset);
        Expect(wrong, "metadata offset", layout.MetadataOffset, OiebSize);
        Expect(wrong, "metadata_size", layout.MetadataSize, metadataSize);
        Expect(wrong, "payload offset", layout.PayloadOffset, OiebSize + metadataSize);
        Expect(wrong, "payload_size", layout.PayloadSize, payloadSize);
        Expect(wrong, "mapping size", (ulong)layout.MappingSize, OiebSize + metadataSize + payloadSize);
        if (wrong.Count > 0)
        {
            throw new StepAssertionException($"The layout of '{buffer}' is not as expected: {string.Join(", ", wrong)}.");
        }

        return new StepData
        {
            ["buffer"] = buffer,
            ["metadataOffset"] = layout.MetadataOffset,
            ["payloadOffset"] = layout.PayloadOffset,
            ["mappingSize"] = layout.MappingSize,
        };
    }

    [Then(Role + "should see the lock file of the buffer held")]
    public StepData ShouldSeeLockHeld(string role)
    {
        string buffer = context.CurrentBuffer;
        string path = BufferInspector.LockFilePath(buffer);
        if (!BufferInspector.IsLockFileHeld(buffer))
        {
            throw new StepAssertionException($"Expected the lock file '{path}' of '{buffer}' to be held (flock), but a probe could take it.");
        }

        return new StepData { ["buffer"] = buffer, ["lockFile"] = path };
    }

    private static void Expect(List<string> wrong, string field, ulong actual, ulong expected)
    {
        if (actual != expected)
        {
            wrong.Add($"{field} is {actual}, expected {expected}");
        }
    }

    private static void ExpectAligned(List<string> wrong, string what, ulong value)
    {
        if (value % Alignment != 0)
        {
            wrong.Add($"{what} 0x{value:x} is not a multiple of {Alignment}");
        }
    }
}
