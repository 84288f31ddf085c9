namespace ZeroBuffer.Tests.Support;

/// <summary>After all tests: nothing named by this run may be left in /dev/shm or the lock directory.</summary>
public sealed class LeakCheckFixture : IDisposable
{
    public void Dispose()
    {
        string[] shm = Directory.GetFiles("/dev/shm")
            .Select(Path.GetFileName)
            .Where(n => n!.Contains(Some.RunPrefix, StringComparison.Ordinal))
            .Select(n => n!)
            .ToArray();
        string[] locks = Directory.Exists(TestEnvironment.LockDirectory)
            ? Directory.GetFiles(TestEnvironment.LockDirectory).Select(Path.GetFileName).Select(n => n!).ToArray()
            : [];

        // Remove what leaked so one failure does not pollute the machine, then fail loudly.
        foreach (string name in shm)
        {
            File.Delete(Path.Combine("/dev/shm", name));
        }

        if (Directory.Exists(TestEnvironment.LockDirectory))
        {
            Directory.Delete(TestEnvironment.LockDirectory, recursive: true);
        }

        if (shm.Length > 0 || locks.Length > 0)
        {
            throw new InvalidOperationException(
                $"Tests leaked resources. /dev/shm: [{string.Join(", ", shm)}]; lock dir: [{string.Join(", ", locks)}]");
        }
    }
}
