using ZeroBuffer.Diagnostics;
using ZeroBuffer.Serve.StepDefinitions.Support;
using ZeroBuffer.Serve.Steps;
using static ZeroBuffer.Serve.StepDefinitions.Phrases;

namespace ZeroBuffer.Serve.StepDefinitions;

/// <summary>
/// Where the ring stands: positions, counters, continuous free bytes and what lies at an offset of the current
/// buffer, read by name through the library's diagnostics API (features 05 and 11).
/// </summary>
public sealed class EdgeCaseSteps(ZeroBufferContext context)
{
    [Then(Role + "should see write position " + Count + " and read position " + Count + " in the OIEB")]
    public StepData ShouldSeePositions(string role, ulong writePos, ulong readPos)
    {
        string buffer = context.CurrentBuffer;
        BufferState state = BufferInspector.Inspect(buffer);
        if (state.PayloadWritePos != writePos || state.PayloadReadPos != readPos)
        {
            throw new StepAssertionException(
                $"Expected payload_write_pos {writePos} and payload_read_pos {readPos} in the OIEB of '{buffer}', but they are {state.PayloadWritePos} and {state.PayloadReadPos}.");
        }

        return new StepData { ["buffer"] = buffer, ["writePos"] = state.PayloadWritePos, ["readPos"] = state.PayloadReadPos };
    }

    [Then(Role + "should see written count " + Count + " and read count " + Count + " in the OIEB")]
    public StepData ShouldSeeCounts(string role, ulong written, ulong read)
    {
        string buffer = context.CurrentBuffer;
        BufferState state = BufferInspector.Inspect(buffer);
        if (state.PayloadWrittenCount != written || state.PayloadReadCount != read)
        {
            throw new StepAssertionException(
                $"Expected payload_written_count {written} and payload_read_count {read} in the OIEB of '{buffer}', but they are {state.PayloadWrittenCount} and {state.PayloadReadCount}.");
        }

        return new StepData { ["buffer"] = buffer, ["writtenCount"] = state.PayloadWrittenCount, ["readCount"] = state.PayloadReadCount };
    }

    [Then(Role + "should see " + Count + " continuous free bytes in the OIEB")]
    public StepData ShouldSeeContinuousFreeBytes(string role, ulong expected)
    {
        string buffer = context.CurrentBuffer;
        BufferState state = BufferInspector.Inspect(buffer);
        if (state.ContinuousFreeBytes != expected)
        {
            throw new StepAssertionException(
                $"Expected {expected} continuous free bytes in '{buffer}', but there are {state.ContinuousFreeBytes} " +
                $"(payload_size {state.PayloadSize}, payload_free_bytes {state.PayloadFreeBytes}, write_pos {state.PayloadWritePos}, read_pos {state.PayloadReadPos}).");
        }

        return new StepData { ["buffer"] = buffer, ["continuousFreeBytes"] = state.ContinuousFreeBytes };
    }

    [Then(Role + "should see a frame with sequence " + Count + " and size " + Count + " at offset " + Count + " in the ring")]
    public StepData ShouldSeeFrameAt(string role, ulong sequence, ulong size, ulong offset)
    {
        string buffer = context.CurrentBuffer;
        RingEntry entry = BufferInspector.RingEntryAt(buffer, offset);
        if (entry.Kind != RingEntryKind.Frame || entry.Sequence != sequence || entry.PayloadSize != size)
        {
            throw new StepAssertionException($"Expected a frame header with sequence {sequence} and size {size} at offset {offset} of the ring of '{buffer}', but found {Describe(entry)}.");
        }

        return new StepData { ["buffer"] = buffer, ["offset"] = offset, ["sequence"] = entry.Sequence, ["size"] = entry.PayloadSize };
    }

    [Then(Role + "should see (a wrap marker|an implicit wrap) at offset " + Count + " wasting " + Count + " bytes")]
    public StepData ShouldSeeWrapAt(string role, string wrap, ulong offset, ulong wasted)
    {
        string buffer = context.CurrentBuffer;
        RingEntry entry = BufferInspector.RingEntryAt(buffer, offset);
        RingEntryKind expected = wrap == "a wrap marker" ? RingEntryKind.WrapMarker : RingEntryKind.ImplicitWrap;
        if (entry.Kind != expected || entry.WastedBytes != wasted)
        {
            throw new StepAssertionException($"Expected {wrap} wasting {wasted} bytes at offset {offset} of the ring of '{buffer}', but found {Describe(entry)}.");
        }

        return new StepData { ["buffer"] = buffer, ["offset"] = offset, ["wastedBytes"] = entry.WastedBytes };
    }

    private static string Describe(RingEntry entry) => entry.Kind switch
    {
        RingEntryKind.Frame => $"a frame header with sequence {entry.Sequence} and size {entry.PayloadSize}",
        RingEntryKind.WrapMarker => $"a wrap marker wasting {entry.WastedBytes} bytes",
        _ => $"an implicit wrap wasting {entry.WastedBytes} bytes (too little room for a header)",
    };
}
