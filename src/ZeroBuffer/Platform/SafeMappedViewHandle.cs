using System.Runtime.InteropServices;

namespace ZeroBuffer.Platform;

/// <summary>An mmap'ed view and its length. Releasing calls munmap.</summary>
internal sealed class SafeMappedViewHandle : SafeHandle
{
    internal SafeMappedViewHandle(nint address, nuint length)
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
        SetHandle(address);
        Length = length;
    }

    internal nuint Length { get; }

    public override bool IsInvalid => handle == -1 || handle == 0;

    protected override bool ReleaseHandle() => Interop.Libc.MUnmap(handle, Length) == 0;
}
