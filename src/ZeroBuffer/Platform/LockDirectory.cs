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

    internal const UnixFileMode SharedMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute |
        UnixFileMode.StickyBit;

    internal static string LockFilePath(string bufferName) => System.IO.Path.Combine(Path, bufferName + Extension);

    internal static void EnsureExists(string bufferName)
    {
        string path = Path;
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
                return;
            }

            if (Directory.Exists(path))
            {
                return;
            }

            // Shared by every user's readers: whoever creates it makes it 1777 (sticky, like /tmp).
            // The mode is set after creating, so the umask takes nothing away (PROTOCOL.md §5).
            Directory.CreateDirectory(path);
            try
            {
                File.SetUnixFileMode(path, SharedMode);
            }
            catch (UnauthorizedAccessException)
            {
                // Another user's process created it at the same moment; setting the mode is theirs.
            }
        }
        catch (UnauthorizedAccessException e)
        {
            throw new PermissionDeniedException($"Cannot create the lock directory '{path}' for buffer '{bufferName}': {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new SystemErrorException($"Cannot create the lock directory '{path}' for buffer '{bufferName}': {e.Message}", e);
        }
    }
}
