using System.Text.Json;
using ZeroBuffer.Tool.Tests.Support;

namespace ZeroBuffer.Tool.Tests;

/// <summary>`zerobuffer inspect` on buffers this test process owns, so every OIEB value is known.</summary>
public sealed class InspectTests : CrossProcessTest
{
    private static readonly string[] Fields =
    [
        "oieb_size", "version", "metadata_size", "metadata_free_bytes", "metadata_written_bytes",
        "payload_size", "payload_free_bytes", "payload_write_pos", "payload_read_pos",
        "payload_written_count", "payload_read_count", "writer_pid", "reader_pid", "reader_alive", "writer_alive",
    ];

    [Fact]
    public void ReportsEveryFieldOfALiveBuffer()
    {
        string name = NewBufferName();
        using var reader = new Reader(name, new BufferConfig(1000, 65536));
        using var writer = new Writer(name);
        writer.SetMetadata(new byte[10]);
        for (int i = 0; i < 3; i++)
        {
            writer.WriteFrame(new byte[100]);
        }

        using (Frame frame = reader.ReadFrame(TimeSpan.FromSeconds(5)))
        {
            Assert.True(frame.IsValid);
        }

        JsonElement state = Inspect(name);

        Assert.Equal(Fields.Order(), state.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(128, state.GetProperty("oieb_size").GetInt64());
        Assert.Equal("1.0.0", state.GetProperty("version").GetString());
        Assert.Equal(1024, state.GetProperty("metadata_size").GetInt64()); // 1000 rounded up to 64
        Assert.Equal(8 + 10, state.GetProperty("metadata_written_bytes").GetInt64());
        Assert.Equal(1024 - 18, state.GetProperty("metadata_free_bytes").GetInt64());
        Assert.Equal(65536, state.GetProperty("payload_size").GetInt64());
        Assert.Equal(3 * 116, state.GetProperty("payload_write_pos").GetInt64());
        Assert.Equal(116, state.GetProperty("payload_read_pos").GetInt64());
        Assert.Equal(3, state.GetProperty("payload_written_count").GetInt64());
        Assert.Equal(1, state.GetProperty("payload_read_count").GetInt64());
        Assert.Equal(65536 - (3 * 116) + 116, state.GetProperty("payload_free_bytes").GetInt64());
        Assert.Equal(Environment.ProcessId, state.GetProperty("writer_pid").GetInt64());
        Assert.Equal(Environment.ProcessId, state.GetProperty("reader_pid").GetInt64());
        Assert.True(state.GetProperty("reader_alive").GetBoolean());
        Assert.True(state.GetProperty("writer_alive").GetBoolean());
    }

    [Fact]
    public void ShowsTheWriterGoneAfterItCloses()
    {
        string name = NewBufferName();
        using var reader = new Reader(name, new BufferConfig(0, 4096));
        using (var writer = new Writer(name))
        {
            writer.WriteFrame(new byte[10]);
        }

        JsonElement state = Inspect(name);
        Assert.Equal(0, state.GetProperty("writer_pid").GetInt64());
        Assert.False(state.GetProperty("writer_alive").GetBoolean());
        Assert.Equal(1, state.GetProperty("payload_written_count").GetInt64());
        Assert.Equal(0, state.GetProperty("metadata_size").GetInt64());
    }

    [Fact]
    public void ShowsADeadReaderOfAStaleBuffer()
    {
        string name = NewBufferName();
        ToolProcess reader = Start("read", name, "--count", "1", "--timeout-ms", "60000", "--payload-size", "8192");
        reader.WaitReady();
        int readerPid = reader.Id;
        reader.Kill();

        JsonElement state = Inspect(name);
        Assert.Equal(readerPid, state.GetProperty("reader_pid").GetInt64());
        Assert.False(state.GetProperty("reader_alive").GetBoolean());

        // Reclaim the stale buffer so the test leaves nothing behind.
        new Reader(name, new BufferConfig()).Dispose();
    }

    [Fact]
    public void MissingBufferIsBufferNotFound()
    {
        string name = NewBufferName();
        Start("inspect", name).WaitForExit().AssertError("BufferNotFound");
    }

    private JsonElement Inspect(string name)
    {
        ToolResult result = Start("inspect", name).WaitForExit();
        result.AssertSuccess();
        Assert.Single(result.Stdout);
        return result.Json();
    }
}
