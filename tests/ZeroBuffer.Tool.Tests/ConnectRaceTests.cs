using System.Diagnostics;
using ZeroBuffer.Tool.Pattern;
using ZeroBuffer.Tool.Tests.Support;

namespace ZeroBuffer.Tool.Tests;

/// <summary>
/// PROTOCOL.md §5 (fix): a writer that connects while the reader process is still creating the
/// buffer must see "not there yet" (BufferNotFound) or a complete buffer - never a half-made one.
/// The writer here spins on connect from before the reader process even starts.
/// </summary>
public sealed class ConnectRaceTests : CrossProcessTest
{
    private const int Rounds = 6;
    private const int Frames = 20;

    [Fact]
    public void WriterSpinningOnConnectNeverSeesAHalfMadeBuffer()
    {
        var pattern = new FramePattern();
        for (int round = 0; round < Rounds; round++)
        {
            string name = NewBufferName();
            ToolProcess reader = Start("read", name, "--count", Frames.ToString(), "--payload-size", "65536");

            using Writer writer = ConnectWhileCreated(name, reader);
            for (int i = 0; i < Frames; i++)
            {
                Span<byte> payload = writer.GetFrameBuffer(500, out ulong sequence);
                pattern.Fill(payload, sequence);
                writer.CommitFrame();
            }

            ToolResult read = reader.WaitForExit();
            read.AssertSuccess();
            Assert.Equal(Frames, read.Json().GetProperty("frames").GetInt64());
        }
    }

    private static Writer ConnectWhileCreated(string name, ToolProcess reader)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new Writer(name);
            }
            catch (BufferNotFoundException)
            {
                // Not created yet, or created but not yet published: the only acceptable answer.
            }

            Assert.False(reader.HasExited, $"reader exited before a writer could connect; stderr: {reader.Stderr}");
            Assert.True(deadline.Elapsed < ToolProcess.DefaultTimeout, "writer could not connect in time");
        }
    }
}
