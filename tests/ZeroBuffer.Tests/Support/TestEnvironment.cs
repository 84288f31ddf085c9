using System.Runtime.CompilerServices;

namespace ZeroBuffer.Tests.Support;

/// <summary>
/// Gives the test run a private lock directory, so stale-resource cleanup in these tests and in other
/// processes on the machine never see each other's lock files.
/// </summary>
internal static class TestEnvironment
{
    internal static string LockDirectory { get; } = Path.Combine(Path.GetTempPath(), $"zerobuffer-tests-{Some.RunId}");

    [ModuleInitializer]
    internal static void Initialize() =>
        Environment.SetEnvironmentVariable("ZEROBUFFER_LOCK_DIR", LockDirectory);
}
