using System.Globalization;

namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>This process's resident memory (VmRSS of /proc/self/status) and open descriptors (entries of /proc/self/fd).</summary>
public readonly record struct ResourceSample(long RssKib, int Fds)
{
    /// <summary>
    /// The RSS growth a flat process may show: 1 MiB or 5 % of the starting RSS, whichever is larger
    /// (allocators and runtimes keep freed pages; a leak per frame or per buffer grows far past it).
    /// </summary>
    public long AllowedGrowthKib => Math.Max(1024, RssKib * 5 / 100);

    public static ResourceSample Now() => new(ReadRssKib(), CountFds());

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
