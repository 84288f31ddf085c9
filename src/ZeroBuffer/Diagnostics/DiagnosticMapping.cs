using ZeroBuffer.Layout;
using ZeroBuffer.Platform;

namespace ZeroBuffer.Diagnostics;

/// <summary>How every diagnostics call maps a buffer by name: validated, existing and holding an OIEB.</summary>
internal static unsafe class DiagnosticMapping
{
    /// <param name="name">The buffer's name.</param>
    /// <param name="writable">Map it for writing (the editor) or read-only (the inspector).</param>
    /// <param name="mapLimit">How much of the object to map (the OIEB alone when that is all the caller reads).</param>
    /// <exception cref="InvalidBufferNameException">The name breaks the naming rule.</exception>
    /// <exception cref="BufferNotFoundException">No such buffer, or it is too small to hold an OIEB yet.</exception>
    public static SharedMemory Open(string name, bool writable, long mapLimit = long.MaxValue)
    {
        BufferNames.Validate(name);
        SharedMemory shm = SharedMemory.TryOpen(name, writable, minimumSize: Oieb.Size, mapLimit: mapLimit)
            ?? throw new BufferNotFoundException($"Buffer '{name}' does not exist.", name);
        if (shm.Pointer == null)
        {
            shm.Dispose();
            throw new BufferNotFoundException($"Buffer '{name}' exists but holds only {shm.FileSize} bytes (its reader is still creating it).", name);
        }

        return shm;
    }
}
