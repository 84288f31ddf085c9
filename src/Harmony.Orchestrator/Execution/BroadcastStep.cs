using Harmony.Orchestrator.Results;

namespace Harmony.Orchestrator.Execution;

/// <summary>Runs one step on several workers at once; it passes only if every worker passes.</summary>
internal static class BroadcastStep
{
    public static async Task<StepFailure?> RunAsync(IEnumerable<Func<Task<StepFailure?>>> sends)
    {
        var failures = (await Task.WhenAll(sends.Select(send => send())).ConfigureAwait(false))
            .OfType<StepFailure>()
            .ToList();
        return failures.Count switch
        {
            0 => null,
            1 => failures[0],
            _ => new StepFailure(
                failures[0].Step,
                string.Join(Environment.NewLine, failures.Select(f => f.Message)),
                failures[0].ErrorType,
                failures.SelectMany(f => f.RecentLogs).ToList()),
        };
    }
}
