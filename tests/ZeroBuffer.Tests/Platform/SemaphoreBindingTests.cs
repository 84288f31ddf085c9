using System.Runtime.InteropServices;
using ZeroBuffer.Platform;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests.Platform;

/// <summary>sem_open is variadic; these pin that the 4-argument binding passes mode and value through.</summary>
[Collection(ZeroBufferCollection.Name)]
public sealed class SemaphoreBindingTests
{
    [Fact]
    public void Sem_open_creates_with_value_zero_and_mode_0600()
    {
        string name = Some.ShmName();
        string osName = NamedSemaphore.WrittenName(name);
        using NamedSemaphore semaphore = NamedSemaphore.TryCreateNew(osName, name)!;
        try
        {
            Assert.Equal(0, semaphore.Value);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode("/dev/shm/sem." + osName[1..]));
            Assert.Null(NamedSemaphore.TryCreateNew(osName, name)); // O_EXCL honoured
        }
        finally
        {
            Assert.True(NamedSemaphore.Unlink(osName));
        }
    }

    [Fact]
    public unsafe void The_initial_value_argument_reaches_sem_open()
    {
        string name = Some.ShmName();
        string osName = "/" + name;
        SafeSemaphoreHandle handle = Interop.Libc.SemOpen(osName, Interop.OpenFlags.O_CREAT | Interop.OpenFlags.O_EXCL, Interop.OpenFlags.Mode0600, 3);
        try
        {
            Assert.False(handle.IsInvalid, $"sem_open failed: errno {Marshal.GetLastPInvokeError()}");
            Assert.Equal(0, Interop.Libc.SemGetValue(handle.DangerousGetHandle(), out int value));
            Assert.Equal(3, value);
        }
        finally
        {
            handle.Dispose();
            Interop.Libc.SemUnlink(osName);
        }
    }

    [Fact]
    public void Post_wait_and_timeout_behave()
    {
        string name = Some.ShmName();
        string osName = NamedSemaphore.FreedName(name);
        using NamedSemaphore semaphore = NamedSemaphore.TryCreateNew(osName, name)!;
        try
        {
            Assert.False(semaphore.TryWait());
            semaphore.Post();
            semaphore.Post();
            Assert.Equal(2, semaphore.Value);
            Assert.True(semaphore.Wait(TimeSpan.Zero));
            Assert.True(semaphore.Wait(TimeSpan.FromSeconds(1)));

            var watch = System.Diagnostics.Stopwatch.StartNew();
            Assert.False(semaphore.Wait(TimeSpan.FromMilliseconds(150)));
            Assert.InRange(watch.ElapsedMilliseconds, 100, 2000);
        }
        finally
        {
            NamedSemaphore.Unlink(osName);
        }
    }

    [Fact]
    public void Opening_a_missing_semaphore_returns_null()
    {
        string name = Some.ShmName();
        Assert.Null(NamedSemaphore.TryOpen(NamedSemaphore.WrittenName(name), name));
        Assert.False(NamedSemaphore.Unlink(NamedSemaphore.WrittenName(name)));
    }
}
