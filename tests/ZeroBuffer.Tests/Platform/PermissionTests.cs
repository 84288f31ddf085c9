using ZeroBuffer.Platform;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests.Platform;

[Collection(ZeroBufferCollection.Name)]
public sealed class PermissionTests
{
    [Fact]
    public void Shm_semaphores_and_lock_file_are_private_to_the_owner()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

        Assert.Equal(ownerOnly, File.GetUnixFileMode($"/dev/shm/{name}"));
        Assert.Equal(ownerOnly, File.GetUnixFileMode($"/dev/shm/sem.sem-w-{name}"));
        Assert.Equal(ownerOnly, File.GetUnixFileMode($"/dev/shm/sem.sem-r-{name}"));
        Assert.Equal(ownerOnly, File.GetUnixFileMode(LockDirectory.LockFilePath(name)));
    }

    [Fact]
    public void The_shm_size_is_128_plus_the_aligned_blocks()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, new BufferConfig(1000, 10000));

        Assert.Equal(128 + 1024 + 10048, new FileInfo($"/dev/shm/{name}").Length);
    }
}
