using System.Security.Cryptography;

namespace Harmony.Orchestrator.Execution;

/// <summary>Run ids: 'h' + 10 lower-case hex digits, a valid buffer-name prefix and easy to grep in /dev/shm.</summary>
internal static class RunIds
{
    public static string New() => "h" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
}
