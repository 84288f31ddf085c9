using ZeroBuffer.Serve.Steps;

namespace ZeroBuffer.Serve.Tests.Steps;

public sealed class InlineStepsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>Runs <paramref name="body"/> on a new thread that has entered reading; completes with what it returns.</summary>
    private static Task<T> OnReadingThread<T>(InlineSteps steps, Func<T> body)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            steps.EnterReading();
            try
            {
                done.SetResult(body());
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        }) { IsBackground = true }.Start();
        return done.Task;
    }

    [Fact]
    public async Task A_step_started_on_the_reading_thread_runs_there_at_its_next_turn_and_its_caller_resumes_there()
    {
        var steps = new InlineSteps();
        var threads = new StepThreads(steps);

        var (stepThread, resumedOn, readerThread) = await OnReadingThread(steps, () =>
        {
            int? ranOn = null;
            Task<object?> run = threads.Run(() => ranOn = Environment.CurrentManagedThreadId);
            int? resumed = null;
            _ = run.ContinueWith(_ => resumed = Environment.CurrentManagedThreadId, TaskContinuationOptions.ExecuteSynchronously);

            Assert.False(run.IsCompleted); // recorded, not run: the caller sets up its wait first
            Assert.True(steps.RunDeferred());
            Assert.True(run.IsCompletedSuccessfully);
            return (ranOn, resumed, Environment.CurrentManagedThreadId);
        }).WaitAsync(Patience);

        Assert.Equal(readerThread, stepThread);
        Assert.Equal(readerThread, resumedOn);
        Assert.Equal(0, threads.Started);
    }

    [Fact]
    public async Task A_step_started_off_the_reading_thread_goes_to_a_step_thread()
    {
        var steps = new InlineSteps();
        var threads = new StepThreads(steps);

        Assert.Equal(7, await threads.Run(() => 7).WaitAsync(Patience));
        Assert.Equal(1, threads.Started);
    }

    [Fact]
    public async Task Only_one_step_at_a_time_waits_for_the_reading_thread()
    {
        var steps = new InlineSteps();
        var threads = new StepThreads(steps);

        (object? first, object? second) = await OnReadingThread(steps, () =>
        {
            Task<object?> a = threads.Run(() => "inline");
            Task<object?> b = threads.Run(() => "step thread");
            object? other = b.WaitAsync(Patience).GetAwaiter().GetResult(); // runs without the reading thread's turn
            steps.RunDeferred();
            return (a.Result, other);
        }).WaitAsync(Patience);

        Assert.Equal("inline", first);
        Assert.Equal("step thread", second);
        Assert.Equal(1, threads.Started);
    }

    [Fact]
    public async Task Abandoning_the_running_step_starts_another_reader_and_the_old_one_stops_reading_once_it_returns()
    {
        var steps = new InlineSteps();
        var threads = new StepThreads(steps);
        using var readerStarted = new SemaphoreSlim(0);
        steps.StartReader = () => readerStarted.Release();
        using var release = new ManualResetEventSlim();
        var started = new TaskCompletionSource<Task<object?>>(TaskCreationOptions.RunContinuationsAsynchronously);

        Task<bool> oldReader = OnReadingThread(steps, () =>
        {
            Task<object?> run = threads.Run(() => release.Wait(Patience));
            started.SetResult(run);
            return steps.RunDeferred();
        });
        Task<object?> blocked = await started.Task.WaitAsync(Patience);
        await Task.Delay(50); // let the reader enter the step

        steps.Abandon(blocked);

        Assert.True(await readerStarted.WaitAsync(Patience));
        Assert.False(oldReader.IsCompleted);
        release.Set();
        Assert.False(await oldReader.WaitAsync(Patience)); // reading was handed over
        Assert.Equal(true, await blocked.WaitAsync(Patience));
        Assert.True(await OnReadingThread(steps, steps.RunDeferred).WaitAsync(Patience)); // the new reader reads on
    }

    [Fact]
    public async Task A_step_abandoned_before_its_turn_never_runs()
    {
        var steps = new InlineSteps();
        var threads = new StepThreads(steps);
        bool ran = false;

        Task<object?> run = await OnReadingThread(steps, () =>
        {
            Task<object?> deferred = threads.Run(() => ran = true);
            steps.Abandon(deferred);
            steps.RunDeferred();
            return deferred;
        }).WaitAsync(Patience);

        Assert.True(run.IsCanceled);
        Assert.False(ran);
    }

    [Fact]
    public async Task Waiting_input_hands_reading_over_only_while_a_step_runs_on_the_reading_thread()
    {
        var steps = new InlineSteps();
        var threads = new StepThreads(steps);
        int readersStarted = 0;
        steps.StartReader = () => Interlocked.Increment(ref readersStarted);

        steps.InputWaiting(); // nothing runs: the reader is reading already
        Assert.Equal(0, readersStarted);

        bool stillReading = await OnReadingThread(steps, () =>
        {
            threads.Run(() =>
            {
                steps.InputWaiting();
                return null;
            });
            return steps.RunDeferred();
        }).WaitAsync(Patience);

        Assert.Equal(1, readersStarted);
        Assert.False(stillReading);
    }
}
