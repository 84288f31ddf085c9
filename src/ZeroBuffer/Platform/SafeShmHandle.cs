using System.Runtime.InteropServices;

namespace ZeroBuffer.Platform;

/// <summary>The file descriptor of a shared-memory object. Releasing closes it; unlinking is the owner's call.</summary>
internal sealed class SafeShmHandle : SafeHandle
{
    internal SafeShmHandle(int fd)
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
        SetHandle(fd);
    }

    public override bool IsInvalid => handle == -1;

    protected override bool ReleaseHandle() => Interop.Libc.Close(handle) == 0;
}
