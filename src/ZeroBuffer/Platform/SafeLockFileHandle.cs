using System.Runtime.InteropServices;

namespace ZeroBuffer.Platform;

/// <summary>The file descriptor of a lock file. Closing it also drops the flock held through it.</summary>
internal sealed class SafeLockFileHandle : SafeHandle
{
    internal SafeLockFileHandle(int fd)
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
        SetHandle(fd);
    }

    public override bool IsInvalid => handle == -1;

    protected override bool ReleaseHandle() => Interop.Libc.Close(handle) == 0;
}
