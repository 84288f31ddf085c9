using System.Runtime.InteropServices;
using ZeroBuffer.Tool.Cli;

namespace ZeroBuffer.Tool.Bench.Interop;

/// <summary>
/// A named POSIX semaphore for the semaphore ping-pong baseline. The creating process owns the name
/// and unlinks it on dispose; the peer only opens and closes.
/// </summary>
internal sealed class BenchSemaphore : IDisposable
{
    private const uint OwnerOnly = 0x180; // 0600
    private readonly SafeSemaphoreHandle _handle;
    private readonly string _osName;
    private readonly bool _owner;

    private BenchSemaphore(SafeSemaphoreHandle handle, string osName, bool owner)
    {
        _handle = handle;
        _osName = osName;
        _owner = owner;
    }

    public static BenchSemaphore Create(string name) => OpenCore(name, Interop.Libc.OCreat | Interop.Libc.OExcl, owner: true);

    public static BenchSemaphore Open(string name) => OpenCore(name, 0, owner: false);

    public void Post()
    {
        if (Interop.Libc.SemPost(_handle) != 0)
        {
            throw Failure("sem_post");
        }
    }

    /// <summary>Waits for one post; returns false on timeout. Retries when a signal interrupts the wait.</summary>
    public unsafe bool Wait(TimeSpan timeout)
    {
        long deadlineTicks = DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks + timeout.Ticks;
        var deadline = new Interop.Libc.TimeSpec
        {
            Seconds = deadlineTicks / TimeSpan.TicksPerSecond,
            Nanoseconds = deadlineTicks % TimeSpan.TicksPerSecond * 100,
        };
        while (true)
        {
            if (Interop.Libc.SemTimedWait(_handle, &deadline) == 0)
            {
                return true;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno == Interop.Libc.ETimedOut)
            {
                return false;
            }

            if (errno != Interop.Libc.EIntr)
            {
                throw Failure("sem_timedwait", errno);
            }
        }
    }

    public void Dispose()
    {
        _handle.Dispose();
        if (_owner)
        {
            _ = Interop.Libc.SemUnlink(_osName);
        }
    }

    private static BenchSemaphore OpenCore(string name, int flags, bool owner)
    {
        string osName = "/" + name;
        SafeSemaphoreHandle handle = Interop.Libc.SemOpen(osName, flags, OwnerOnly, 0);
        if (handle.IsInvalid)
        {
            int errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            throw new ToolException(ToolException.OsError, $"sem_open('{osName}') failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        return new BenchSemaphore(handle, osName, owner);
    }

    private Exception Failure(string call) => Failure(call, Marshal.GetLastPInvokeError());

    private Exception Failure(string call, int errno) =>
        new ToolException(ToolException.OsError, $"{call}('{_osName}') failed: {Marshal.GetPInvokeErrorMessage(errno)}");
}
