using System.IO.Pipelines;
using System.Text;
using Harmony.Protocol.Tests.Infrastructure;
using Harmony.Protocol.Wire;

namespace Harmony.Protocol.Tests.Wire;

public sealed class ContentLengthWriterTests
{
    [Fact]
    public async Task Writes_the_exact_lsp_header_with_a_utf8_byte_count()
    {
        var stream = new MemoryStream();
        var writer = new ContentLengthWriter(PipeWriter.Create(stream));
        byte[] body = Encoding.UTF8.GetBytes("""{"t":"é✓"}""");

        await writer.WriteMessageAsync(body);

        byte[] expected = Frames.Concat(Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), body);
        Assert.Equal(expected, stream.ToArray());
        Assert.Equal(13, body.Length);
    }

    [Fact]
    public async Task Output_reads_back_through_the_reader()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var writer = new ContentLengthWriter(pipe.Writer);
        var reader = new ContentLengthReader(pipe.Reader);

        await writer.WriteMessageAsync(Encoding.UTF8.GetBytes("[1]"));
        await writer.WriteMessageAsync(ReadOnlyMemory<byte>.Empty);
        await writer.WriteMessageAsync(Encoding.UTF8.GetBytes(new string('x', 100_000)));
        await pipe.Writer.CompleteAsync();

        Assert.Equal("[1]", Frames.Text(await reader.ReadMessageAsync()));
        Assert.Empty((await reader.ReadMessageAsync())!);
        Assert.Equal(100_000, (await reader.ReadMessageAsync())!.Length);
        Assert.Null(await reader.ReadMessageAsync());
    }

    [Fact]
    public async Task Concurrent_writers_never_interleave_frames()
    {
        const int writers = 8;
        const int perWriter = 200;
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var writer = new ContentLengthWriter(pipe.Writer);

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (int i = 0; i < perWriter; i++)
            {
                // Bodies of different lengths so a torn frame would break the parse.
                string json = $$"""{"w":{{w}},"i":{{i}},"pad":"{{new string('p', (w * 37 + i) % 300)}}"}""";
                await writer.WriteMessageAsync(Encoding.UTF8.GetBytes(json));
            }
        })));
        await pipe.Writer.CompleteAsync();

        var reader = new ContentLengthReader(pipe.Reader);
        var next = new int[writers];
        for (int n = 0; n < writers * perWriter; n++)
        {
            using var doc = System.Text.Json.JsonDocument.Parse((await reader.ReadMessageAsync())!);
            int w = doc.RootElement.GetProperty("w").GetInt32();
            Assert.Equal(next[w]++, doc.RootElement.GetProperty("i").GetInt32());
        }

        Assert.Null(await reader.ReadMessageAsync());
        Assert.All(next, count => Assert.Equal(perWriter, count));
    }
}
