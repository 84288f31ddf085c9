using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using Harmony.Protocol.Exceptions;

namespace Harmony.Protocol.Wire;

/// <summary>
/// Writes header-delimited frames (<c>Content-Length: N\r\n\r\n</c> + body) to a
/// <see cref="PipeWriter"/> and flushes each one. Concurrent callers are serialised so frames
/// never interleave.
/// </summary>
public sealed class ContentLengthWriter
{
    private static ReadOnlySpan<byte> Prefix => "Content-Length: "u8;
    private static ReadOnlySpan<byte> Terminator => "\r\n\r\n"u8;

    private readonly PipeWriter _writer;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public ContentLengthWriter(PipeWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
    }

    /// <summary>Writes one frame whose body is <paramref name="json"/> (UTF-8) and flushes it.</summary>
    /// <exception cref="ConnectionLostException">The consumer of the pipe has stopped reading.</exception>
    public async ValueTask WriteMessageAsync(ReadOnlyMemory<byte> json, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            WriteHeader(json.Length);
            _writer.Write(json.Span);
            FlushResult flushed = await _writer.FlushAsync(ct).ConfigureAwait(false);
            if (flushed.IsCompleted)
            {
                throw new ConnectionLostException("The peer stopped reading; the message was not delivered.");
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private void WriteHeader(int length)
    {
        // "Content-Length: " + up to 10 digits + "\r\n\r\n"
        Span<byte> header = _writer.GetSpan(Prefix.Length + 10 + Terminator.Length);
        Prefix.CopyTo(header);
        Utf8Formatter.TryFormat(length, header[Prefix.Length..], out int digits);
        Terminator.CopyTo(header[(Prefix.Length + digits)..]);
        _writer.Advance(Prefix.Length + digits + Terminator.Length);
    }
}
