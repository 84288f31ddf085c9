using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Text;

namespace ZeroBuffer.Serve.Rpc;

/// <summary>What a frame's header block said.</summary>
internal enum FrameHeaderKind
{
    /// <summary>A usable header: <see cref="FrameHeader.Length"/> body bytes follow.</summary>
    Body,

    /// <summary>A header block that announces no usable length; it has been consumed.</summary>
    Refused,

    /// <summary>The input ended between frames.</summary>
    EndOfInput,

    /// <summary>The input ended inside a header block.</summary>
    Truncated,
}

/// <param name="Problem">Why the block was refused or the input truncated.</param>
internal readonly record struct FrameHeader(FrameHeaderKind Kind, int Length, string? Problem)
{
    /// <summary>The largest body accepted (WORKER-PROTOCOL.md "Framing"; issue 16's one oversize policy).</summary>
    public const int MaxBodyBytes = 64 * 1024 * 1024;

    /// <summary>Longest header line kept; a longer one is skipped to its end and refuses the block.</summary>
    public const int MaxLineBytes = 8 * 1024;

    /// <summary>
    /// Reads one header block with the contract's rules, which are stricter and more forgiving than
    /// StreamJsonRpc's: names match case-insensitively, lines may end in LF alone, other headers are
    /// ignored, and a block without a Content-Length, with a negative, non-numeric, conflicting or
    /// oversized one, or with an overlong line is consumed whole and refused, so the next frame can
    /// still be read (the stock reader stops on the bad line).
    /// </summary>
    public static async ValueTask<FrameHeader> ReadAsync(PipeReader reader, CancellationToken ct)
    {
        var block = new Block();
        while (true)
        {
            ReadResult result = await reader.ReadAsync(ct).ConfigureAwait(false);
            ReadOnlySequence<byte> rest = result.Buffer;
            if (block.Consume(ref rest))
            {
                reader.AdvanceTo(rest.Start);
                return block.Finish();
            }

            bool nothingPending = !block.Started && rest.IsEmpty;
            reader.AdvanceTo(rest.Start, rest.End);
            if (result.IsCompleted)
            {
                return nothingPending
                    ? new FrameHeader(FrameHeaderKind.EndOfInput, 0, null)
                    : new FrameHeader(FrameHeaderKind.Truncated, 0, "the input ended inside a message header");
            }

            ct.ThrowIfCancellationRequested();
        }
    }

    /// <summary>One header block as far as it has been read.</summary>
    private struct Block
    {
        private long? _length;
        private string? _problem;
        private bool _skippingLongLine;

        /// <summary>A non-blank line (or part of one) has been seen.</summary>
        public bool Started { get; private set; }

        /// <summary>
        /// Consumes the complete lines at the start of <paramref name="rest"/> (and a partial line
        /// already too long to keep); true at the blank line that ends the block.
        /// </summary>
        public bool Consume(ref ReadOnlySequence<byte> rest)
        {
            while (rest.PositionOf((byte)'\n') is { } newline)
            {
                ReadOnlySequence<byte> line = rest.Slice(0, newline);
                rest = rest.Slice(rest.GetPosition(1, newline));
                if (_skippingLongLine)
                {
                    _skippingLongLine = false;
                }
                else if (line.Length > MaxLineBytes)
                {
                    Refuse($"a header line is longer than {MaxLineBytes} bytes");
                }
                else if (IsBlank(line))
                {
                    if (Started)
                    {
                        return true;
                    }

                    // Line breaks between frames carry nothing.
                }
                else
                {
                    Started = true;
                    Add(line);
                }
            }

            if (_skippingLongLine || rest.Length > MaxLineBytes)
            {
                // Never buffer a line that cannot be a header: drop it up to its end.
                Refuse($"a header line is longer than {MaxLineBytes} bytes");
                _skippingLongLine = true;
                rest = rest.Slice(rest.End);
            }

            return false;
        }

        public readonly FrameHeader Finish()
        {
            string? problem = _problem
                ?? (_length is null ? "the header block has no Content-Length"
                : _length > MaxBodyBytes ? $"Content-Length {_length} exceeds the {MaxBodyBytes}-byte limit"
                : null);
            return problem is null
                ? new FrameHeader(FrameHeaderKind.Body, (int)_length!.Value, null)
                : new FrameHeader(FrameHeaderKind.Refused, 0, $"Bad message header: {problem}.");
        }

        private void Refuse(string problem)
        {
            Started = true;
            _problem ??= problem;
        }

        private void Add(ReadOnlySequence<byte> rawLine)
        {
            ReadOnlySpan<byte> line = rawLine.IsSingleSegment ? rawLine.FirstSpan : rawLine.ToArray();
            line = line.TrimEnd((byte)'\r');
            int colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                Refuse($"malformed header line '{Printable(line)}'");
                return;
            }

            if (!Ascii.EqualsIgnoreCase(line[..colon].Trim((byte)' '), "Content-Length"u8))
            {
                return; // Content-Type and friends are allowed and ignored.
            }

            ReadOnlySpan<byte> value = line[(colon + 1)..].Trim(" \t"u8);
            if (value.Length > 1 && value[0] == (byte)'-' && value[1..].IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0)
            {
                Refuse($"Content-Length {Printable(value)} is negative");
            }
            else if (value.IsEmpty || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
            {
                Refuse($"Content-Length '{Printable(value)}' is not a number");
            }
            else if (!Utf8Parser.TryParse(value, out long length, out _))
            {
                Refuse($"Content-Length {Printable(value)} exceeds any acceptable size");
            }
            else if (_length is { } earlier && earlier != length)
            {
                Refuse($"conflicting Content-Length headers ({earlier} and {length})");
            }
            else
            {
                _length = length;
            }
        }

        private static bool IsBlank(ReadOnlySequence<byte> line) =>
            line.IsEmpty || (line.Length == 1 && line.FirstSpan[0] == (byte)'\r');

        private static string Printable(ReadOnlySpan<byte> bytes)
        {
            const int MaxShown = 80;
            string text = Encoding.UTF8.GetString(bytes.Length > MaxShown ? bytes[..MaxShown] : bytes);
            return bytes.Length > MaxShown ? text + "..." : text;
        }
    }
}
