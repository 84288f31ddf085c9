namespace Harmony.Orchestrator.Workers;

/// <summary>
/// After a scenario, removes what its run left behind: <c>/dev/shm</c> entries (shared memory and POSIX
/// semaphores, <c>sem.*</c>) and lock files in <c>$ZEROBUFFER_LOCK_DIR</c> (default /tmp/zerobuffer) whose
/// name contains the run id. Returns what it removed so the report can warn about the leak.
/// </summary>
internal sealed class ResourceSweeper(string shmDirectory, string lockDirectory)
{
    public static ResourceSweeper Default { get; } = new(
        "/dev/shm",
        Environment.GetEnvironmentVariable("ZEROBUFFER_LOCK_DIR") is { Length: > 0 } dir ? dir : "/tmp/zerobuffer");

    public IReadOnlyList<string> Sweep(string runId)
    {
        var removed = new List<string>();
        foreach (var directory in new[] { shmDirectory, lockDirectory })
        {
            if (!Directory.Exists(directory))
            {
                continue;
            }
            IEnumerable<string> entries;
            try
            {
                entries = Directory.EnumerateFileSystemEntries(directory, $"*{runId}*").ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (var entry in entries)
            {
                try
                {
                    if (Directory.Exists(entry))
                    {
                        Directory.Delete(entry, recursive: true);
                    }
                    else
                    {
                        File.Delete(entry);
                    }
                    removed.Add(entry);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    removed.Add($"{entry} (could not remove: {ex.Message})");
                }
            }
        }
        return removed;
    }
}
