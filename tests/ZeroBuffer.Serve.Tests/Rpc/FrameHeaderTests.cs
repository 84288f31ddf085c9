using System.IO.Pipelines;
using System.Text;
using ZeroBuffer.Serve.Rpc;

namespace ZeroBuffer.Serve.Tests.Rpc;

public sealed class FrameHeaderTests
{
    /// <summary>Feeds <paramref name="chunks"/> one write at a time (then ends the input) and reads every header block.</summary>
    private static async Task<List<FrameHeader>> ReadAll(params string[] chunks)
    {
        var pipe = new Pipe();
        Task feeding = Task.Run(async () =>
        {
            foreach (string chunk in chunks)
            {
                await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes(chunk));
            }

            await pipe.Writer.CompleteAsync();
        });

        var headers = new List<FrameHeader>();
        while (true)
        {
            FrameHeader header = await FrameHeader.ReadAsync(pipe.Reader, CancellationToken.None);
            headers.Add(header);
            if (header.Kind is FrameHeaderKind.EndOfInput or FrameHeaderKind.Truncated)
            {
                await feeding;
                return headers;
            }

            if (header.Kind == FrameHeaderKind.Body)
            {
                // Skip the body, as the handler would read it.
                ReadResult body = await pipe.Reader.ReadAtLeastAsync(header.Length);
                pipe.Reader.AdvanceTo(body.Buffer.GetPosition(header.Length));
            }
        }
    }

    [Theory]
    [InlineData("Content-Length: 2\r\n\r\n{}", 2)]
    [InlineData("content-length:2\n\n{}", 2)]
    [InlineData("CONTENT-LENGTH: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}", 2)]
    [InlineData("\r\n\r\nContent-Length: 2\r\n\r\n{}", 2)]
    [InlineData("Content-Length: 0\r\n\r\n", 0)]
    [InlineData("Content-Length: 67108864\r\n\r\n", 67108864)]
    public async Task A_usable_block_announces_its_length(string input, int length)
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes(input));
        FrameHeader first = await FrameHeader.ReadAsync(pipe.Reader, CancellationToken.None);

        Assert.Equal(FrameHeaderKind.Body, first.Kind);
        Assert.Equal(length, first.Length);
    }

    [Theory]
    [InlineData("Content-Type: text/plain\r\n\r\n", "has no Content-Length")]
    [InlineData("Content-Length: -4\r\n\r\n", "is negative")]
    [InlineData("Content-Length: 12x\r\n\r\n", "is not a number")]
    [InlineData("Content-Length: +5\r\n\r\n", "is not a number")]
    [InlineData("Content-Length:\r\n\r\n", "is not a number")]
    [InlineData("Content-Length: 67108865\r\n\r\n", "exceeds the 67108864-byte limit")]
    [InlineData("Content-Length: 99999999999999999999\r\n\r\n", "exceeds any acceptable size")]
    [InlineData("Content-Length: 2\r\nContent-Length: 3\r\n\r\n", "conflicting Content-Length headers (2 and 3)")]
    [InlineData("just text\r\n\r\n", "malformed header line 'just text'")]
    public async Task A_bad_block_is_refused_and_consumed_so_the_next_frame_is_read(string bad, string problem)
    {
        List<FrameHeader> headers = await ReadAll(bad + "Content-Length: 2\r\n\r\n{}");

        Assert.Equal(FrameHeaderKind.Refused, headers[0].Kind);
        Assert.Contains(problem, headers[0].Problem, StringComparison.Ordinal);
        Assert.Equal(new FrameHeader(FrameHeaderKind.Body, 2, null), headers[1]);
        Assert.Equal(FrameHeaderKind.EndOfInput, headers[2].Kind);
    }

    [Fact]
    public async Task An_overlong_line_arriving_in_pieces_is_dropped_as_it_comes()
    {
        string garbage = new('x', 3 * FrameHeader.MaxLineBytes);
        List<FrameHeader> headers = await ReadAll(garbage[..5000], garbage[5000..], "\r\n\r\nContent-Length: 2\r\n\r\n{}");

        Assert.Equal(FrameHeaderKind.Refused, headers[0].Kind);
        Assert.Contains("longer than 8192 bytes", headers[0].Problem, StringComparison.Ordinal);
        Assert.Equal(FrameHeaderKind.Body, headers[1].Kind);
    }

    [Theory]
    [InlineData("", nameof(FrameHeaderKind.EndOfInput))]
    [InlineData("\r\n", nameof(FrameHeaderKind.EndOfInput))]
    [InlineData("Content-Length: 5\r\n", nameof(FrameHeaderKind.Truncated))]
    [InlineData("Content-Len", nameof(FrameHeaderKind.Truncated))]
    public async Task The_end_of_input_is_clean_only_between_frames(string input, string kind)
    {
        Assert.Equal(kind, (await ReadAll(input))[0].Kind.ToString());
    }
}
