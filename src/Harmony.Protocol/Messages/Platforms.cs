namespace Harmony.Protocol.Messages;

/// <summary>The <c>platform</c> values a worker reports (<c>health</c>, <c>initialize</c>, step data).</summary>
public static class Platforms
{
    public const string CSharp = "csharp";
    public const string Python = "python";
    public const string Cpp = "cpp";
}
