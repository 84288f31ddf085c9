using ZeroBuffer.Platform;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests.Platform;

[Collection(ZeroBufferCollection.Name)]
public sealed unsafe class SharedMemoryTests
{
    [Fact]
    public void Create_is_exclusive_open_of_a_missing_name_is_null_and_unlink_reports_absence()
    {
        string name = Some.ShmName();
        Assert.Null(SharedMemory.TryOpen(name, writable: false, minimumSize: 0));
        using SharedMemory created = SharedMemory.TryCreateNew(name, 4096)!;
        try
        {
            Assert.Null(SharedMemory.TryCreateNew(name, 4096));
            Assert.Equal(4096, created.FileSize);
            Assert.Equal(0, created.Pointer[4095]); // new objects are zero-filled
        }
        finally
        {
            Assert.True(SharedMemory.Unlink(name));
            Assert.False(SharedMemory.Unlink(name));
        }
    }

    [Fact]
    public void An_object_too_small_for_the_minimum_is_opened_unmapped()
    {
        string name = Some.ShmName();
        using SharedMemory created = SharedMemory.TryCreateNew(name, 64)!;
        try
        {
            using SharedMemory opened = SharedMemory.TryOpen(name, writable: false, minimumSize: 128)!;
            Assert.True(opened.Pointer == null);
            Assert.Equal(64, opened.FileSize);
        }
        finally
        {
            SharedMemory.Unlink(name);
        }
    }

    [Fact]
    public void IsStillNamed_turns_false_when_the_name_is_unlinked_or_reused()
    {
        string name = Some.ShmName();
        using SharedMemory first = SharedMemory.TryCreateNew(name, 4096)!;
        Assert.True(first.IsStillNamed());

        SharedMemory.Unlink(name);
        Assert.False(first.IsStillNamed());

        using SharedMemory second = SharedMemory.TryCreateNew(name, 4096)!;
        try
        {
            Assert.False(first.IsStillNamed());
            Assert.True(second.IsStillNamed());
        }
        finally
        {
            SharedMemory.Unlink(name);
        }
    }

    [Fact]
    public void Writes_through_one_mapping_are_seen_through_another()
    {
        string name = Some.ShmName();
        using SharedMemory a = SharedMemory.TryCreateNew(name, 4096)!;
        try
        {
            using SharedMemory b = SharedMemory.TryOpen(name, writable: true, minimumSize: 0)!;
            a.Pointer[100] = 42;
            Assert.Equal(42, b.Pointer[100]);
        }
        finally
        {
            SharedMemory.Unlink(name);
        }
    }
}
