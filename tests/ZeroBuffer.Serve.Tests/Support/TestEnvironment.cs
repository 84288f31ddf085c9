using System.Runtime.CompilerServices;

namespace ZeroBuffer.Serve.Tests.Support;

/// <summary>
/// Gives the test run (and the workers it starts, which inherit the environment) a private lock
/// directory, so stale-resource cleanup by other processes on the machine never reclaims the stale
/// buffers these tests make on purpose, and ours never touches theirs.
/// </summary>
internal static class TestEnvironment
{
    internal static string LockDirectory { get; } = Path.Combine(Path.GetTempPath(), $"zerobuffer-serve-tests-{Environment.ProcessId}");

    [ModuleInitializer]
    internal static void Initialize() =>
        Environment.SetEnvironmentVariable("ZEROBUFFER_LOCK_DIR", LockDirectory);
}

/// <summary>
/// Tests that leave a buffer stale and look at it in a later step: any reader created meanwhile would
/// reclaim it (PROTOCOL.md §5 step 2), so they run alone, after the parallel tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StaleBufferCollection
{
    public const string Name = "Stale buffers";
}
