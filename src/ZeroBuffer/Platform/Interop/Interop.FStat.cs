using System.Runtime.InteropServices;

namespace ZeroBuffer.Platform;

internal static partial class Interop
{
    /// <summary>
    /// The few <c>struct stat</c> fields we need. glibc's layout differs between CPUs, but st_dev (0),
    /// st_ino (8) and st_size (48) sit at the same offsets on x86_64 and arm64, the targets we support.
    /// </summary>
    internal readonly record struct FileStatus(ulong Device, ulong Inode, long Size);

    internal static partial class Libc
    {
        private const int StatBufferSize = 256; // larger than struct stat on every 64-bit Linux ABI

        [LibraryImport(Libraries.Libc, EntryPoint = "fstat", SetLastError = true)]
        private static unsafe partial int FStatRaw(SafeHandle fd, byte* buffer);

        [LibraryImport(Libraries.Libc, EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static unsafe partial int StatRaw(string path, byte* buffer);

        internal static unsafe int FStat(SafeHandle fd, out FileStatus status)
        {
            byte* buffer = stackalloc byte[StatBufferSize];
            int result = FStatRaw(fd, buffer);
            status = result == 0 ? Parse(buffer) : default;
            return result;
        }

        internal static unsafe int Stat(string path, out FileStatus status)
        {
            byte* buffer = stackalloc byte[StatBufferSize];
            int result = StatRaw(path, buffer);
            status = result == 0 ? Parse(buffer) : default;
            return result;
        }

        private static unsafe FileStatus Parse(byte* buffer) =>
            new(*(ulong*)buffer, *(ulong*)(buffer + 8), *(long*)(buffer + 48));
    }
}
