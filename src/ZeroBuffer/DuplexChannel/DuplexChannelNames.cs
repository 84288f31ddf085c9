namespace ZeroBuffer.DuplexChannel;

/// <summary>The two buffer names of a channel (PROTOCOL.md §8) and the channel-name rule.</summary>
public static class DuplexChannelNames
{
    /// <summary>Suffix of the buffer the server reads and the client writes.</summary>
    public const string RequestSuffix = "_request";

    /// <summary>Suffix of the buffer the client reads and the server writes.</summary>
    public const string ResponseSuffix = "_response";

    /// <summary>A channel name leaves room for the longer suffix within the buffer-name limit.</summary>
    public const int MaxLength = BufferNames.MaxLength - 9;

    /// <summary>The request buffer of <paramref name="channel"/>.</summary>
    public static string Request(string channel) => channel + RequestSuffix;

    /// <summary>The response buffer of <paramref name="channel"/>.</summary>
    public static string Response(string channel) => channel + ResponseSuffix;

    /// <exception cref="InvalidBufferNameException">The channel name breaks the rule; no OS call was made.</exception>
    public static void Validate(string? channel)
    {
        if (channel is null || channel.Length > MaxLength || !BufferNames.IsValid(channel))
        {
            string shown = channel is null ? "(null)" : $"'{channel}'";
            throw new InvalidBufferNameException(
                $"Invalid channel name {shown}: a channel name must be 1-{MaxLength} characters of [A-Za-z0-9._-], not starting with '.'.",
                channel);
        }
    }
}
