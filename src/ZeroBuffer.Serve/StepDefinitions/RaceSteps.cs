using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ZeroBuffer.Serve.StepDefinitions.Support;
using ZeroBuffer.Serve.Steps;
using static ZeroBuffer.Serve.StepDefinitions.Phrases;

namespace ZeroBuffer.Serve.StepDefinitions;

/// <summary>Readers racing to create the same buffer (feature 03, test 3.2).</summary>
public sealed class RaceSteps(ZeroBufferContext context, ILogger<RaceSteps> logger)
{
    [When(Role + "starts racing to create buffer " + Name + " " + Count + " times")]
    public StepData StartRacing(string role, string name, int attempts)
    {
        if (attempts < 1)
        {
            throw new StepAssertionException("A race needs at least one attempt.");
        }

        CreateRace race = context.StartRace(name, attempts, role);
        logger.LogInformation("Started the {Race}", race.Describe());
        return new StepData { ["buffer"] = race.Buffer, ["attempts"] = attempts };
    }

    [Then(Role + "should finish racing within " + Count + " ms")]
    public async Task<StepData> ShouldFinishRacing(string role, int milliseconds, CancellationToken ct)
    {
        IReadOnlyList<CreateRace> races = context.Races;
        if (races.Count == 0)
        {
            throw new InvalidOperationException("No race was started in this worker: no 'starts racing to create buffer ...' step ran here.");
        }

        var clock = Stopwatch.StartNew();
        Task all = Task.WhenAll(races.Select(r => r.Task));
        try
        {
            await all.WaitAsync(TimeSpan.FromMilliseconds(milliseconds), ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new StepAssertionException($"Expected {races.Count} race(s) to finish within {milliseconds} ms, but {races.Count(r => !r.Task.IsCompleted)} are still running.");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            throw ErrorKinds.Background(ex, "A race failed");
        }

        var problems = new List<string>();
        foreach (CreateRace race in races)
        {
            RaceResult result = race.Task.Result;
            problems.AddRange(result.Failures.Select(f => $"{race.Describe()}: {f}"));
            if (result.Wins + result.Losses != result.Attempts && result.Failures.Count == 0)
            {
                problems.Add($"{race.Describe()}: {result.Wins} wins + {result.Losses} losses != {result.Attempts} attempts");
            }

        }

        // Over this worker's races together: in same-process mode one worker runs both racers.
        int wins = races.Sum(r => r.Task.Result.Wins);
        int losses = races.Sum(r => r.Task.Result.Losses);
        if (wins == 0 || losses == 0)
        {
            problems.Add($"{wins} wins and {losses} losses in {races.Count} race(s), so no race happened (there must be both)");
        }

        if (problems.Count > 0)
        {
            throw new StepAssertionException($"The race was not clean: {string.Join("; ", problems)}.");
        }

        logger.LogInformation("{Count} race(s) finished: {Wins} wins, {Losses} losses", races.Count, wins, losses);
        return new StepData { ["races"] = races.Count, ["wins"] = wins, ["losses"] = losses, [Elapsed.Key] = Elapsed.Milliseconds(clock) };
    }
}
