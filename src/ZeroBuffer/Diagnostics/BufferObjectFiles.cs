using ZeroBuffer.Platform;

namespace ZeroBuffer.Diagnostics;

/// <summary>One of a buffer's OS objects as a Linux file: <paramref name="Mode"/> is its permission bits (null when it does not exist).</summary>
public sealed record BufferObjectFile(string Kind, string Path, bool Exists, UnixFileMode? Mode);

/// <summary>
/// A buffer's OS objects as files, at the paths PROTOCOL.md §1 gives them on Linux (spelled out here
/// rather than asked of the library's own naming code, so a test sees whether the library follows them).
/// </summary>
public static class BufferObjectFiles
{
    private const string ShmDirectory = "/dev/shm";

    /// <summary>Permission bits of a mode (what chmod sets), without file type, setuid/setgid or sticky.</summary>
    public const UnixFileMode PermissionBits = (UnixFileMode)0x1FF;

    /// <summary>The shm, sem-w, sem-r and lock file of <paramref name="name"/>, in that order.</summary>
    /// <exception cref="PlatformNotSupportedException">On Windows, where the objects are no files.</exception>
    public static IReadOnlyList<BufferObjectFile> Of(string name)
    {
        BufferNames.Validate(name);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Buffer objects are files only on Linux (PROTOCOL.md §1).");
        }

        return
        [
            Describe("shared memory", Path.Combine(ShmDirectory, name)),
            Describe("sem-w", Path.Combine(ShmDirectory, "sem.sem-w-" + name)),
            Describe("sem-r", Path.Combine(ShmDirectory, "sem.sem-r-" + name)),
            Describe("lock file", LockDirectory.LockFilePath(name)),
        ];
    }

    /// <summary>
    /// Every entry of /dev/shm and the lock directory whose file name contains <paramref name="fragment"/>.
    /// The fragment is not validated: this is how a test shows an invalid name reached no OS call.
    /// </summary>
    public static IReadOnlyList<string> NamedAfter(string fragment)
    {
        var found = new List<string>();
        foreach (string directory in (string[])[ShmDirectory, LockDirectory.Path])
        {
            if (!Directory.Exists(directory))
            {
                continue;
            }

            found.AddRange(Directory.EnumerateFileSystemEntries(directory)
                .Where(path => Path.GetFileName(path).Contains(fragment, StringComparison.Ordinal)));
        }

        return found;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static BufferObjectFile Describe(string kind, string path)
    {
        // A missing file throws; nothing is created or opened for writing.
        try
        {
            return new BufferObjectFile(kind, path, true, File.GetUnixFileMode(path) & PermissionBits);
        }
        catch (FileNotFoundException)
        {
            return new BufferObjectFile(kind, path, false, null);
        }
        catch (DirectoryNotFoundException)
        {
            return new BufferObjectFile(kind, path, false, null);
        }
    }
}
