using Microsoft.Extensions.DependencyInjection;

namespace ZeroBuffer.Serve.Steps;

public static class StepServices
{
    /// <summary>
    /// Registers the registry, matcher, invoker and scenario host, with every step class scoped
    /// (one instance per scenario).
    /// </summary>
    public static IServiceCollection AddStepRegistry(this IServiceCollection services, StepRegistry registry)
    {
        services.AddSingleton(registry);
        services.AddSingleton<StepMatcher>();
        services.AddSingleton<InlineSteps>();
        services.AddSingleton<StepThreads>();
        services.AddSingleton<ScenarioHost>();
        services.AddSingleton<IStepInvoker, StepInvoker>();
        services.AddScoped<ScenarioState>();
        foreach (Type stepClass in registry.StepClasses)
        {
            services.AddScoped(stepClass);
        }

        return services;
    }
}
