using ZeroBuffer.Tool.Pattern;
using ZeroBuffer.Tool.Tests.Support;

namespace ZeroBuffer.Tool.Tests;

/// <summary>
/// A peer SIGKILLed mid-stream: the survivor (this process, through the library) must get the
/// matching "dead" error, and whatever the dead reader left behind must be reclaimable.
/// </summary>
public sealed class CrashTests : CrossProcessTest
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(500);

    [Fact]
    public void ReaderGetsWriterDeadWhenTheWriterIsKilled()
    {
        string name = NewBufferName();
        using var reader = new Reader(name, new BufferConfig(1024, 65536));
        ToolProcess writer = Start("write", name, "--count", "100000000", "--size", "1024", "--timeout-ms", "60000");

        ulong last = 0;
        for (int i = 0; i < 10; i++)
        {
            using Frame frame = reader.ReadFrame(TimeSpan.FromSeconds(20));
            Assert.True(frame.IsValid, $"writer sent no frame; stderr: {writer.Stderr}");
            last = frame.Sequence;
        }

        writer.Kill();

        // Frames committed before the kill are still delivered, in order; then the writer is dead.
        Exception? error = Record.Exception(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                using Frame frame = reader.ReadFrame(ShortTimeout);
                if (frame.IsValid)
                {
                    Assert.Equal(last + 1, frame.Sequence);
                    last = frame.Sequence;
                }
            }
        });

        Assert.IsType<WriterDeadException>(error);
    }

    [Fact]
    public void WriterGetsReaderDeadWhenTheReaderIsKilled()
    {
        string name = NewBufferName();
        ToolProcess reader = Start("read", name, "--count", "100000000", "--payload-size", "65536", "--timeout-ms", "60000");
        reader.WaitReady();
        var pattern = new FramePattern();

        using (var writer = new Writer(name) { WriteTimeout = ShortTimeout })
        {
            // Valid frames the reader checks and consumes, so it is killed mid-stream.
            for (int i = 0; i < 100; i++)
            {
                Span<byte> payload = writer.GetFrameBuffer(1024, out ulong sequence);
                pattern.Fill(payload, sequence);
                writer.CommitFrame();
            }

            reader.Kill();
            Exception? error = Record.Exception(() =>
            {
                for (int i = 0; i < 1000; i++)
                {
                    Span<byte> payload = writer.GetFrameBuffer(1024, out ulong sequence);
                    pattern.Fill(payload, sequence);
                    writer.CommitFrame();
                }
            });

            Assert.IsType<ReaderDeadException>(error);
        }

        // The dead reader's shm, semaphores and lock file are still there; a new reader reclaims them.
        new Reader(name, new BufferConfig()).Dispose();
    }

    [Fact]
    public void ANewReaderReclaimsAKilledReadersBuffer()
    {
        string name = NewBufferName();
        ToolProcess stale = Start("read", name, "--count", "10", "--timeout-ms", "60000", "--payload-size", "65536");
        stale.WaitReady();
        stale.Kill();

        foreach (string file in Leftovers.ExpectedFiles(name))
        {
            Assert.True(File.Exists(file), $"a SIGKILLed reader leaves {file} behind");
        }

        using (var reader = new Reader(name, new BufferConfig(1024, 65536)))
        {
            Assert.Equal(Environment.ProcessId, (int)Diagnostics.BufferInspector.Inspect(name).ReaderPid);

            // The reclaimed buffer works: a tool writer can stream through it (the ring wraps).
            ToolProcess writer = Start("write", name, "--count", "200", "--size", "1000");
            for (ulong sequence = 1; sequence <= 200; sequence++)
            {
                using Frame frame = reader.ReadFrame(TimeSpan.FromSeconds(20));
                Assert.True(frame.IsValid, $"no frame {sequence}; writer stderr: {writer.Stderr}");
                Assert.Equal(sequence, frame.Sequence);
            }

            writer.WaitForExit().AssertSuccess();
        }

        foreach (string file in Leftovers.ExpectedFiles(name))
        {
            Assert.False(File.Exists(file), $"{file} should be gone after the new reader closed");
        }
    }
}
