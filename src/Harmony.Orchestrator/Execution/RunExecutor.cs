using Harmony.Orchestrator.Planning;
using Harmony.Orchestrator.Results;

namespace Harmony.Orchestrator.Execution;

/// <summary>
/// Runs the planned cases, up to <c>parallel</c> at a time (each with its own workers, isolated by run id),
/// reporting each as it completes. Results come back in plan order. Cancellation stops new cases; the
/// running ones end as "interrupted". With <c>failFast</c> no case starts after one failed.
/// </summary>
internal sealed class RunExecutor(ScenarioRunner runner, IRunReporter reporter, int parallel, bool failFast = false)
{
    private volatile bool _failed;

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(IReadOnlyList<TestCase> cases, CancellationToken ct)
    {
        var results = new ScenarioResult?[cases.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel) };
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, cases.Count), options, async (index, _) =>
            {
                if (ct.IsCancellationRequested || (failFast && _failed))
                {
                    return;
                }
                var result = await runner.RunAsync(cases[index], ct).ConfigureAwait(false);
                results[index] = result;
                _failed |= result.Outcome == Outcome.Failed;
                reporter.Completed(result);
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Reported below as whatever finished.
        }
        return results.OfType<ScenarioResult>().ToList();
    }
}
