using Microsoft.Extensions.Logging;
using ZeroBuffer.Diagnostics;

namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>What one race ended with: attempts won and lost, and every attempt that did neither.</summary>
public sealed record RaceResult(int Attempts, int Wins, int Losses, IReadOnlyList<string> Failures);

/// <summary>
/// A reader that tries, on a thread of its own, to create the same buffer over and over while other
/// racers do the same (STEPS.md "starts racing"): it starts on a shared wall-clock instant, and each
/// attempt must either own the buffer alone or get <c>ReaderAlreadyConnected</c>.
/// </summary>
public sealed class CreateRace
{
    /// <summary>Racers in other processes start together on the next boundary of this period.</summary>
    private static readonly TimeSpan StartGrid = TimeSpan.FromMilliseconds(100);

    /// <summary>The start boundary is at least this far ahead, so a racer started a little later still makes it.</summary>
    private static readonly TimeSpan StartLead = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Attempt i starts at start + (i - 1) × this period (at once when running late), the same grid in
    /// every racer, so the racers' attempts meet: a loss takes microseconds and a win (create, check,
    /// hold, remove) milliseconds, so unpaced, the loser would spend all its attempts while the winner
    /// holds the buffer once, and never win (STEPS.md).
    /// </summary>
    private static readonly TimeSpan AttemptGrid = TimeSpan.FromMilliseconds(5);

    private static readonly TimeSpan HoldTime = TimeSpan.FromMilliseconds(1);

    private const int MetadataSize = 1024;
    private const int PayloadSize = 10240;

    private readonly CancellationTokenSource _cancellation;

    private CreateRace(string buffer, int attempts, string role, CancellationToken scenario, ILogger logger)
    {
        Buffer = buffer;
        Attempts = attempts;
        Role = role;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(scenario);
        CancellationToken token = _cancellation.Token;
        Task = System.Threading.Tasks.Task.Factory.StartNew(() => Run(token, logger), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public string Buffer { get; }

    public int Attempts { get; }

    /// <summary>The <c>process</c> of the step that started the race.</summary>
    public string Role { get; }

    public Task<RaceResult> Task { get; }

    public string Describe() => $"race to create '{Buffer}' {Attempts} times";

    public static CreateRace Start(string buffer, int attempts, string role, CancellationToken scenario, ILogger logger) =>
        new(buffer, attempts, role, scenario, logger);

    public void Cancel() => _cancellation.Cancel();

    /// <summary>The first <see cref="StartGrid"/> boundary of the wall clock at least <see cref="StartLead"/> ahead.</summary>
    public static DateTimeOffset StartInstant(DateTimeOffset now) => NextBoundary(now + StartLead, StartGrid);

    /// <summary>The first boundary of <paramref name="grid"/> (counted from the Unix epoch) at or after <paramref name="earliest"/>.</summary>
    public static DateTimeOffset NextBoundary(DateTimeOffset earliest, TimeSpan grid)
    {
        long ms = earliest.ToUnixTimeMilliseconds();
        long step = (long)grid.TotalMilliseconds;
        return DateTimeOffset.FromUnixTimeMilliseconds((ms + step - 1) / step * step);
    }

    private RaceResult Run(CancellationToken token, ILogger logger)
    {
        DateTimeOffset start = StartInstant(DateTimeOffset.UtcNow);
        WaitUntil(start, token);

        logger.LogInformation("Race: {Race} starts at {Start:HH:mm:ss.fff}", Describe(), start);
        int wins = 0;
        int losses = 0;
        var failures = new List<string>();
        for (int attempt = 1; attempt <= Attempts; attempt++)
        {
            WaitUntil(start + (attempt - 1) * AttemptGrid, token);
            switch (TryOnce(attempt, out string? failure))
            {
                case Attempt.Won:
                    wins++;
                    break;
                case Attempt.Lost:
                    losses++;
                    break;
                default:
                    failures.Add(failure!);
                    break;
            }
        }

        logger.LogInformation("Race: {Race} ended with {Wins} wins, {Losses} losses, {Failures} failures", Describe(), wins, losses, failures.Count);
        return new RaceResult(Attempts, wins, losses, failures);
    }

    /// <summary>Sleeps until <paramref name="instant"/> of the wall clock (CLOCK_REALTIME, which racers in other processes share).</summary>
    private static void WaitUntil(DateTimeOffset instant, CancellationToken token)
    {
        TimeSpan wait = instant - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero && token.WaitHandle.WaitOne(wait))
        {
            token.ThrowIfCancellationRequested();
        }

        token.ThrowIfCancellationRequested();
    }

    private enum Attempt
    {
        Won,
        Lost,
        Failed,
    }

    /// <summary>One attempt; <paramref name="failure"/> says what went wrong when it neither won nor lost.</summary>
    private Attempt TryOnce(int attempt, out string? failure)
    {
        failure = null;
        Reader reader;
        try
        {
            reader = new Reader(Buffer, new BufferConfig(MetadataSize, PayloadSize));
        }
        catch (ReaderAlreadyConnectedException)
        {
            return Attempt.Lost;
        }
        catch (Exception ex)
        {
            failure = $"attempt {attempt}: {ErrorKinds.Of(ex)}: {ex.Message}";
            return Attempt.Failed;
        }

        using (reader)
        {
            try
            {
                ulong readerPid = BufferInspector.Inspect(Buffer).ReaderPid;
                if (readerPid != (ulong)Environment.ProcessId)
                {
                    failure = $"attempt {attempt}: won, but the OIEB's reader_pid is {readerPid}, not this process ({Environment.ProcessId}).";
                    return Attempt.Failed;
                }

                if (!BufferInspector.IsLockFileHeld(Buffer))
                {
                    failure = $"attempt {attempt}: won, but nobody holds the lock file.";
                    return Attempt.Failed;
                }
            }
            catch (ZeroBufferException ex)
            {
                failure = $"attempt {attempt}: won, but the buffer is half-made: {ErrorKinds.Of(ex)}: {ex.Message}";
                return Attempt.Failed;
            }

            Thread.Sleep(HoldTime);
        }

        return Attempt.Won;
    }
}
