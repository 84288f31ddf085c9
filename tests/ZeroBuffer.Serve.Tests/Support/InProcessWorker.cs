using Harmony.Protocol.Messages;
using Microsoft.Extensions.DependencyInjection;
using ZeroBuffer.Serve.StepDefinitions;
using ZeroBuffer.Serve.Steps;

namespace ZeroBuffer.Serve.Tests.Support;

/// <summary>The worker's step machinery with the real step definitions, in this process (no RPC).</summary>
internal sealed class InProcessWorker : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public InProcessWorker()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new StepTimeoutPolicy());
        services.AddZeroBufferSteps();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        RunId = Some.RunId();
    }

    public string RunId { get; }

    public ScenarioHost Scenarios => _services.GetRequiredService<ScenarioHost>();

    public Task StartAsync() =>
        Scenarios.StartAsync(new ScenarioInfo("reader", ["reader", "writer"], "csharp", "test", "test", RunId, RunModes.SameProcess));

    public Task<StepOutcome> RunAsync(string text, int timeoutMs = 30_000) =>
        _services.GetRequiredService<IStepInvoker>().InvokeAsync(
            new StepRequest(text, StepTypes.Given, "Given", null, null, TimeSpan.FromMilliseconds(timeoutMs), "s"), CancellationToken.None);

    /// <summary>Runs a step that must pass.</summary>
    public async Task<StepOutcome> PassAsync(string text, int timeoutMs = 30_000)
    {
        StepOutcome outcome = await RunAsync(text, timeoutMs);
        Assert.True(outcome.Success, $"{text}: {outcome.ErrorType}: {outcome.Error}");
        return outcome;
    }

    public async ValueTask DisposeAsync()
    {
        await Scenarios.CleanupAsync();
        await _services.DisposeAsync();
        Assert.Empty(Some.Leftovers(RunId));
    }
}
