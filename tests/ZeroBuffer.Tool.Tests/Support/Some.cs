namespace ZeroBuffer.Tool.Tests.Support;

/// <summary>Unique, valid buffer names per test, so tests never meet each other's buffers.</summary>
internal static class Some
{
    public static string BufferName() => $"zbt-{Guid.NewGuid():N}"[..20];
}
