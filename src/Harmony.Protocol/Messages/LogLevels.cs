namespace Harmony.Protocol.Messages;

/// <summary>The <c>level</c> values of a <see cref="LogEntry"/>.</summary>
public static class LogLevels
{
    public const string Debug = "debug";
    public const string Info = "info";
    public const string Warning = "warning";
    public const string Error = "error";
}
