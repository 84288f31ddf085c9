using System.Runtime.InteropServices;

namespace ZeroBuffer.Serve.Hosting;

/// <summary>
/// Notices that the process which started this worker has died (WORKER-PROTOCOL.md "Liveness"):
/// the worker is then re-parented, so <c>getppid()</c> changes. Polled on a thread of its own, so
/// neither a blocked step nor a blocked stdin read can delay it.
/// </summary>
internal sealed partial class ParentWatch : IDisposable
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly CancellationTokenSource _died = new();
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;

    public ParentWatch()
    {
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
        }
    }

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentPid();
}
