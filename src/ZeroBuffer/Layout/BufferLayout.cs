namespace ZeroBuffer.Layout;

/// <summary>Where the blocks sit: OIEB at 0, metadata at 128, payload at 128 + align64(metadata).</summary>
internal readonly record struct BufferLayout(long MetadataSize, long PayloadSize)
{
    internal const int Alignment = 64;
    internal const long MetadataOffset = Oieb.Size;

    /// <summary>Metadata length prefix in front of the metadata bytes.</summary>
    internal const int MetadataPrefixSize = 8;

    internal long PayloadOffset => MetadataOffset + MetadataSize;

    internal long TotalSize => Oieb.Size + MetadataSize + PayloadSize;

    internal static long Align64(long value) => (value + (Alignment - 1)) & ~(long)(Alignment - 1);

    /// <summary>The layout for a configuration; both sizes are rounded up to 64 bytes.</summary>
    internal static BufferLayout For(BufferConfig config) =>
        new(Align64(config.MetadataSize), Align64(config.PayloadSize));
}
