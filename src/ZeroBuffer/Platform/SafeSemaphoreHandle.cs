using System.Runtime.InteropServices;

namespace ZeroBuffer.Platform;

/// <summary>A <c>sem_t*</c> from sem_open (glibc's SEM_FAILED is NULL). Releasing calls sem_close.</summary>
internal sealed class SafeSemaphoreHandle : SafeHandle
{
    public SafeSemaphoreHandle()
        : base(invalidHandleValue: 0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle() => Interop.Libc.SemClose(handle) == 0;
}
