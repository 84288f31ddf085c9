using ZeroBuffer.Diagnostics;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests;

[Collection(ZeroBufferCollection.Name)]
public sealed class FrameSizeTests
{
    [Fact]
    public void A_zero_length_frame_is_refused_before_any_waiting()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using var writer = new Writer(name);

        Assert.Throws<InvalidFrameSizeException>(() => writer.WriteFrame(ReadOnlySpan<byte>.Empty));
        Assert.Throws<InvalidFrameSizeException>(() => writer.GetFrameBuffer(0, out _));
        Assert.Equal(0UL, BufferInspector.Inspect(name).PayloadWrittenCount);
    }

    [Fact]
    public void A_frame_that_can_never_fit_is_refused_immediately()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config(payloadSize: 10240));
        using var writer = new Writer(name);
        writer.WriteTimeout = TimeSpan.FromSeconds(30);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<FrameTooLargeException>(() => writer.WriteFrame(new byte[10225]));
        Assert.True(watch.ElapsedMilliseconds < 1000);
        Assert.Contains("10225", error.Message);
        Assert.Contains("10240", error.Message);
        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void A_frame_that_exactly_fills_the_ring_round_trips_and_leaves_write_pos_at_zero()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config(payloadSize: 10240));
        using var writer = new Writer(name);

        for (ulong s = 1; s <= 3; s++)
        {
            writer.WriteFrame(Some.FrameData(s, 10224));
            BufferState state = BufferInspector.Inspect(name);
            Assert.Equal(0UL, state.PayloadWritePos); // never stored as payload_size
            Assert.Equal(0UL, state.PayloadFreeBytes);

            using (Frame frame = reader.ReadFrame())
            {
                Assert.Equal(s, frame.Sequence);
                Assert.Equal(10224, frame.Size);
                Assert.True(Some.MatchesFrame(frame.Span, s));
            }

            Assert.Equal(10240UL, BufferInspector.Inspect(name).PayloadFreeBytes);
        }
    }

    [Fact]
    public void Payload_size_is_rounded_up_to_64_bytes()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config(payloadSize: 1000));
        using var writer = new Writer(name);

        Assert.Equal(1024L, writer.PayloadSize);
        writer.WriteFrame(new byte[1008]);
        using Frame frame = reader.ReadFrame();
        Assert.Equal(1008, frame.Size);
    }
}
