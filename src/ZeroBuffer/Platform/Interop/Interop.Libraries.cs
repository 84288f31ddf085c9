namespace ZeroBuffer.Platform;

internal static partial class Interop
{
    internal static class Libraries
    {
        // glibc >= 2.34 exports shm_open/sem_open from libc itself (librt is an empty stub kept for
        // old binaries). On an older glibc change this one name to "librt.so.1"; nothing else moves.
        internal const string Libc = "libc";
    }
}
