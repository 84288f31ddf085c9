using Harmony.Orchestrator.Planning;
using Harmony.Orchestrator.Workers;

namespace Harmony.Orchestrator.Execution;

/// <summary>
/// What a "a new '&lt;role&gt;' process is started as user … / with a private /dev/shm …" step needs: the wrapper
/// command for the new worker, or why this run cannot start it (not root, same-process mode, unknown user).
/// </summary>
/// <param name="Wrapper">The command prefix (<see cref="LaunchWrappers"/>); null when <paramref name="Refusal"/> is set.</param>
/// <param name="Refusal">Why the step fails before anything is started, or null.</param>
/// <param name="Description">How the worker is started, for logs and failure messages ("as user 'nobody'").</param>
internal sealed record WrappedStart(string Role, IReadOnlyList<string>? Wrapper, string? Refusal, string Description)
{
    /// <param name="isRoot">Whether harmony runs as root (<see cref="Environment.IsPrivilegedProcess"/>).</param>
    /// <param name="passwd">The lines of /etc/passwd, read only for a user step.</param>
    public static WrappedStart For(StepAction action, RunMode mode, bool isRoot, Func<IEnumerable<string>> passwd)
    {
        var (role, description) = action switch
        {
            StartRoleAsUser u => (u.Role, $"as user '{u.User}'"),
            StartRoleWithPrivateShm s => (s.Role, s.Files is { } f ? $"with a private /dev/shm of {s.SizeKb} KB and {f} files" : $"with a private /dev/shm of {s.SizeKb} KB"),
            _ => throw new ArgumentException($"not a wrapped start step: {action}", nameof(action)),
        };
        if (mode == RunMode.SameProcess)
        {
            return Refuse($"a new '{role}' process cannot be started {description} in same-process mode (every role shares one worker): tag the scenario @separate-process");
        }
        if (!isRoot)
        {
            return Refuse($"starting the '{role}' worker {description} needs root, and harmony does not run as root: run it as root, or leave @privileged scenarios off");
        }
        if (action is StartRoleAsUser user)
        {
            return LaunchWrappers.PrimaryGroupOf(user.User, passwd()) is { } gid
                ? new(role, LaunchWrappers.AsUser(user.User, gid), null, description)
                : Refuse($"cannot start the '{role}' worker {description}: there is no user '{user.User}' in /etc/passwd");
        }
        var shm = (StartRoleWithPrivateShm)action;
        return new(role, LaunchWrappers.PrivateDevShm(shm.SizeKb, shm.Files), null, description);

        WrappedStart Refuse(string why) => new(role, null, why, description);
    }

    /// <summary>What to add to a start failure: a worker running as another user must be able to reach its files.</summary>
    public string StartFailureHint => Description.StartsWith("as user", StringComparison.Ordinal)
        ? $" (started {Description}: the worker's command, its working directory and every file it loads must be readable and executable by that user; a checkout or runtime under a private home such as /root is not)"
        : $" (started {Description}: needs util-linux unshare and mount)";
}
