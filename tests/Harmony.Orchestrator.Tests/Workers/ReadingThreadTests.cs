using System.Buffers;
using System.IO.Pipelines;
using System.IO.Pipes;
using System.Text;
using Harmony.Orchestrator.Workers;
using Xunit;

namespace Harmony.Orchestrator.Tests.Workers;

public sealed class ReadingThreadTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Hands_each_chunk_to_the_reader_on_its_own_thread_and_ends_with_the_stream()
    {
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        PipeReader reader = ReadingThread.Start(client, "reading-thread-test");

        // The read waits before the bytes exist, so it must be resumed by whoever delivers them.
        Task<Chunk> first = ReadChunkAsync(reader);
        server.Write("first"u8);
        server.Flush();
        Chunk chunk = await first.WaitAsync(Patience);
        Assert.Equal("first", chunk.Text);
        // Resumed inside the reading thread's flush: no thread-pool hop in between.
        Assert.Equal("reading-thread-test", chunk.Thread);
        Assert.False(chunk.IsEnd);

        server.Write("second"u8);
        server.Dispose(); // end of stream
        var text = new StringBuilder();
        do
        {
            chunk = await ReadChunkAsync(reader).WaitAsync(Patience);
            text.Append(chunk.Text);
        }
        while (!chunk.IsEnd);

        Assert.Equal("second", text.ToString());
        await reader.CompleteAsync();
    }

    [Fact]
    public async Task Passes_each_line_on_its_own_thread_and_ends_with_the_stream()
    {
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        var seen = new List<(string Line, string? Thread)>();
        Task ended = ReadingThread.ReadLinesAsync(client, "reading-lines-test", line => seen.Add((line, Thread.CurrentThread.Name)));

        server.Write("one\ntwo\nthree"u8);
        server.Dispose(); // end of stream: the unterminated last line still counts
        await ended.WaitAsync(Patience);

        Assert.Equal([("one", "reading-lines-test"), ("two", "reading-lines-test"), ("three", "reading-lines-test")], seen);
    }

    [Fact]
    public async Task A_failing_read_reaches_the_reader_as_its_exception()
    {
        PipeReader reader = ReadingThread.Start(new FailingStream(), "reading-thread-failure");

        IOException error = await Assert.ThrowsAsync<IOException>(() => reader.ReadAsync().AsTask().WaitAsync(Patience));
        Assert.Equal("pipe broken", error.Message);
    }

    private sealed record Chunk(string Text, string? Thread, bool IsEnd);

    private static async Task<Chunk> ReadChunkAsync(PipeReader reader)
    {
        ReadResult result = await reader.ReadAsync().ConfigureAwait(false);
        string? thread = Thread.CurrentThread.Name;
        string text = Encoding.ASCII.GetString(result.Buffer.ToArray());
        reader.AdvanceTo(result.Buffer.End);
        return new Chunk(text, thread, result.IsCompleted);
    }

    private sealed class FailingStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("pipe broken");
        public override int Read(Span<byte> buffer) => throw new IOException("pipe broken");
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
