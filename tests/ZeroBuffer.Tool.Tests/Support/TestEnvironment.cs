using System.Runtime.CompilerServices;

namespace ZeroBuffer.Tool.Tests.Support;

/// <summary>
/// Gives this test run (and every tool process it starts, which inherits the environment) a private
/// lock directory. Tests here kill a process and then inspect the stale buffer it left; a reader
/// created meanwhile by another test assembly running beside this one would sweep a shared lock
/// directory and reclaim that buffer first (PROTOCOL.md §5 step 2).
/// </summary>
internal static class TestEnvironment
{
    internal static string LockDirectory { get; } = Path.Combine(Path.GetTempPath(), $"zerobuffer-tool-tests-{Environment.ProcessId}");

    [ModuleInitializer]
    internal static void Initialize()
    {
        Environment.SetEnvironmentVariable("ZEROBUFFER_LOCK_DIR", LockDirectory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveIfEmpty();
    }

    private static void RemoveIfEmpty()
    {
        try
        {
            if (Directory.Exists(LockDirectory) && !Directory.EnumerateFileSystemEntries(LockDirectory).Any())
            {
                Directory.Delete(LockDirectory);
            }
        }
        catch (IOException)
        {
            // Left for the next sweep of the temp directory; a lock file still there says what leaked.
        }
    }
}
