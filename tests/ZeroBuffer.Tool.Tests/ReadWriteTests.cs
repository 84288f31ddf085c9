using System.Text.Json;
using ZeroBuffer.Tool.Pattern;
using ZeroBuffer.Tool.Tests.Support;

namespace ZeroBuffer.Tool.Tests;

/// <summary>`zerobuffer read` and `zerobuffer write` in two processes, with the pattern checked end to end.</summary>
public sealed class ReadWriteTests : CrossProcessTest
{
    [Fact]
    public void TwentyThousandFramesCrossAWrappingRingIntact()
    {
        string name = NewBufferName();
        ToolProcess reader = Start("read", name, "--count", "20000", "--payload-size", "65536");
        reader.WaitReady();

        // 1040 bytes per frame in a 64 KiB ring: the ring wraps every 63 frames, ~300 times.
        ToolResult written = Start("write", name, "--count", "20000", "--size", "1024").WaitForExit();
        ToolResult read = reader.WaitForExit();

        written.AssertSuccess();
        read.AssertSuccess();
        JsonElement writeSummary = written.Json();
        Assert.Equal(20000, writeSummary.GetProperty("frames").GetInt64());
        Assert.Equal(20000L * 1024, writeSummary.GetProperty("bytes").GetInt64());
        Assert.True(writeSummary.GetProperty("seconds").GetDouble() > 0);

        JsonElement readSummary = read.Json();
        Assert.Equal(20000, readSummary.GetProperty("frames").GetInt64());
        Assert.Equal(20000L * 1024, readSummary.GetProperty("bytes").GetInt64());
        Assert.True(readSummary.GetProperty("seconds").GetDouble() > 0);
        Assert.Equal(string.Empty, readSummary.GetProperty("metadata").GetString());
        Assert.Equal("READY", read.Stdout[0]);
    }

    [Theory]
    [InlineData("camera-7 1920x1080")]
    [InlineData("ünïcödé ✓ and \"quotes\"")]
    [InlineData("@not-a-response-file")]
    [InlineData("")]
    public void MetadataTravelsToTheReader(string metadata)
    {
        string name = NewBufferName();
        ToolProcess reader = Start("read", name, "--count", "5");
        reader.WaitReady();

        ToolResult written = Start("write", name, "--count", "5", "--size", "100", "--metadata", metadata).WaitForExit();
        ToolResult read = reader.WaitForExit();

        written.AssertSuccess();
        read.AssertSuccess();
        Assert.Equal(metadata, read.Json().GetProperty("metadata").GetString());
    }

    [Fact]
    public void FramesOfVaryingSizeFromTheLibraryAreValidated()
    {
        string name = NewBufferName();
        ToolProcess reader = Start("read", name, "--count", "50", "--payload-size", "32768");
        reader.WaitReady();

        var pattern = new FramePattern();
        using (var writer = new Writer(name))
        {
            for (int i = 1; i <= 50; i++)
            {
                Span<byte> payload = writer.GetFrameBuffer(i * 97, out ulong sequence);
                pattern.Fill(payload, sequence);
                writer.CommitFrame();
            }
        }

        ToolResult read = reader.WaitForExit();
        read.AssertSuccess();
        Assert.Equal(Enumerable.Range(1, 50).Sum(i => i * 97L), read.Json().GetProperty("bytes").GetInt64());
    }

    [Fact]
    public void ReaderReportsTheFirstCorruptByte()
    {
        string name = NewBufferName();
        ToolProcess reader = Start("read", name, "--count", "2");
        reader.WaitReady();

        var pattern = new FramePattern();
        using (var writer = new Writer(name))
        {
            Span<byte> payload = writer.GetFrameBuffer(256, out ulong sequence);
            pattern.Fill(payload, sequence);
            writer.CommitFrame();

            payload = writer.GetFrameBuffer(256, out sequence);
            pattern.Fill(payload, sequence);
            payload[37] ^= 0xFF;
            writer.CommitFrame();
        }

        ToolResult read = reader.WaitForExit();
        read.AssertError("PatternMismatch");
        Assert.Contains("frame 2", read.Stderr);
        Assert.Contains("offset 37", read.Stderr);
    }

    [Fact]
    public void ReaderWithoutWriterTimesOut()
    {
        string name = NewBufferName();
        ToolResult read = Start("read", name, "--count", "1", "--timeout-ms", "300").WaitForExit();

        read.AssertError("Timeout");
        Assert.Equal("READY", read.Stdout[0]);
    }

    [Fact]
    public void WriterWithoutReaderReportsBufferNotFound()
    {
        string name = NewBufferName();
        Start("write", name, "--count", "1", "--size", "10").WaitForExit().AssertError("BufferNotFound");
    }

    [Fact]
    public void OversizedFrameIsRejectedByKind()
    {
        string name = NewBufferName();
        using var reader = new Reader(name, new BufferConfig(1024, 4096));
        Start("write", name, "--count", "1", "--size", "8192").WaitForExit().AssertError("FrameTooLarge");
    }

    [Theory]
    [InlineData("read", "bad/name", "--count", "1")]
    [InlineData("read", ".hidden", "--count", "1")]
    [InlineData("inspect", "a b")]
    public void InvalidBufferNamesAreRejectedByKind(params string[] arguments)
    {
        Start(arguments).WaitForExit().AssertError("InvalidBufferName");
    }

    [Fact]
    public void ZeroPayloadSizeIsAnInvalidConfig()
    {
        string name = NewBufferName();
        Start("read", name, "--count", "1", "--payload-size", "0").WaitForExit().AssertError("InvalidConfig");
    }
}
