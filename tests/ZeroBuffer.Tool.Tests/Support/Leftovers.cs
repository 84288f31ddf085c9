namespace ZeroBuffer.Tool.Tests.Support;

/// <summary>Finds what a buffer (or a bench run) left in /dev/shm, the lock directory or the temp dir.</summary>
internal static class Leftovers
{
    public const string SharedMemoryDirectory = "/dev/shm";

    public static string LockDirectory =>
        Environment.GetEnvironmentVariable("ZEROBUFFER_LOCK_DIR") is { Length: > 0 } dir ? dir : "/tmp/zerobuffer";

    /// <summary>Every file whose name contains <paramref name="fragment"/> in the places ZeroBuffer or the bench write.</summary>
    public static IReadOnlyList<string> Containing(string fragment)
    {
        var found = new List<string>();
        foreach (string directory in new[] { SharedMemoryDirectory, LockDirectory, Path.GetTempPath() })
        {
            if (Directory.Exists(directory))
            {
                found.AddRange(Directory.EnumerateFileSystemEntries(directory)
                    .Where(path => Path.GetFileName(path).Contains(fragment, StringComparison.Ordinal)));
            }
        }

        return found;
    }

    public static string[] ExpectedFiles(string bufferName) =>
    [
        Path.Combine(SharedMemoryDirectory, bufferName),
        Path.Combine(SharedMemoryDirectory, $"sem.sem-w-{bufferName}"),
        Path.Combine(SharedMemoryDirectory, $"sem.sem-r-{bufferName}"),
        Path.Combine(LockDirectory, $"{bufferName}.lock"),
    ];

    public static void AssertNone(string fragment)
    {
        IReadOnlyList<string> left = Containing(fragment);
        Assert.True(left.Count == 0, $"left behind: {string.Join(", ", left)}");
    }
}
