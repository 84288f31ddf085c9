using Microsoft.Win32.SafeHandles;

namespace ZeroBuffer.Tool.Bench.Interop;

/// <summary>A <c>sem_t*</c> from <c>sem_open</c>; releasing it only closes (unlinking is the owner's call).</summary>
internal sealed class SafeSemaphoreHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeSemaphoreHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => Interop.Libc.SemClose(handle) == 0;
}
