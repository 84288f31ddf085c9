using Harmony.Protocol.Messages;
using ZeroBuffer.Serve.Steps;
using static ZeroBuffer.Serve.StepDefinitions.Phrases;

namespace ZeroBuffer.Serve.StepDefinitions;

/// <summary>Steps about the worker process itself.</summary>
public sealed class ProcessSteps
{
    /// <summary>
    /// Does no ZeroBuffer work: what it costs is the step round trip (RPC, matching, invocation),
    /// which <c>harmony bench</c> times for every worker.
    /// </summary>
    [Given(Role + "is ready")]
    public StepData IsReady(string role) => new() { ["pid"] = Environment.ProcessId, ["platform"] = Platforms.CSharp };
}
