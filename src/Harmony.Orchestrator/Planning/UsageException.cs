namespace Harmony.Orchestrator.Planning;

/// <summary>A bad command line or selection (exit 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
