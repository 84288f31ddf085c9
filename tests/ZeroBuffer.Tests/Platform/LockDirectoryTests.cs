using System.Runtime.InteropServices;
using ZeroBuffer.Platform;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests.Platform;

[Collection(ZeroBufferCollection.Name)]
public sealed partial class LockDirectoryTests
{
    [Fact]
    public void The_environment_variable_chooses_the_directory_and_tmp_zerobuffer_is_the_default()
    {
        Assert.Equal(TestEnvironment.LockDirectory, LockDirectory.Path);
        try
        {
            Environment.SetEnvironmentVariable(LockDirectory.EnvironmentVariable, null);
            Assert.Equal("/tmp/zerobuffer", LockDirectory.Path);
            Assert.Equal("/tmp/zerobuffer/abc.lock", LockDirectory.LockFilePath("abc"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(LockDirectory.EnvironmentVariable, TestEnvironment.LockDirectory);
        }
    }

    [Fact]
    public void A_held_lock_cannot_be_taken_again_and_a_released_one_can()
    {
        string name = Some.ShmName();
        LockDirectory.EnsureExists(name);
        string path = LockDirectory.LockFilePath(name);
        LockFile first = LockFile.TryAcquire(path, name)!;
        Assert.Null(LockFile.TryAcquire(path, name));
        Assert.Null(LockFile.TryAcquireExisting(path, name));

        first.Dispose();
        LockFile second = LockFile.TryAcquireExisting(path, name)!;
        second.DeleteAndRelease();
        Assert.False(File.Exists(path));
        Assert.Null(LockFile.TryAcquireExisting(path, name));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(0x12)] // 022
    [InlineData(0x3F)] // 077
    public void The_lock_directory_is_created_1777_whatever_the_umask(int umask)
    {
        string directory = Path.Combine(Path.GetTempPath(), Some.ShmName(), "locks");
        uint previous = Umask((uint)umask);
        try
        {
            Environment.SetEnvironmentVariable(LockDirectory.EnvironmentVariable, directory);
            LockDirectory.EnsureExists("x");
        }
        finally
        {
            Umask(previous);
            Environment.SetEnvironmentVariable(LockDirectory.EnvironmentVariable, TestEnvironment.LockDirectory);
        }

        Assert.Equal(LockDirectory.SharedMode, File.GetUnixFileMode(directory));
        Directory.Delete(Path.GetDirectoryName(directory)!, recursive: true);
    }

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint Umask(uint mask);

    [Fact]
    public void Liveness_follows_kill_zero()
    {
        Assert.True(ProcessLiveness.IsAlive((ulong)Environment.ProcessId));
        Assert.True(ProcessLiveness.IsAlive(1)); // init: alive, even if we may not signal it (EPERM)
        Assert.False(ProcessLiveness.IsAlive(0));
        Assert.False(ProcessLiveness.IsAlive(StaleBuffer.DeadPid));
        Assert.False(ProcessLiveness.IsAlive(ulong.MaxValue)); // would be -1 (every process) as a pid_t
    }
}
