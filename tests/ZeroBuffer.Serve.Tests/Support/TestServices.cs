using Microsoft.Extensions.DependencyInjection;
using ZeroBuffer.Serve.StepDefinitions.Support;
using ZeroBuffer.Serve.Steps;

namespace ZeroBuffer.Serve.Tests.Support;

/// <summary>A service provider with the step machinery over the given step classes (no processes).</summary>
internal static class TestServices
{
    public static ServiceProvider Create(StepTimeoutPolicy? timeouts = null, params Type[] stepClasses)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(timeouts ?? new StepTimeoutPolicy());
        services.AddSingleton<IStepErrorClassifier, ZeroBufferErrorClassifier>();
        services.AddStepRegistry(StepRegistryBuilder.FromTypes(stepClasses));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public static StepRequest Step(string text, TimeSpan? timeout = null, StepTable? table = null, StepDocString? docString = null) =>
        new(text, "given", "Given", table, docString, timeout, "t");
}
