using Microsoft.Extensions.DependencyInjection;
using ZeroBuffer.Serve.StepDefinitions.Support;
using ZeroBuffer.Serve.StepDefinitions.Support.Bench;
using ZeroBuffer.Serve.Steps;

namespace ZeroBuffer.Serve.StepDefinitions;

public static class ServiceRegistration
{
    /// <summary>Every step class of this namespace, the per-scenario stress, ZeroBuffer and duplex contexts and the error-kind mapping.</summary>
    public static IServiceCollection AddZeroBufferSteps(this IServiceCollection services)
    {
        StepRegistry registry = StepRegistryBuilder.FromTypes(
            typeof(ServiceRegistration).Assembly.GetTypes().Where(t => t.Namespace == typeof(ServiceRegistration).Namespace));
        services.AddStepRegistry(registry);
        // The stress loops use the context's readers and writers, so they are stopped first.
        services.AddScoped<StressContext>();
        services.AddScoped<IScenarioCleanup>(sp => sp.GetRequiredService<StressContext>());
        // Benchmark writers stop before the ZeroBufferContext disposes the writers they write through (cleanup runs in this order).
        services.AddScoped<BenchmarkContext>();
        services.AddScoped<IScenarioCleanup>(sp => sp.GetRequiredService<BenchmarkContext>());
        services.AddScoped<ZeroBufferContext>();
        services.AddScoped<IScenarioCleanup>(sp => sp.GetRequiredService<ZeroBufferContext>());
        services.AddScoped<DuplexContext>();
        services.AddScoped<IScenarioCleanup>(sp => sp.GetRequiredService<DuplexContext>());
        services.AddScoped<IRoleCrash>(sp => sp.GetRequiredService<ZeroBufferContext>());
        services.AddSingleton<IStepErrorClassifier, ZeroBufferErrorClassifier>();
        return services;
    }
}
