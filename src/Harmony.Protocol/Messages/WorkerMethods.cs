namespace Harmony.Protocol.Messages;

/// <summary>The method names of the worker protocol (WORKER-PROTOCOL.md).</summary>
public static class WorkerMethods
{
    public const string Health = "health";
    public const string Initialize = "initialize";
    public const string Discover = "discover";
    public const string ExecuteStep = "executeStep";
    public const string Cleanup = "cleanup";
    public const string Shutdown = "shutdown";

    /// <summary>Same-process mode only: abandon a role's readers and writers as a crashed process would.</summary>
    public const string SimulateCrash = "simulateCrash";

    /// <summary>The protocol version <c>health</c> reports.</summary>
    public const int ProtocolVersion = 1;
}
