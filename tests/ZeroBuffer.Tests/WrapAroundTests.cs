using ZeroBuffer.Diagnostics;
using ZeroBuffer.Layout;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests;

[Collection(ZeroBufferCollection.Name)]
public sealed class WrapAroundTests
{
    private const int Payload = 1024;

    [Fact]
    public void A_wrap_marker_is_written_when_the_tail_holds_a_header_and_every_byte_is_accounted()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config(payloadSize: Payload));
        using var writer = new Writer(name);

        // First frame leaves a 100-byte tail.
        writer.WriteFrame(Some.FrameData(1, Payload - 100 - 16));
        using (Frame first = reader.ReadFrame())
        {
            Assert.Equal(1UL, first.Sequence);
        }

        Assert.Equal((ulong)Payload, BufferInspector.Inspect(name).PayloadFreeBytes);

        // 216 bytes do not fit in the tail: marker at 924, frame at 0, tail + frame consumed.
        writer.WriteFrame(Some.FrameData(2, 200));
        BufferState written = BufferInspector.Inspect(name);
        Assert.Equal(216UL, written.PayloadWritePos);
        Assert.Equal((ulong)(Payload - 100 - 216), written.PayloadFreeBytes);
        Assert.Equal(3UL, written.PayloadWrittenCount); // frame, marker, frame

        using (var probe = new ShmProbe(name))
        {
            Assert.Equal(0UL, probe.ReadU64(probe.RingOffset(Payload - 100)));
            Assert.Equal(0UL, probe.ReadU64(probe.RingOffset(Payload - 100) + 8));
        }

        using (Frame second = reader.ReadFrame())
        {
            Assert.Equal(2UL, second.Sequence);
            Assert.True(Some.MatchesFrame(second.Span, 2));

            // The tail went back at the wrap; the frame's own bytes only on release.
            BufferState read = BufferInspector.Inspect(name);
            Assert.Equal(216UL, read.PayloadReadPos);
            Assert.Equal(3UL, read.PayloadReadCount);
            Assert.Equal((ulong)(Payload - 216), read.PayloadFreeBytes);
        }

        Assert.Equal((ulong)Payload, BufferInspector.Inspect(name).PayloadFreeBytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    public void A_tail_too_small_for_a_header_is_skipped_without_a_marker(int tail)
    {
        string name = Some.ShmName($"Implicit{tail}");
        using var reader = new Reader(name, Some.Config(payloadSize: Payload));
        using var writer = new Writer(name);

        writer.WriteFrame(Some.FrameData(1, Payload - tail - 16));
        Assert.Equal((ulong)(Payload - tail), BufferInspector.Inspect(name).PayloadWritePos);
        using (Frame first = reader.ReadFrame())
        {
            Assert.True(Some.MatchesFrame(first.Span, 1));
        }

        using (var probe = new ShmProbe(name))
        {
            // Fill the tail with garbage: nothing may read it as a header.
            for (int i = 0; i < tail; i++)
            {
                probe.WriteByte(probe.RingOffset(Payload - tail + i), 0xAB);
            }
        }

        writer.WriteFrame(Some.FrameData(2, 100));
        BufferState written = BufferInspector.Inspect(name);
        Assert.Equal(116UL, written.PayloadWritePos);
        Assert.Equal(2UL, written.PayloadWrittenCount); // no marker
        Assert.Equal((ulong)(Payload - tail - 116), written.PayloadFreeBytes);

        using (Frame second = reader.ReadFrame())
        {
            Assert.Equal(2UL, second.Sequence);
            Assert.True(Some.MatchesFrame(second.Span, 2));
            BufferState read = BufferInspector.Inspect(name);
            Assert.Equal(116UL, read.PayloadReadPos);
            Assert.Equal(2UL, read.PayloadReadCount);
        }

        Assert.Equal((ulong)Payload, BufferInspector.Inspect(name).PayloadFreeBytes);
    }

    [Fact]
    public void The_upstream_wrap_around_bug_scenario_never_overwrites_unread_frames()
    {
        // The scenario that exposed upstream 961910f (10240-byte ring, 1 KiB frames, no pacing). With
        // equal frames a free-only check happens to be safe in this implementation, so the required-
        // space rule itself is pinned by the deterministic test below and the mixed-size test (both
        // fail when the rule is reverted); this one guards sequences, bytes and the free accounting.
        const int frames = 6000;
        const int size = 1024;
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config(payloadSize: 10240));
        using var probe = new ShmProbe(name);
        Exception? writerError = null;
        long minFree = long.MaxValue;
        long maxFree = long.MinValue;
        var writerThread = new Thread(() =>
        {
            try
            {
                // Patterns are precomputed so the writer outruns the validating reader and keeps the
                // ring full, which is when the bug struck.
                byte[][] patterns = Enumerable.Range(0, 256).Select(k => Some.FrameData((ulong)k, size)).ToArray();
                using var writer = new Writer(name);
                for (ulong s = 1; s <= frames; s++)
                {
                    writer.WriteFrame(patterns[s & 0xFF]);

                    // The accounting the bug broke: free space stays within [0, payload size].
                    long free = (long)probe.ReadU64(Oieb.PayloadFreeBytesOffset);
                    minFree = Math.Min(minFree, free);
                    maxFree = Math.Max(maxFree, free);
                }

                // Keep the writer connected until the reader is done, so a slow reader never sees WriterDead.
                while (BufferInspector.Inspect(name).PayloadReadCount < BufferInspector.Inspect(name).PayloadWrittenCount)
                {
                    Thread.Sleep(1);
                }
            }
            catch (Exception e)
            {
                writerError = e;
            }
        });
        writerThread.Start();

        int bad = 0;
        for (ulong s = 1; s <= frames; s++)
        {
            using Frame frame = reader.ReadFrame(TimeSpan.FromSeconds(10));
            Assert.True(frame.IsValid, $"frame {s} missing");
            Assert.Equal(s, frame.Sequence);
            if (frame.Size != size || !Some.MatchesFrame(frame.Span, s))
            {
                bad++;
            }
        }

        writerThread.Join();
        Assert.Null(writerError);
        Assert.Equal(0, bad);
        Assert.InRange(minFree, 0, 10240);
        Assert.InRange(maxFree, 0, 10240);
        BufferState state = BufferInspector.Inspect(name);
        Assert.Equal(10240UL, state.PayloadFreeBytes);
        Assert.Equal(state.PayloadWrittenCount, state.PayloadReadCount);
    }

    [Fact]
    public void Mixed_sizes_through_many_wraps_keep_every_byte()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config(payloadSize: 4096));
        var random = new Random(1234);
        int[] sizes = Enumerable.Range(0, 3000).Select(_ => random.Next(1, 1300)).ToArray();
        Exception? writerError = null;
        var writerThread = new Thread(() =>
        {
            try
            {
                using var writer = new Writer(name);
                for (int i = 0; i < sizes.Length; i++)
                {
                    Span<byte> target = writer.GetFrameBuffer(sizes[i], out ulong s);
                    Some.FillFrame(target, s);
                    writer.CommitFrame();
                }

                while (BufferInspector.Inspect(name).PayloadReadCount < BufferInspector.Inspect(name).PayloadWrittenCount)
                {
                    Thread.Sleep(1);
                }
            }
            catch (Exception e)
            {
                writerError = e;
            }
        });
        writerThread.Start();

        for (int i = 0; i < sizes.Length; i++)
        {
            using Frame frame = reader.ReadFrame(TimeSpan.FromSeconds(10));
            Assert.True(frame.IsValid);
            Assert.Equal((ulong)(i + 1), frame.Sequence);
            Assert.Equal(sizes[i], frame.Size);
            Assert.True(Some.MatchesFrame(frame.Span, frame.Sequence));
        }

        writerThread.Join();
        Assert.Null(writerError);
        Assert.Equal(4096UL, BufferInspector.Inspect(name).PayloadFreeBytes);
    }

    [Fact]
    public void A_frame_buffer_abandoned_at_a_wrap_leaves_the_oieb_untouched()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config(payloadSize: Payload));
        var writer = new Writer(name);
        writer.WriteFrame(Some.FrameData(1, Payload - 100 - 16));
        reader.ReadFrame().Dispose();
        BufferState before = BufferInspector.Inspect(name);

        writer.GetFrameBuffer(200, out _); // would wrap with a marker
        Assert.Equal(before, BufferInspector.Inspect(name));
        writer.Dispose();

        // Nothing was published, so the reader knows the writer left with nothing unread.
        Assert.Throws<WriterDeadException>(() => reader.ReadFrame(TimeSpan.FromMilliseconds(100)));

        using var next = new Writer(name);
        next.WriteFrame(Some.FrameData(1, 200));
        Assert.Equal(3UL, BufferInspector.Inspect(name).PayloadWrittenCount);
    }

    [Fact]
    public void A_wrapping_frame_waits_for_tail_plus_frame_not_just_for_the_frame()
    {
        // The deterministic core of upstream 961910f: 408 bytes are free (192-byte tail + the
        // released first frame), the next frame needs 316. Checking only free >= 316 would write it
        // at 0..316, over the unread second frame at 216..832.
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config(payloadSize: Payload));
        using var writer = new Writer(name) { WriteTimeout = TimeSpan.FromMilliseconds(150) };
        writer.WriteFrame(Some.FrameData(1, 200)); // 0..216
        writer.WriteFrame(Some.FrameData(2, 600)); // 216..832, tail 192
        reader.ReadFrame().Dispose();
        using Frame unread = reader.ReadFrame();
        Assert.Equal(408UL, BufferInspector.Inspect(name).PayloadFreeBytes);

        Assert.Throws<BufferFullException>(() => writer.WriteFrame(Some.FrameData(3, 300)));

        Assert.True(Some.MatchesFrame(unread.Span, 2));
        Assert.Equal(408UL, BufferInspector.Inspect(name).PayloadFreeBytes);
    }
}
