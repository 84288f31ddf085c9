namespace ZeroBuffer.Layout;

/// <summary>
/// The OIEB validation rule set of PROTOCOL.md §5, in one place for the reader and the writer, pinned by
/// testdata/oieb/validation-cases.json. <see cref="Validate"/> is the full check at connect; the Check*
/// methods are the parts an operation repeats for the one field it is about to use. Counters are never
/// checked: they wrap modulo 2^64.
/// </summary>
internal static unsafe class OiebValidator
{
    /// <exception cref="BufferNotFoundException">oieb_size is 0: the reader has not finished creating the buffer.</exception>
    /// <exception cref="ProtocolVersionMismatchException">The major version is not 1.</exception>
    /// <exception cref="InvalidOiebException">A field breaks its rule; the message names it, its value and the bound.</exception>
    internal static BufferLayout Validate(Oieb* oieb, long mappedLength, string name)
    {
        uint oiebSize = Volatile.Read(ref oieb->OiebSize);
        if (oiebSize == 0)
        {
            throw new BufferNotFoundException($"Buffer '{name}' is not ready: its reader is still creating it (oieb_size = 0).", name);
        }

        if (oiebSize != Oieb.Size)
        {
            throw Invalid(name, "oieb_size", oiebSize, $"expected {Oieb.Size}");
        }

        if (oieb->Major != Oieb.VersionMajor)
        {
            throw new ProtocolVersionMismatchException(
                $"Buffer '{name}' uses protocol {oieb->Major}.{oieb->Minor}.{oieb->Patch}; this library speaks {Oieb.VersionMajor}.x.",
                name);
        }

        ulong metadataSize = oieb->MetadataSize;
        ulong payloadSize = oieb->PayloadSize;
        if (metadataSize % BufferLayout.Alignment != 0)
        {
            throw Invalid(name, "metadata_size", metadataSize, $"must be a multiple of {BufferLayout.Alignment}");
        }

        if (payloadSize == 0 || payloadSize % BufferLayout.Alignment != 0)
        {
            throw Invalid(name, "payload_size", payloadSize, $"must be a non-zero multiple of {BufferLayout.Alignment}");
        }

        // Compared piecewise so that no sum can wrap.
        ulong room = (ulong)mappedLength - Oieb.Size;
        if (metadataSize > room || payloadSize != room - metadataSize)
        {
            throw Invalid(name, "payload_size", payloadSize, $"with metadata_size {metadataSize} must fill the {mappedLength}-byte mapping after the OIEB");
        }

        CheckPosition(name, "payload_write_pos", oieb->PayloadWritePos, payloadSize);
        CheckPosition(name, "payload_read_pos", oieb->PayloadReadPos, payloadSize);
        CheckFreeBytes(name, (ulong)Volatile.Read(ref oieb->PayloadFreeBytes), payloadSize);
        CheckMetadataWritten(name, Volatile.Read(ref oieb->MetadataWrittenBytes), metadataSize);
        return new BufferLayout((long)metadataSize, (long)payloadSize);
    }

    /// <summary>payload_free_bytes ≤ payload_size; returns it.</summary>
    internal static long CheckFreeBytes(string name, ulong free, ulong payloadSize) =>
        free <= payloadSize ? (long)free : throw Invalid(name, "payload_free_bytes", free, $"must be <= payload_size {payloadSize}");

    /// <summary>metadata_written_bytes is 0 or 8 + n with n ≤ metadata_size − 8; returns it.</summary>
    internal static ulong CheckMetadataWritten(string name, ulong written, ulong metadataSize) =>
        written == 0 || (written >= BufferLayout.MetadataPrefixSize && written <= metadataSize)
            ? written
            : throw Invalid(name, "metadata_written_bytes", written, $"must be 0 or between {BufferLayout.MetadataPrefixSize} and metadata_size {metadataSize}");

    private static void CheckPosition(string name, string field, ulong position, ulong payloadSize)
    {
        if (position > payloadSize)
        {
            throw Invalid(name, field, position, $"must be <= payload_size {payloadSize}");
        }
    }

    private static InvalidOiebException Invalid(string name, string field, ulong value, string bound) =>
        new($"Buffer '{name}' has an invalid OIEB: {field} = {value}, {bound}.", name);
}
