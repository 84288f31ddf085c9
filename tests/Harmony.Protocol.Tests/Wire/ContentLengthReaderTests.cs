using Harmony.Protocol.Exceptions;
using Harmony.Protocol.Tests.Infrastructure;
using Harmony.Protocol.Wire;
using static Harmony.Protocol.Tests.Infrastructure.Frames;

namespace Harmony.Protocol.Tests.Wire;

public sealed class ContentLengthReaderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(int.MaxValue)]
    public async Task Reads_messages_whatever_the_read_size(int chunk)
    {
        byte[] input = Concat(Frame("""{"a":1}"""), Frame("""{"b":"two"}"""), Frame("[]"));
        ContentLengthReader reader = Reader(input, chunk);

        Assert.Equal("""{"a":1}""", Text(await reader.ReadMessageAsync()));
        Assert.Equal("""{"b":"two"}""", Text(await reader.ReadMessageAsync()));
        Assert.Equal("[]", Text(await reader.ReadMessageAsync()));
        Assert.Null(await reader.ReadMessageAsync());
    }

    [Fact]
    public async Task Several_messages_in_one_read_are_returned_one_by_one()
    {
        byte[] input = Concat(Enumerable.Range(0, 50).Select(i => Frame($$"""{"i":{{i}}}""")).ToArray());
        ContentLengthReader reader = Reader(input);

        for (int i = 0; i < 50; i++)
        {
            Assert.Equal($$"""{"i":{{i}}}""", Text(await reader.ReadMessageAsync()));
        }

        Assert.Null(await reader.ReadMessageAsync());
    }

    [Fact]
    public async Task Length_counts_utf8_bytes_not_characters()
    {
        const string json = """{"text":"héllo wörld ✓ 🎉"}""";
        byte[] input = Concat(Frame(json), Frame("""{"next":true}"""));
        ContentLengthReader reader = Reader(input, chunk: 1);

        Assert.Equal(json, Text(await reader.ReadMessageAsync()));
        Assert.Equal("""{"next":true}""", Text(await reader.ReadMessageAsync()));
    }

    [Fact]
    public async Task Other_headers_are_ignored_and_names_are_case_insensitive()
    {
        byte[] input = Concat(
            Ascii("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: 2\r\n\r\n{}"),
            Ascii("CONTENT-LENGTH:3\r\nX-Other: y\r\n\r\n[1]"),
            Ascii("Content-Length:   4  \r\n\r\nnull"));
        ContentLengthReader reader = Reader(input);

        Assert.Equal("{}", Text(await reader.ReadMessageAsync()));
        Assert.Equal("[1]", Text(await reader.ReadMessageAsync()));
        Assert.Equal("null", Text(await reader.ReadMessageAsync()));
        Assert.Null(await reader.ReadMessageAsync());
    }

    [Fact]
    public async Task Bare_line_feeds_are_accepted()
    {
        ContentLengthReader reader = Reader(Ascii("Content-Length: 2\n\n{}"));
        Assert.Equal("{}", Text(await reader.ReadMessageAsync()));
    }

    [Fact]
    public async Task Empty_body_is_a_message()
    {
        ContentLengthReader reader = Reader(Concat(Ascii("Content-Length: 0\r\n\r\n"), Frame("{}")));
        Assert.Empty((await reader.ReadMessageAsync())!);
        Assert.Equal("{}", Text(await reader.ReadMessageAsync()));
    }

    [Theory]
    [InlineData("Content-Type: text/plain\r\n\r\n", "no Content-Length")]
    [InlineData("Content-Length: -5\r\n\r\n", "negative")]
    [InlineData("Content-Length: abc\r\n\r\n", "not a number")]
    [InlineData("Content-Length: 12x\r\n\r\n", "not a number")]
    [InlineData("Content-Length: \r\n\r\n", "not a number")]
    [InlineData("Content-Length: 67108865\r\n\r\n", "exceeds")]
    [InlineData("Content-Length: 99999999999999999999999\r\n\r\n", "exceeds")]
    [InlineData("Content-Length: +5\r\n\r\n", "not a number")]
    [InlineData("garbage without a colon\r\n\r\n", "malformed")]
    [InlineData("Content-Length: 2\r\nContent-Length: 3\r\n\r\n", "conflicting")]
    public async Task Bad_header_block_throws_then_the_next_good_message_is_read(string badBlock, string reason)
    {
        ContentLengthReader reader = Reader(Concat(Ascii(badBlock), Frame("""{"ok":1}""")), chunk: 1);

        BadHeaderException ex = await Assert.ThrowsAsync<BadHeaderException>(() => reader.ReadMessageAsync().AsTask());
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<ProtocolException>(ex);

        Assert.Equal("""{"ok":1}""", Text(await reader.ReadMessageAsync()));
        Assert.Null(await reader.ReadMessageAsync());
    }

    [Fact]
    public async Task Limit_is_configurable_and_inclusive()
    {
        ContentLengthReader reader = Reader(Concat(Frame("1234"), Frame("12345"), Frame("1")), max: 4);

        Assert.Equal("1234", Text(await reader.ReadMessageAsync()));
        await Assert.ThrowsAsync<BadHeaderException>(() => reader.ReadMessageAsync().AsTask());
        // The 5-byte body after the refused header is read as header text; resync happens at the next frame.
        Exception? second = await Record.ExceptionAsync(() => reader.ReadMessageAsync().AsTask());
        Assert.True(second is null or BadHeaderException, $"unexpected {second}");
    }

    [Fact]
    public async Task Overlong_header_line_is_refused_without_buffering_it()
    {
        string longLine = "X-Junk: " + new string('a', ContentLengthReader.MaxHeaderLineBytes * 4);
        ContentLengthReader reader = Reader(Concat(Ascii(longLine + "\r\n\r\n"), Frame("{}")), chunk: 1000);

        BadHeaderException ex = await Assert.ThrowsAsync<BadHeaderException>(() => reader.ReadMessageAsync().AsTask());
        Assert.Contains("longer than", ex.Message, StringComparison.Ordinal);
        Assert.Equal("{}", Text(await reader.ReadMessageAsync()));
    }

    [Fact]
    public async Task Garbage_between_frames_is_reported_then_skipped()
    {
        byte[] input = Concat(Frame("[1]"), Ascii("this is not a frame\r\nnor is this\r\n\r\n"), Frame("[2]"));
        ContentLengthReader reader = Reader(input);

        Assert.Equal("[1]", Text(await reader.ReadMessageAsync()));
        await Assert.ThrowsAsync<BadHeaderException>(() => reader.ReadMessageAsync().AsTask());
        Assert.Equal("[2]", Text(await reader.ReadMessageAsync()));
    }

    [Fact]
    public async Task Stray_blank_lines_between_frames_are_tolerated()
    {
        ContentLengthReader reader = Reader(Concat(Frame("[1]"), Ascii("\r\n\r\n"), Frame("[2]"), Ascii("\r\n")));

        Assert.Equal("[1]", Text(await reader.ReadMessageAsync()));
        Assert.Equal("[2]", Text(await reader.ReadMessageAsync()));
        Assert.Null(await reader.ReadMessageAsync());
    }

    [Fact]
    public async Task Empty_stream_is_a_clean_end()
    {
        Assert.Null(await Reader([]).ReadMessageAsync());
    }

    [Theory]
    [InlineData("Content-Len")]
    [InlineData("Content-Length: 10\r\n")]
    [InlineData("Content-Length: 10\r\n\r\n")]
    [InlineData("Content-Length: 10\r\n\r\n{\"a\":")]
    public async Task End_of_stream_inside_a_frame_throws(string truncated)
    {
        ContentLengthReader reader = Reader(Concat(Frame("{}"), Ascii(truncated)), chunk: 2);

        Assert.Equal("{}", Text(await reader.ReadMessageAsync()));
        await Assert.ThrowsAsync<EndOfStreamException>(() => reader.ReadMessageAsync().AsTask());
    }

    [Fact]
    public async Task Cancellation_stops_a_waiting_read()
    {
        var pipe = new System.IO.Pipelines.Pipe();
        var reader = new ContentLengthReader(pipe.Reader);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.ReadMessageAsync(cts.Token).AsTask());
    }
}
