using System.Runtime.InteropServices;

namespace ZeroBuffer.Serve.Hosting;

/// <summary>
/// Notices that the process which started this worker has died (WORKER-PROTOCOL.md "Liveness"):
/// the worker is then re-parented, so <c>getppid()</c> changes. Polled on a thread of its own, so
/// neither a blocked step nor a blocked stdin read can delay it. Also reports, at every poll, that
/// the input has something to read (a request, or its end): the thread that reads it may be busy
/// running a step, and a <c>$/cancelRequest</c> or the end of the input must still be seen.
/// </summary>
internal sealed partial class ParentWatch : IDisposable
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly CancellationTokenSource _died = new();
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;

    private const short PollIn = 0x1;           // POLLIN: data to read
    private const short PollHangUp = 0x10;      // POLLHUP: a pipe whose writer is gone
    private const short PollInvalid = 0x20;     // POLLNVAL
    private const short PollPeerClosed = 0x2000; // POLLRDHUP: a socket whose peer shut down writing

    private readonly int? _inputFd;
    private readonly Action? _onInputWaiting;

    /// <param name="inputFd">The descriptor to watch; none when null.</param>
    /// <param name="onInputWaiting">Called at each poll while <paramref name="inputFd"/> has data or has hung up.</param>
    public ParentWatch(int? inputFd = null, Action? onInputWaiting = null)
    {
        _inputFd = onInputWaiting is null ? null : inputFd;
        _onInputWaiting = onInputWaiting;
        ParentPid = GetParentPid();
        _thread = new Thread(Watch) { IsBackground = true, Name = "parent watch" };
        _thread.Start();
    }

    /// <summary>The parent at start; 1 (init) means there is no parent left to watch.</summary>
    public int ParentPid { get; }

    /// <summary>Cancelled when the parent has died.</summary>
    public CancellationToken Died => _died.Token;

    /// <summary>
    /// Stops the watch. Neither joins the thread nor disposes what it uses: the exit may itself be
    /// running on that thread (it ran the cancellation's continuations).
    /// </summary>
    public void Dispose() => _stop.Set();

    private void Watch()
    {
        while (!_stop.Wait(PollInterval))
        {
            if (GetParentPid() != ParentPid)
            {
                _died.Cancel();
                return;
            }

            if (_inputFd is { } fd && IsWaiting(fd))
            {
                _onInputWaiting!();
            }
        }
    }

    private static unsafe bool IsWaiting(int fd)
    {
        var watched = new PollFd { Fd = fd, Events = PollIn | PollPeerClosed };
        return Poll(&watched, 1, 0) == 1 && (watched.Revents & (PollIn | PollHangUp | PollPeerClosed | PollInvalid)) != 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "poll")]
    private static unsafe partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentPid();
}
