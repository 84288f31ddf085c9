using System.Diagnostics;
using System.Runtime.InteropServices;
using ZeroBuffer.Platform;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests.Platform;

/// <summary>sem_timedwait fails with EINTR when a signal with a handler arrives; waits must go on.</summary>
[Collection(ZeroBufferCollection.Name)]
public sealed partial class SignalInterruptionTests
{
    private const int SIGWINCH = 28;

    // Only a signal with a handler interrupts a system call; registering one makes the runtime install it.
    private static readonly PosixSignalRegistration Handler = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => { });

    [Fact]
    public void A_wait_interrupted_by_signals_still_times_out_on_schedule()
    {
        string name = Some.ShmName();
        string osName = NamedSemaphore.WrittenName(name);
        using NamedSemaphore semaphore = NamedSemaphore.TryCreateNew(osName, name)!;
        try
        {
            GC.KeepAlive(Handler);
            long interruptedBefore = NamedSemaphore.InterruptedWaits;
            bool? result = null;
            long elapsed = 0;
            ulong waiter = 0;
            using var started = new ManualResetEventSlim();
            var thread = new Thread(() =>
            {
                waiter = PthreadSelf();
                started.Set();
                var watch = Stopwatch.StartNew();
                result = semaphore.Wait(TimeSpan.FromMilliseconds(600));
                elapsed = watch.ElapsedMilliseconds;
            });
            thread.Start();
            started.Wait();
            // Signal until a wait was seen interrupted (or the waiter ended), each pause ending early
            // when the thread exits: no fixed sleep decides the outcome.
            InterruptUntilSeen(thread, waiter, interruptedBefore, maxSignals: 10);

            thread.Join();
            Assert.False(result);
            Assert.InRange(elapsed, 550, 5000);
            Assert.True(NamedSemaphore.InterruptedWaits > interruptedBefore, "no signal interrupted the wait; the test proved nothing");
        }
        finally
        {
            NamedSemaphore.Unlink(osName);
        }
    }

    [Fact]
    public void A_wait_interrupted_by_signals_still_gets_the_post()
    {
        string name = Some.ShmName();
        string osName = NamedSemaphore.WrittenName(name);
        using NamedSemaphore semaphore = NamedSemaphore.TryCreateNew(osName, name)!;
        try
        {
            GC.KeepAlive(Handler);
            long interruptedBefore = NamedSemaphore.InterruptedWaits;
            bool? result = null;
            ulong waiter = 0;
            using var started = new ManualResetEventSlim();
            var thread = new Thread(() =>
            {
                waiter = PthreadSelf();
                started.Set();
                result = semaphore.Wait(TimeSpan.FromSeconds(5));
            });
            thread.Start();
            started.Wait();
            InterruptUntilSeen(thread, waiter, interruptedBefore, maxSignals: 50);

            semaphore.Post();
            thread.Join();
            Assert.True(result);
            Assert.True(NamedSemaphore.InterruptedWaits > interruptedBefore, "no signal interrupted the wait; the test proved nothing");
        }
        finally
        {
            NamedSemaphore.Unlink(osName);
        }
    }

    private static void InterruptUntilSeen(Thread thread, ulong waiter, long interruptedBefore, int maxSignals)
    {
        for (int i = 0; i < maxSignals && NamedSemaphore.InterruptedWaits <= interruptedBefore; i++)
        {
            if (thread.Join(20))
            {
                return;
            }

            PthreadKill(waiter, SIGWINCH);
        }
    }

    [LibraryImport("libc", EntryPoint = "pthread_self")]
    private static partial ulong PthreadSelf();

    [LibraryImport("libc", EntryPoint = "pthread_kill")]
    private static partial int PthreadKill(ulong thread, int signal);
}
