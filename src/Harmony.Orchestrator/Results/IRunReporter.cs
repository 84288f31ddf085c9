using Harmony.Orchestrator.Planning;

namespace Harmony.Orchestrator.Results;

/// <summary>Receives run progress; implementations must accept calls from several threads.</summary>
internal interface IRunReporter
{
    void Planned(IReadOnlyList<TestCase> cases, int parallel);

    void Completed(ScenarioResult result);

    void Finished(IReadOnlyList<ScenarioResult> results, TimeSpan elapsed);

    /// <summary>A line of worker stderr streamed live (<c>-v</c>).</summary>
    void WorkerLog(string line);
}
