using System.Globalization;

namespace Harmony.Orchestrator.Workers;

/// <summary>
/// Command prefixes for the orchestrator's "a new process is started as user / with a private /dev/shm" steps.
/// Each ends by exec-ing the worker's command line appended to it, so the worker keeps the wrapper's pid and
/// stdio. Both need root (ORCHESTRATION.md: <c>@privileged</c>).
/// </summary>
internal static class LaunchWrappers
{
    /// <summary>
    /// Runs as <paramref name="user"/> with its primary group and its supplementary groups (util-linux setpriv).
    /// The worker's command is looked up by a shell that already runs as the user: setpriv's own lookup was seen
    /// to pick a PATH entry the user cannot read (a pyenv shim under /root) instead of skipping it.
    /// </summary>
    public static IReadOnlyList<string> AsUser(string user, int primaryGroup) =>
        ["setpriv", $"--reuid={user}", $"--regid={primaryGroup.ToString(CultureInfo.InvariantCulture)}", "--init-groups", "--",
         "sh", "-c", "exec \"$@\"", "harmony-as-user"];

    /// <summary>
    /// Runs in a mount namespace of its own (util-linux unshare; private propagation, so nothing reaches the host)
    /// with a new tmpfs on /dev/shm: <paramref name="sizeKb"/> KB and, when given, room for
    /// <paramref name="files"/> files (tmpfs counts its root directory as one more inode).
    /// </summary>
    public static IReadOnlyList<string> PrivateDevShm(long sizeKb, long? files)
    {
        var options = $"size={sizeKb.ToString(CultureInfo.InvariantCulture)}k,mode=1777"
            + (files is { } n ? $",nr_inodes={(n + 1).ToString(CultureInfo.InvariantCulture)}" : "");
        return ["unshare", "--mount", "--propagation", "private", "--",
                "sh", "-c", $"mount -t tmpfs -o {options} harmony-private-shm /dev/shm && exec \"$@\"", "harmony-private-shm"];
    }

    /// <summary>The primary group id of <paramref name="user"/> from <paramref name="passwd"/> (/etc/passwd's format), or null.</summary>
    public static int? PrimaryGroupOf(string user, IEnumerable<string> passwd)
    {
        foreach (var line in passwd)
        {
            var fields = line.Split(':');
            if (fields.Length >= 4 && fields[0] == user && int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
            {
                return gid;
            }
        }
        return null;
    }
}
