namespace ZeroBuffer.Tool.Bench.Interop;

internal static partial class Interop
{
    internal static class Libraries
    {
        // glibc >= 2.34 exports the sem_* functions from libc itself; the runtime maps "libc" to libc.so.6.
        internal const string Libc = "libc";
    }
}
