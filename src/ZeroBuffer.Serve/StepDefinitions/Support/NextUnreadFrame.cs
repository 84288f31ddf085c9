using ZeroBuffer.Diagnostics;
using ZeroBuffer.Serve.Steps;

namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>Where the reader of a buffer looks next, for the steps that corrupt that frame's header.</summary>
public static class NextUnreadFrame
{
    private const int HeaderSize = 16; // PROTOCOL.md §4: u64 payload_size, u64 sequence

    /// <summary>
    /// The ring offset of the header the reader reads next (PROTOCOL.md §4, reader step 2): at read_pos,
    /// unless the tail is too short for a header (implicit wrap) or holds a wrap marker; then at 0.
    /// </summary>
    /// <exception cref="StepAssertionException">Every written frame was read: there is nothing to corrupt.</exception>
    public static long Offset(string buffer)
    {
        BufferState state = BufferInspector.Inspect(buffer);
        if (state.PayloadWrittenCount == state.PayloadReadCount)
        {
            throw new StepAssertionException($"Expected an unread frame in '{buffer}' to corrupt, but all {state.PayloadReadCount} written frames were read.");
        }

        long offset = (long)state.PayloadReadPos;
        return (long)state.PayloadSize - offset < HeaderSize || BufferEditor.ReadFrameHeader(buffer, offset).IsWrapMarker ? 0 : offset;
    }
}
