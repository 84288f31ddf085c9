using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Text;
using Harmony.Protocol.Exceptions;

namespace Harmony.Protocol.Wire;

/// <summary>
/// Reads LSP / StreamJsonRpc header-delimited frames (<c>Content-Length: N\r\n\r\n</c> + N bytes)
/// from a <see cref="PipeReader"/>. Not thread-safe: one consumer reads.
/// </summary>
public sealed class ContentLengthReader
{
    /// <summary>Largest body accepted unless the constructor says otherwise (64 MiB).</summary>
    public const int DefaultMaxMessageBytes = 64 * 1024 * 1024;

    /// <summary>Longest header line kept; longer lines are discarded and make the block bad.</summary>
    public const int MaxHeaderLineBytes = 8 * 1024;

    private const string ContentLengthHeader = "Content-Length";

    private readonly PipeReader _reader;
    private readonly int _maxMessageBytes;

    public ContentLengthReader(PipeReader reader, int maxMessageBytes = DefaultMaxMessageBytes)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessageBytes);
        _reader = reader;
        _maxMessageBytes = maxMessageBytes;
    }

    public int MaxMessageBytes => _maxMessageBytes;

    /// <summary>
    /// Reads the next message body. Returns null at a clean end of stream (between frames);
    /// throws <see cref="EndOfStreamException"/> when the stream ends inside a frame and
    /// <see cref="BadHeaderException"/> (after consuming the bad header block) for a header block
    /// that does not announce a usable length.
    /// </summary>
    public async ValueTask<byte[]?> ReadMessageAsync(CancellationToken ct = default)
    {
        int length = await ReadHeaderBlockAsync(ct).ConfigureAwait(false);
        if (length < 0)
        {
            return null;
        }

        return await ReadBodyAsync(length, ct).ConfigureAwait(false);
    }

    /// <summary>Returns the announced length, or -1 at a clean end of stream.</summary>
    private async ValueTask<int> ReadHeaderBlockAsync(CancellationToken ct)
    {
        var block = new HeaderBlockState();
        while (true)
        {
            ReadResult result = await _reader.ReadAsync(ct).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            bool blockEnded = ConsumeLines(ref buffer, ref block);

            if (blockEnded)
            {
                _reader.AdvanceTo(buffer.Start);
                return block.Finish(_maxMessageBytes);
            }

            if (block.DiscardingLine)
            {
                // An overlong line: drop what we have, keep looking for its end.
                _reader.AdvanceTo(buffer.End);
            }
            else
            {
                // Keep the partial line, but tell the pipe we looked at all of it.
                _reader.AdvanceTo(buffer.Start, buffer.End);
            }

            if (result.IsCompleted)
            {
                if (!block.SawHeaderLine && !block.DiscardingLine && buffer.IsEmpty)
                {
                    return -1;
                }

                throw new EndOfStreamException("The stream ended inside a message header.");
            }

            if (result.IsCanceled)
            {
                throw new OperationCanceledException("The pending read was cancelled.");
            }
        }
    }

    /// <summary>
    /// Consumes complete header lines from <paramref name="buffer"/>; returns true at the blank
    /// line that ends the block. On return <paramref name="buffer"/> starts at the first byte not consumed.
    /// </summary>
    private static bool ConsumeLines(ref ReadOnlySequence<byte> buffer, ref HeaderBlockState block)
    {
        while (true)
        {
            SequencePosition? newline = buffer.PositionOf((byte)'\n');
            if (newline is null)
            {
                if (!block.DiscardingLine && buffer.Length > MaxHeaderLineBytes)
                {
                    block.DiscardingLine = true;
                    block.Fail($"a header line is longer than {MaxHeaderLineBytes} bytes");
                }

                return false;
            }

            ReadOnlySequence<byte> line = buffer.Slice(0, newline.Value);
            buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));

            if (block.DiscardingLine)
            {
                block.DiscardingLine = false;
                block.SawHeaderLine = true;
                continue;
            }

            if (line.Length > MaxHeaderLineBytes)
            {
                block.Fail($"a header line is longer than {MaxHeaderLineBytes} bytes");
                block.SawHeaderLine = true;
                continue;
            }

            if (IsBlank(line))
            {
                if (block.SawHeaderLine)
                {
                    return true;
                }

                // Stray line breaks between frames carry nothing; skip them.
                continue;
            }

            block.SawHeaderLine = true;
            block.AddLine(line);
        }
    }

    private static bool IsBlank(ReadOnlySequence<byte> line) =>
        line.IsEmpty || (line.Length == 1 && line.FirstSpan[0] == (byte)'\r');

    private async ValueTask<byte[]> ReadBodyAsync(int length, CancellationToken ct)
    {
        if (length == 0)
        {
            return [];
        }

        ReadResult result = await _reader.ReadAtLeastAsync(length, ct).ConfigureAwait(false);
        ReadOnlySequence<byte> buffer = result.Buffer;
        if (buffer.Length < length)
        {
            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCanceled)
            {
                throw new OperationCanceledException("The pending read was cancelled.");
            }

            throw new EndOfStreamException(
                $"The stream ended inside a message body: {buffer.Length} of {length} bytes arrived.");
        }

        ReadOnlySequence<byte> body = buffer.Slice(0, length);
        byte[] message = body.ToArray();
        _reader.AdvanceTo(body.End);
        return message;
    }

    /// <summary>What one header block said so far.</summary>
    private struct HeaderBlockState
    {
        private long _length;
        private bool _hasLength;
        private string? _error;

        public bool SawHeaderLine;
        public bool DiscardingLine;

        public void Fail(string reason) => _error ??= reason;

        public void AddLine(ReadOnlySequence<byte> rawLine)
        {
            ReadOnlySpan<byte> line = rawLine.IsSingleSegment ? rawLine.FirstSpan : rawLine.ToArray();
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            int colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                Fail($"malformed header line '{Printable(line)}'");
                return;
            }

            ReadOnlySpan<byte> name = line[..colon].Trim((byte)' ');
            if (!Ascii.EqualsIgnoreCase(name, ContentLengthHeader))
            {
                return; // Content-Type and friends are allowed and ignored.
            }

            ReadOnlySpan<byte> value = line[(colon + 1)..].Trim(" \t"u8);
            // Digits only ("+5" and " 5x" are not lengths); a leading '-' earns a clearer message.
            bool negative = value.Length > 1 && value[0] == (byte)'-';
            ReadOnlySpan<byte> digits = negative ? value[1..] : value;
            if (digits.IsEmpty || digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
            {
                Fail($"Content-Length '{Printable(value)}' is not a number");
                return;
            }

            if (negative)
            {
                Fail($"Content-Length {Printable(value)} is negative");
                return;
            }

            if (!Utf8Parser.TryParse(digits, out long parsed, out int consumed) || consumed != digits.Length)
            {
                Fail($"Content-Length {Printable(value)} exceeds any acceptable size");
                return;
            }

            if (_hasLength && parsed != _length)
            {
                Fail($"conflicting Content-Length headers ({_length} and {parsed})");
                return;
            }

            _length = parsed;
            _hasLength = true;
        }

        public readonly int Finish(int maxMessageBytes)
        {
            if (_error is not null)
            {
                throw new BadHeaderException($"Bad message header: {_error}.");
            }

            if (!_hasLength)
            {
                throw new BadHeaderException("Bad message header: the header block has no Content-Length.");
            }

            if (_length > maxMessageBytes)
            {
                throw new BadHeaderException(
                    $"Bad message header: Content-Length {_length} exceeds the {maxMessageBytes}-byte limit.");
            }

            return (int)_length;
        }

        private static string Printable(ReadOnlySpan<byte> bytes)
        {
            const int maxShown = 80;
            string text = Encoding.UTF8.GetString(bytes.Length > maxShown ? bytes[..maxShown] : bytes);
            return bytes.Length > maxShown ? text + "..." : text;
        }
    }
}
