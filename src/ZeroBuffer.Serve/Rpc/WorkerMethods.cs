using System.Reflection;
using System.Text.Json;
using Harmony.Protocol.Messages;
using Microsoft.Extensions.Logging;
using ZeroBuffer.Serve.Logging;
using ZeroBuffer.Serve.Steps;
using Methods = Harmony.Protocol.Messages.WorkerMethods;

namespace ZeroBuffer.Serve.Rpc;

/// <summary>The six methods of the worker protocol (WORKER-PROTOCOL.md), as an RPC handler table.</summary>
public sealed class WorkerMethods(
    ScenarioHost scenarios,
    StepRegistry registry,
    IStepInvoker invoker,
    LogCapture logs,
    ShutdownSignal shutdown,
    ILogger<WorkerMethods> logger)
{
    public const string Platform = "csharp";

    public static string Version { get; } = ReadVersion();

    public IReadOnlyDictionary<string, RpcHandler> CreateTable() => new Dictionary<string, RpcHandler>(StringComparer.Ordinal)
    {
        [Methods.Health] = (_, _) => Drained(Health()),
        [Methods.Initialize] = InitializeAsync,
        [Methods.Discover] = (_, _) => Drained(Discover()),
        [Methods.ExecuteStep] = ExecuteStepAsync,
        [Methods.Cleanup] = CleanupAsync,
        [Methods.Shutdown] = (_, _) =>
        {
            Log.ShutdownRequested(logger);
            shutdown.Request();
            return Drained(new OkResult(true));
        },
    };

    public static HealthResult Health() => new("ok", Platform, Environment.ProcessId, Methods.ProtocolVersion, Version);

    public DiscoverResult Discover() =>
        new(registry.Bindings.Select(b => new StepInfo(b.StepType, b.Pattern, b.Source)).ToList());

    private async Task<object?> InitializeAsync(JsonElement? parameters, CancellationToken ct)
    {
        ScenarioInfo info = ReadInitialize(parameters);
        CleanupReport previous = await scenarios.StartAsync(info).ConfigureAwait(false);
        if (!previous.Ok)
        {
            logger.LogWarning("The previous scenario was not cleaned up completely: {Problems}", string.Join("; ", previous.Problems));
        }

        return await Drained(new OkResult(true)).ConfigureAwait(false);
    }

    private async Task<object?> ExecuteStepAsync(JsonElement? parameters, CancellationToken ct)
    {
        StepRequest request = ReadExecuteStep(parameters);
        StepOutcome outcome = await invoker.InvokeAsync(request, ct).ConfigureAwait(false);
        return new StepResult(
            outcome.Success,
            outcome.Error,
            outcome.ErrorType,
            outcome.Data?.ToDictionary(kv => kv.Key, kv => JsonSerializer.SerializeToElement(kv.Value, ProtocolJson.Options), StringComparer.Ordinal),
            logs.Drain(),
            outcome.Duration.TotalMilliseconds);
    }

    private async Task<object?> CleanupAsync(JsonElement? parameters, CancellationToken ct)
    {
        CleanupReport report = await scenarios.CleanupAsync().ConfigureAwait(false);
        return await Drained(new CleanupResult(report.Ok, report.Released)).ConfigureAwait(false);
    }

    /// <summary>Every reply starts a new log window: logs are reported by the next step result.</summary>
    private Task<object?> Drained(object result)
    {
        logs.Drain();
        return Task.FromResult<object?>(result);
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
