using ZeroBuffer.Diagnostics;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests;

[Collection(ZeroBufferCollection.Name)]
public sealed class FrameReleaseTests
{
    private static ulong Free(string name) => BufferInspector.Inspect(name).PayloadFreeBytes;

    [Fact]
    public void Releasing_a_frame_returns_16_plus_n_bytes_exactly_once()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config(payloadSize: 10240));
        using var writer = new Writer(name);
        writer.WriteFrame(new byte[100]);
        Assert.Equal(10240UL - 116, Free(name));

        Frame frame = reader.ReadFrame();
        Assert.Equal(10240UL - 116, Free(name)); // reading alone frees nothing
        frame.Dispose();
        Assert.Equal(10240UL, Free(name));
        frame.Dispose();
        reader.ReleaseFrame(frame);
        Assert.Equal(10240UL, Free(name));
    }

    [Fact]
    public void Out_of_order_release_returns_space_only_when_the_earlier_frames_are_released()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config(payloadSize: 10240));
        using var writer = new Writer(name);
        writer.WriteFrame(new byte[100]);
        writer.WriteFrame(new byte[200]);
        writer.WriteFrame(new byte[300]);
        ulong full = 10240UL - 116 - 216 - 316;

        Frame first = reader.ReadFrame();
        Frame second = reader.ReadFrame();
        Frame third = reader.ReadFrame();

        third.Dispose();
        Assert.Equal(full, Free(name)); // frame 1 and 2 still held: the writer may not reuse their space
        first.Dispose();
        Assert.Equal(full + 116, Free(name));
        second.Dispose(); // releases 2 and the already-released 3
        Assert.Equal(10240UL, Free(name));
    }

    [Fact]
    public void A_wrapped_tail_is_returned_only_after_the_frames_before_it()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config(payloadSize: 1024));
        using var writer = new Writer(name);
        writer.WriteFrame(new byte[500]); // 0..516
        writer.WriteFrame(new byte[100]); // 516..632, tail of 392

        reader.ReadFrame().Dispose();
        Frame held = reader.ReadFrame();
        Assert.Equal(1024UL - 116, Free(name));

        writer.WriteFrame(new byte[400]); // 416 > 392: marker at 632, frame at 0..416
        Assert.Equal(1024UL - 116 - 392 - 416, Free(name));
        Frame wrapped = reader.ReadFrame();
        Assert.Equal(3UL, wrapped.Sequence);

        // The tail lies after the held frame in ring order. Crediting it now would let the writer
        // write 416..908 over the held frame at 516..632, so it waits for that frame.
        Assert.Equal(100UL, Free(name));
        held.Dispose();
        Assert.Equal(100UL + 116 + 392, Free(name));
        wrapped.Dispose();
        Assert.Equal(1024UL, Free(name));
    }

    [Fact]
    public void Frames_disposed_after_the_reader_are_ignored()
    {
        string name = Some.ShmName();
        var reader = new Reader(name, Some.Config());
        using var writer = new Writer(name);
        writer.WriteFrame(new byte[10]);
        Frame frame = reader.ReadFrame();

        reader.Dispose();
        frame.Dispose();
    }

    [Fact]
    public void Frames_may_be_released_on_another_thread()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config(payloadSize: 4096));
        using var writer = new Writer(name);
        var releaser = new System.Collections.Concurrent.BlockingCollection<Action>();
        var thread = new Thread(() =>
        {
            foreach (Action release in releaser.GetConsumingEnumerable())
            {
                release();
            }
        });
        thread.Start();

        for (ulong s = 1; s <= 200; s++)
        {
            writer.WriteFrame(Some.FrameData(s, 500));
            Frame frame = reader.ReadFrame();
            Assert.Equal(s, frame.Sequence);
            releaser.Add(ReleaseLater(reader, frame));
        }

        releaser.CompleteAdding();
        thread.Join();
        Assert.Equal(4096UL, Free(name));
    }

    private static Action ReleaseLater(Reader reader, Frame frame)
    {
        // A ref struct cannot be captured by a lambda; its release ticket can (internal path).
        long ticket = frame.Ticket;
        return () => reader.ReleaseFrame(ticket);
    }
}
