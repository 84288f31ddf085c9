namespace Harmony.Protocol.Messages;

/// <summary>The <c>mode</c> values of <c>initialize</c>.</summary>
public static class RunModes
{
    public const string SeparateProcess = "separate-process";
    public const string SameProcess = "same-process";
}
