using ZeroBuffer.Serve.Steps;

namespace ZeroBuffer.Serve.Tests.Steps;

public sealed class StepThreadsTests
{
    [Fact]
    public async Task Steps_one_after_another_reuse_one_thread_that_is_not_the_pools()
    {
        var threads = new StepThreads();

        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(false, await threads.Run(() => Thread.CurrentThread.IsThreadPoolThread));
        }

        Assert.Equal(1, threads.Started);
    }

    [Fact]
    public async Task A_blocked_step_keeps_its_thread_and_the_next_gets_another()
    {
        var threads = new StepThreads();
        using var release = new ManualResetEventSlim();
        Task<object?> blocked = threads.Run(() => release.Wait(TimeSpan.FromSeconds(30)));

        Assert.Equal(7, await threads.Run(() => 7).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(blocked.IsCompleted);
        Assert.Equal(2, threads.Started);

        release.Set();
        Assert.Equal(true, await blocked);
    }

    [Fact]
    public async Task Two_steps_issued_at_once_while_one_thread_idles_never_queue_behind_a_blocked_one()
    {
        var threads = new StepThreads();
        await threads.Run(() => 0); // leaves one idle thread

        for (int i = 0; i < 20; i++)
        {
            using var release = new ManualResetEventSlim();
            // Issued back to back: the idle thread has not picked up the first when the second arrives.
            Task<object?> blocked = threads.Run(() => release.Wait(TimeSpan.FromSeconds(30)));
            Task<object?> quick = threads.Run(() => 7);

            Assert.Equal(7, await quick.WaitAsync(TimeSpan.FromSeconds(10)));
            release.Set();
            Assert.Equal(true, await blocked.WaitAsync(TimeSpan.FromSeconds(10)));
        }
    }

    [Fact]
    public async Task What_the_step_throws_faults_its_task()
    {
        var threads = new StepThreads();

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => threads.Run(() => throw new InvalidOperationException("boom")));

        Assert.Equal("boom", thrown.Message);
        Assert.Equal(3, await threads.Run(() => 3));
    }

    [Fact]
    public async Task The_awaiting_code_continues_on_the_step_thread_and_a_step_issued_there_still_runs()
    {
        var threads = new StepThreads();

        (int step, int resumed, int next) = await AwaitTwoSteps(threads);

        // No hop to the pool: the reply of a quick step is written by the thread that ran it.
        Assert.Equal(step, resumed);
        // That thread is idle already: the next step is handed to it and runs once the awaiting code awaits.
        Assert.Equal(step, next);
        Assert.Equal(1, threads.Started);
    }

    /// <summary>ConfigureAwait(false), as the RPC code awaits a step (a test method may not).</summary>
    private static async Task<(int Step, int Resumed, int Next)> AwaitTwoSteps(StepThreads threads)
    {
        // The step outlasts the await's set-up, so the continuation is attached before the result.
        int step = (int)(await threads.Run(() =>
        {
            Thread.Sleep(100);
            return Environment.CurrentManagedThreadId;
        }).ConfigureAwait(false))!;
        int resumed = Environment.CurrentManagedThreadId;
        int next = (int)(await threads.Run(() => Environment.CurrentManagedThreadId).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false))!;
        return (step, resumed, next);
    }
}
