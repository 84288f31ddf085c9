using System.Globalization;
using System.Runtime.InteropServices;

namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>This process's resident memory (VmRSS of /proc/self/status) and open descriptors (entries of /proc/self/fd).</summary>
public readonly partial record struct ResourceSample(long RssKib, int Fds)
{
    /// <summary>
    /// The RSS growth a flat process may show: 2 MiB or 15 % of the starting RSS, whichever is larger.
    /// Runtimes go on growing a little after any warm-up (JIT code, a collector's retained heap, a log
    /// capture's high-water mark: a few MiB in the C# and Python workers); a leak per frame, buffer or
    /// connection over a stress round grows past it.
    /// </summary>
    public long AllowedGrowthKib => Math.Max(2048, RssKib * 15 / 100);

    /// <summary>
    /// An aggressive (full, blocking, compacting, decommitting) collection first: what counts is memory
    /// the process holds, not garbage the collector has not yet been due to reclaim, nor free regions it
    /// keeps committed for reuse (its gen0 budget alone is megabytes and scales with the allocation
    /// rate, which is highest with a C# peer). Finalizers are not waited for, so a reader or writer left
    /// undisposed still shows with its descriptors.
    /// </summary>
    public static ResourceSample Now()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        // The same for native memory: the JIT compiles in malloc'd arenas it frees afterwards, and glibc
        // keeps freed pages resident until trimmed; free memory is not growth.
        MallocTrim(0);
        return new(ReadRssKib(), CountFds());
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    /// <summary>What is wrong with <paramref name="end"/> measured against this baseline (empty when flat: same fd count, RSS within the allowed growth).</summary>
    public IReadOnlyList<string> ProblemsAt(ResourceSample end)
    {
        var problems = new List<string>();
        if (end.Fds != Fds)
        {
            problems.Add($"open descriptors went from {Fds} to {end.Fds}");
        }

        if (end.RssKib - RssKib > AllowedGrowthKib)
        {
            problems.Add($"RSS grew from {RssKib} KiB to {end.RssKib} KiB (+{end.RssKib - RssKib} KiB, more than the {AllowedGrowthKib} KiB allowed)");
        }

        return problems;
    }

    private static long ReadRssKib()
    {
        // "VmRSS:     12345 kB"
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("/proc/self/status has no VmRSS line.");
    }

    /// <summary>The directory listing's own descriptor is counted too, the same in every sample.</summary>
    private static int CountFds() => Directory.EnumerateFileSystemEntries("/proc/self/fd").Count();
}
