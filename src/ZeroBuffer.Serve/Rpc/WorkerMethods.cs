using System.Reflection;
using System.Text.Json;
using Harmony.Protocol.Messages;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;
using ZeroBuffer.Serve.Logging;
using ZeroBuffer.Serve.Steps;
using Methods = Harmony.Protocol.Messages.WorkerMethods;

namespace ZeroBuffer.Serve.Rpc;

/// <summary>
/// The JsonRpc target: the methods of the worker protocol (WORKER-PROTOCOL.md). Each takes the raw
/// params, so the compatibility forms (<see cref="RpcParams"/>) and the contract's -32602 messages
/// stay ours. Calls that touch the scenario run one at a time; <c>health</c> and <c>discover</c>
/// answer at once.
/// </summary>
public sealed class WorkerMethods(
    ScenarioHost scenarios,
    StepRegistry registry,
    IStepInvoker invoker,
    LogCapture logs,
    ShutdownSignal shutdown,
    ILogger<WorkerMethods> logger)
{
    public const string Platform = Platforms.CSharp;

    private readonly SemaphoreSlim _scenarioCalls = new(1, 1);

    public static string Version { get; } = ReadVersion();

    [JsonRpcMethod(Methods.Health, UseSingleObjectParameterDeserialization = true)]
    public HealthResult Health(JsonElement? parameters = null) => Drained(Identity());

    [JsonRpcMethod(Methods.Discover, UseSingleObjectParameterDeserialization = true)]
    public DiscoverResult Discover(JsonElement? parameters = null) =>
        Drained(new DiscoverResult(registry.Bindings.Select(b => new StepInfo(b.StepType, b.Pattern, b.Source, b.Accepts)).ToList()));

    [JsonRpcMethod(Methods.Initialize, UseSingleObjectParameterDeserialization = true)]
    public async Task<OkResult> InitializeAsync(JsonElement? parameters = null, CancellationToken ct = default)
    {
        ScenarioInfo info = ReadInitialize(parameters);
        await _scenarioCalls.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            CleanupReport previous = await scenarios.StartAsync(info).ConfigureAwait(false);
            if (!previous.Ok)
            {
                logger.LogWarning("The previous scenario was not cleaned up completely: {Problems}", string.Join("; ", previous.Problems));
            }
        }
        finally
        {
            _scenarioCalls.Release();
        }

        return Drained(new OkResult(true));
    }

    [JsonRpcMethod(Methods.ExecuteStep, UseSingleObjectParameterDeserialization = true)]
    public async Task<StepResult> ExecuteStepAsync(JsonElement? parameters = null, CancellationToken ct = default)
    {
        StepRequest request = ReadExecuteStep(parameters);
        StepOutcome outcome;
        try
        {
            await _scenarioCalls.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            outcome = StepOutcome.Failed(ErrorTypes.StepCancelled, StepErrors.Cancelled(request.Text, TimeSpan.Zero), TimeSpan.Zero);
            return ToResult(outcome);
        }

        try
        {
            outcome = await invoker.InvokeAsync(request, ct).ConfigureAwait(false);

            // Built before the next scenario call may run: its logs must not land in this result,
            // and a pipelined cleanup is then answered after this step.
            return ToResult(outcome);
        }
        finally
        {
            _scenarioCalls.Release();
        }
    }

    [JsonRpcMethod(Methods.Cleanup, UseSingleObjectParameterDeserialization = true)]
    public async Task<CleanupResult> CleanupAsync(JsonElement? parameters = null, CancellationToken ct = default)
    {
        await _scenarioCalls.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            CleanupReport report = await scenarios.CleanupAsync().ConfigureAwait(false);
            return Drained(new CleanupResult(report.Ok, report.Released));
        }
        finally
        {
            _scenarioCalls.Release();
        }
    }

    /// <summary>Same-process mode: abandons the role's readers, writers and background work as its killed process would.</summary>
    [JsonRpcMethod(Methods.SimulateCrash, UseSingleObjectParameterDeserialization = true)]
    public async Task<OkResult> SimulateCrashAsync(JsonElement? parameters = null, CancellationToken ct = default)
    {
        string role = ReadSimulateCrash(parameters);
        await _scenarioCalls.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await scenarios.SimulateCrashAsync(role, ct).ConfigureAwait(false);
        }
        finally
        {
            _scenarioCalls.Release();
        }

        return Drained(new OkResult(true));
    }

    /// <summary>Answers; the host then releases everything and exits once the answer is out.</summary>
    [JsonRpcMethod(Methods.Shutdown, UseSingleObjectParameterDeserialization = true)]
    public OkResult Shutdown(JsonElement? parameters = null)
    {
        Log.ShutdownRequested(logger);
        return Drained(shutdown.Reply);
    }

    internal static HealthResult Identity() => new("ok", Platform, Environment.ProcessId, Methods.ProtocolVersion, Version);

    private StepResult ToResult(StepOutcome outcome) => new(
        outcome.Success,
        outcome.Error,
        outcome.ErrorType,
        outcome.Data?.ToDictionary(kv => kv.Key, kv => JsonSerializer.SerializeToElement(kv.Value, ProtocolJson.Options), StringComparer.Ordinal),
        logs.Drain(),
        outcome.Duration.TotalMilliseconds);

    /// <summary>Every reply starts a new log window: logs are reported by the next step result.</summary>
    private T Drained<T>(T result)
    {
        logs.Drain();
        return result;
    }

    internal static ScenarioInfo ReadInitialize(JsonElement? parameters)
    {
        InitializeParams p = RpcParams.Read<InitializeParams>(parameters, Methods.Initialize);
        string runId = p.RunId ?? "";
        if (runId.Length > 0 && !IsValidRunId(runId))
        {
            throw new RpcParamsException($"Invalid params for 'initialize': runId '{runId}' must be 1-100 characters of [A-Za-z0-9._-] not starting with '.', so that '<runId>-<name>' is a valid buffer name.");
        }

        string mode = p.Mode ?? RunModes.SeparateProcess;
        if (mode is not (RunModes.SeparateProcess or RunModes.SameProcess))
        {
            throw new RpcParamsException($"Invalid params for 'initialize': mode '{mode}' must be '{RunModes.SeparateProcess}' or '{RunModes.SameProcess}'.");
        }

        return new ScenarioInfo(p.Role ?? "", p.Roles ?? [], p.Platform ?? Platform, p.Scenario ?? "", p.Feature ?? "", runId, mode);
    }

    internal static string ReadSimulateCrash(JsonElement? parameters)
    {
        SimulateCrashParams p = RpcParams.Read<SimulateCrashParams>(parameters, Methods.SimulateCrash);
        return string.IsNullOrEmpty(p.Role)
            ? throw new RpcParamsException("Invalid params for 'simulateCrash': 'role' (the role to crash) is required.")
            : p.Role;
    }

    internal static StepRequest ReadExecuteStep(JsonElement? parameters)
    {
        ExecuteStepParams p = RpcParams.Read<ExecuteStepParams>(parameters, Methods.ExecuteStep);
        if (string.IsNullOrWhiteSpace(p.Step))
        {
            throw new RpcParamsException("Invalid params for 'executeStep': 'step' (the full step text) is required.");
        }

        if (p.TimeoutMs < 0)
        {
            throw new RpcParamsException($"Invalid params for 'executeStep': timeoutMs {p.TimeoutMs} is negative.");
        }

        if (p.Argument is { Table: not null, DocString: not null })
        {
            throw new RpcParamsException("Invalid params for 'executeStep': an argument is a table or a doc string, not both.");
        }

        StepTable? table = p.Argument?.Table is { } t
            ? new StepTable(t.Header ?? [], t.Rows ?? [])
            : null;
        StepDocString? docString = p.Argument?.DocString is { } d ? new StepDocString(d.Content ?? "", d.MediaType) : null;
        return new StepRequest(
            p.Step,
            p.StepType ?? StepTypes.Step,
            p.Keyword ?? "",
            table,
            docString,
            p.TimeoutMs > 0 ? TimeSpan.FromMilliseconds(p.TimeoutMs) : null,
            p.StepId ?? "");
    }

    private static bool IsValidRunId(string runId) =>
        runId.Length <= 100 && runId[0] != '.' && runId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static string ReadVersion()
    {
        string? informational = typeof(WorkerMethods).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(informational))
        {
            return typeof(WorkerMethods).Assembly.GetName().Version?.ToString() ?? "0.0.0";
        }

        int plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? informational[..plus] : informational;
    }
}
