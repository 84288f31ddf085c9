namespace ZeroBuffer.Platform;

/// <summary>Where lock files live: $ZEROBUFFER_LOCK_DIR, else /tmp/zerobuffer (PROTOCOL.md §1).</summary>
internal static class LockDirectory
{
    internal const string EnvironmentVariable = "ZEROBUFFER_LOCK_DIR";
    internal const string DefaultPath = "/tmp/zerobuffer";
    internal const string Extension = ".lock";

    /// <summary>Read on every use so a process (or a test) can change it.</summary>
    internal static string Path
    {
        get
        {
            string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
            return string.IsNullOrEmpty(configured) ? DefaultPath : configured;
        }
    }

    internal static string LockFilePath(string bufferName) => System.IO.Path.Combine(Path, bufferName + Extension);

    internal static void EnsureExists(string bufferName)
    {
        string path = Path;
        try
        {
            // Shared by every user's readers, hence world-writable with the sticky bit (like /tmp);
            // the process umask still applies.
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
                return;
            }

            Directory.CreateDirectory(
                path,
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute |
                UnixFileMode.StickyBit);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new PermissionDeniedException($"Cannot create the lock directory '{path}' for buffer '{bufferName}': {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new ZeroBufferException($"Cannot create the lock directory '{path}' for buffer '{bufferName}': {e.Message}", e);
        }
    }
}
