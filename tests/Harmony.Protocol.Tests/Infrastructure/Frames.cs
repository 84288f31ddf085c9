using System.IO.Pipelines;
using System.Text;
using Harmony.Protocol.Wire;

namespace Harmony.Protocol.Tests.Infrastructure;

internal static class Frames
{
    public static byte[] Frame(string json) => Encoding.UTF8.GetBytes($"Content-Length: {Encoding.UTF8.GetByteCount(json)}\r\n\r\n{json}");

    public static byte[] Ascii(string text) => Encoding.UTF8.GetBytes(text);

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>A reader over <paramref name="bytes"/> delivered <paramref name="chunk"/> bytes per read.</summary>
    public static ContentLengthReader Reader(byte[] bytes, int chunk = int.MaxValue, int max = ContentLengthReader.DefaultMaxMessageBytes) =>
        new(PipeReader.Create(new TrickleStream(bytes, chunk), new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 1)), max);

    public static string Text(byte[]? body) => Encoding.UTF8.GetString(body ?? throw new Xunit.Sdk.XunitException("expected a message, got end of stream"));
}
