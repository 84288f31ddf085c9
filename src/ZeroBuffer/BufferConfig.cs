namespace ZeroBuffer;

/// <summary>
/// Sizes of a buffer, chosen by the reader that creates it. Both are rounded up to a multiple of 64
/// bytes in the shared memory. Capacity planning: a frame costs 16 + n bytes, and a frame larger than
/// half the payload can wait forever at some ring positions, so use payload &gt;= 3 x the largest frame.
/// </summary>
public sealed class BufferConfig
{
    public const int DefaultMetadataSize = 1024;
    public const int DefaultPayloadSize = 1024 * 1024;

    private readonly int _metadataSize;
    private readonly int _payloadSize;

    /// <exception cref="InvalidConfigException">payloadSize &lt;= 0 or metadataSize &lt; 0.</exception>
    public BufferConfig(int metadataSize = DefaultMetadataSize, int payloadSize = DefaultPayloadSize)
    {
        MetadataSize = metadataSize;
        PayloadSize = payloadSize;
    }

    /// <summary>Bytes in the metadata block (0 = no metadata possible); the 8-byte length prefix is part of it.</summary>
    public int MetadataSize
    {
        get => _metadataSize;
        init => _metadataSize = value >= 0
            ? value
            : throw new InvalidConfigException($"Metadata size must be >= 0 (got {value}).");
    }

    /// <summary>Bytes in the payload ring; must be &gt; 0.</summary>
    public int PayloadSize
    {
        get => _payloadSize;
        init => _payloadSize = value > 0
            ? value
            : throw new InvalidConfigException($"Payload size must be > 0 (got {value}).");
    }

    public override string ToString() => $"BufferConfig(MetadataSize={MetadataSize}, PayloadSize={PayloadSize})";
}
