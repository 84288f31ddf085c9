namespace ZeroBuffer.Tool.Cli;

/// <summary>
/// A failure the tool itself detects (a read timeout, a corrupted frame, a dead benchmark peer),
/// carrying a kind string in the same style as <c>ZeroBufferException.Kind</c>.
/// </summary>
internal sealed class ToolException(string kind, string message) : Exception(message)
{
    public const string Timeout = "Timeout";
    public const string PatternMismatch = "PatternMismatch";
    public const string SequenceMismatch = "SequenceError";
    public const string PeerFailed = "PeerFailed";
    public const string OsError = "OsError";
    public const string Usage = "Usage";

    public string Kind { get; } = kind;
}
