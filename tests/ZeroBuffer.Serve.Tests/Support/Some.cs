namespace ZeroBuffer.Serve.Tests.Support;

/// <summary>Unique names so tests never collide with each other or with other runs.</summary>
internal static class Some
{
    public static string RunId() => $"zbst{Environment.ProcessId}-{Guid.NewGuid():N}"[..24];

    /// <summary>Shared-memory objects and lock files whose name contains <paramref name="runId"/>.</summary>
    public static IReadOnlyList<string> Leftovers(string runId)
    {
        string lockDir = Environment.GetEnvironmentVariable("ZEROBUFFER_LOCK_DIR") is { Length: > 0 } dir ? dir : "/tmp/zerobuffer";
        IEnumerable<string> shm = Directory.Exists("/dev/shm") ? Directory.GetFiles("/dev/shm") : [];
        IEnumerable<string> locks = Directory.Exists(lockDir) ? Directory.GetFiles(lockDir) : [];
        return shm.Concat(locks).Where(f => Path.GetFileName(f).Contains(runId, StringComparison.Ordinal)).ToList();
    }
}
