using Harmony.Orchestrator.Execution;
using Harmony.Orchestrator.Planning;
using Harmony.Orchestrator.Workers;

namespace Harmony.Orchestrator.Tests.Execution;

public class WrappedStartTests
{
    private static readonly string[] Passwd =
    [
        "root:x:0:0:root:/root:/bin/bash",
        "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin",
    ];

    [Fact]
    public void As_root_a_user_start_runs_the_worker_through_setpriv_with_the_users_primary_group()
    {
        var start = WrappedStart.For(new StartRoleAsUser("writer", "nobody"), RunMode.SeparateProcess, isRoot: true, () => Passwd);

        Assert.Null(start.Refusal);
        Assert.Equal("writer", start.Role);
        Assert.Equal(["setpriv", "--reuid=nobody", "--regid=65534", "--init-groups", "--", "sh", "-c", "exec \"$@\"", "harmony-as-user"], start.Wrapper);
        Assert.Contains("readable and executable by that user", start.StartFailureHint, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_as_root_the_step_fails_clearly_before_anything_starts()
    {
        var start = WrappedStart.For(new StartRoleAsUser("writer", "nobody"), RunMode.SeparateProcess, isRoot: false,
            () => throw new InvalidOperationException("passwd must not be read when the step is refused"));

        Assert.Null(start.Wrapper);
        Assert.Equal("starting the 'writer' worker as user 'nobody' needs root, and harmony does not run as root: run it as root, or leave @privileged scenarios off",
            start.Refusal);
    }

    [Fact]
    public void A_private_dev_shm_start_is_refused_without_root_too()
    {
        var start = WrappedStart.For(new StartRoleWithPrivateShm("reader", 12, null), RunMode.SeparateProcess, isRoot: false, () => Passwd);

        Assert.Null(start.Wrapper);
        Assert.Contains("with a private /dev/shm of 12 KB needs root", start.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_process_mode_cannot_give_one_role_its_own_process()
    {
        var start = WrappedStart.For(new StartRoleAsUser("writer", "nobody"), RunMode.SameProcess, isRoot: true, () => Passwd);

        Assert.Null(start.Wrapper);
        Assert.Contains("tag the scenario @separate-process", start.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_user_is_refused_naming_it()
    {
        var start = WrappedStart.For(new StartRoleAsUser("writer", "nosuchuser"), RunMode.SeparateProcess, isRoot: true, () => Passwd);

        Assert.Null(start.Wrapper);
        Assert.Contains("no user 'nosuchuser' in /etc/passwd", start.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_private_dev_shm_mounts_a_sized_tmpfs_counting_its_root_directory_as_an_inode()
    {
        var start = WrappedStart.For(new StartRoleWithPrivateShm("reader", 1024, 4), RunMode.SeparateProcess, isRoot: true, () => Passwd);

        Assert.Null(start.Refusal);
        Assert.Equal(
            ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
             "mount -t tmpfs -o size=1024k,mode=1777,nr_inodes=5 harmony-private-shm /dev/shm && exec \"$@\"", "harmony-private-shm"],
            start.Wrapper);
        Assert.Equal("mount -t tmpfs -o size=12k,mode=1777 harmony-private-shm /dev/shm && exec \"$@\"", LaunchWrappers.PrivateDevShm(12, null)[7]);
    }

    [Theory]
    [InlineData("nobody", 65534)]
    [InlineData("root", 0)]
    [InlineData("nobod", null)]
    public void The_primary_group_comes_from_the_fourth_passwd_field(string user, int? gid) =>
        Assert.Equal(gid, LaunchWrappers.PrimaryGroupOf(user, Passwd));
}
