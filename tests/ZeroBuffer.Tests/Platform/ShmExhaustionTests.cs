using ZeroBuffer.Platform;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests.Platform;

/// <summary>PROTOCOL.md §6: a ring /dev/shm cannot back is ResourceExhausted at creation, never a SIGBUS later.</summary>
[Collection(ZeroBufferCollection.Name)]
public sealed class ShmExhaustionTests
{
    [Fact]
    public void A_segment_larger_than_dev_shm_is_resource_exhausted_and_leaves_nothing()
    {
        long total = new DriveInfo("/dev/shm").TotalSize;
        Assert.True(total > 0, "/dev/shm reports no size limit");
        string name = Some.ShmName();
        // The public BufferConfig stops at int sizes, far below a usual /dev/shm, so the segment is made
        // directly: 64 KiB more than the whole of /dev/shm, which tmpfs refuses at once (no page allocated).
        long size = (total / 64 + 1024) * 64;

        var error = Assert.Throws<ResourceExhaustedException>(() => SharedMemory.TryCreateNew(name, size));

        Assert.Contains("posix_fallocate", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists($"/dev/shm/{name}"), "the failed segment was left in /dev/shm");
    }
}
