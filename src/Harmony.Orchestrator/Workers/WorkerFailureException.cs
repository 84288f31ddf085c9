namespace Harmony.Orchestrator.Workers;

/// <summary>Why a call to a worker produced no usable reply.</summary>
internal enum WorkerFailureKind
{
    /// <summary>No reply within the deadline; the worker was killed.</summary>
    Timeout,

    /// <summary>The worker process ended (crash, kill, exit) before replying.</summary>
    Exited,

    /// <summary>The worker replied with a JSON-RPC error or a malformed result.</summary>
    Protocol,
}

/// <summary>A worker-level fault (not a step failure): the worker must be replaced.</summary>
internal sealed class WorkerFailureException(WorkerFailureKind kind, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public WorkerFailureKind Kind { get; } = kind;

    /// <summary>The worker's last stderr lines when the worker is gone already (a failed start).</summary>
    public IReadOnlyList<string> Logs { get; init; } = [];
}
