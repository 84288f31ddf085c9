namespace ZeroBuffer.Diagnostics;

/// <summary>The two data regions after the OIEB (PROTOCOL.md §2).</summary>
public enum BufferRegion
{
    /// <summary>The metadata block at offset 128 (length prefix included).</summary>
    Metadata,

    /// <summary>The payload ring right after the metadata block.</summary>
    Payload,
}
