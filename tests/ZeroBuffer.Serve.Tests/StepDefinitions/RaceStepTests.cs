using Harmony.Protocol.Messages;
using ZeroBuffer.Serve.StepDefinitions.Support;
using ZeroBuffer.Serve.Steps;
using ZeroBuffer.Serve.Tests.Support;

namespace ZeroBuffer.Serve.Tests.StepDefinitions;

/// <summary>"starts racing to create buffer" / "should finish racing within" (test 3.2).</summary>
public sealed class RaceStepTests : IAsyncLifetime
{
    private readonly InProcessWorker _worker = new();

    public Task InitializeAsync() => _worker.StartAsync();

    public async Task DisposeAsync() => await _worker.DisposeAsync();

    [Fact]
    public async Task Two_racers_each_win_and_lose_and_a_result_is_reported_again()
    {
        await _worker.PassAsync("the 'reader' process starts racing to create buffer 'race' '100' times");
        await _worker.PassAsync("the 'reader-2' process starts racing to create buffer 'race' '100' times");

        StepOutcome first = await _worker.PassAsync("the 'reader' process should finish racing within '20000' ms");
        StepOutcome again = await _worker.PassAsync("the 'reader-2' process should finish racing within '20000' ms");

        Assert.Equal(200, (int)first.Data!["wins"]! + (int)first.Data["losses"]!);
        Assert.Equal(first.Data["wins"], again.Data!["wins"]);
        await _worker.PassAsync("the 'reader' process creates buffer 'race' with metadata size '1024' and payload size '10240'");
    }

    [Fact]
    public async Task A_racer_that_never_loses_fails_because_no_race_happened()
    {
        await _worker.PassAsync("the 'reader' process starts racing to create buffer 'alone' '5' times");

        StepOutcome alone = await _worker.RunAsync("the 'reader' process should finish racing within '20000' ms");

        Assert.Equal(ErrorTypes.AssertionFailed, alone.ErrorType);
        Assert.Contains("5 wins and 0 losses in 1 race(s)", alone.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_racer_against_a_live_reader_never_wins_and_fails()
    {
        await _worker.PassAsync("the 'reader' process creates buffer 'taken' with metadata size '1024' and payload size '10240'");
        await _worker.PassAsync("the 'reader-2' process starts racing to create buffer 'taken' '5' times");

        StepOutcome lost = await _worker.RunAsync("the 'reader-2' process should finish racing within '20000' ms");

        Assert.Equal(ErrorTypes.AssertionFailed, lost.ErrorType);
        Assert.Contains("0 wins and 5 losses in 1 race(s)", lost.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Racers_start_on_a_100_ms_boundary_at_least_50_ms_ahead()
    {
        DateTimeOffset now = DateTimeOffset.FromUnixTimeMilliseconds(1_000_060);

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_000_200), CreateRace.StartInstant(now));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_000_100), CreateRace.StartInstant(DateTimeOffset.FromUnixTimeMilliseconds(1_000_050)));
    }

    [Fact]
    public void Attempts_start_on_the_next_boundary_of_their_grid()
    {
        TimeSpan grid = TimeSpan.FromMilliseconds(20);

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_000_020), CreateRace.NextBoundary(DateTimeOffset.FromUnixTimeMilliseconds(1_000_001), grid));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_000_020), CreateRace.NextBoundary(DateTimeOffset.FromUnixTimeMilliseconds(1_000_020), grid));
    }
}
