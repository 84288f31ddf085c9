using System.Runtime.InteropServices;

namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>
/// Lowers this process's soft RLIMIT_NOFILE for a while (the hard limit is kept, so it can be raised
/// back): how a stress step reaches the system's refusal quickly and at a known point.
/// </summary>
public sealed partial class OpenFileLimit : IDisposable
{
    private const int RlimitNofile = 7; // Linux, every architecture .NET runs on

    private readonly RLimit _previous;
    private bool _restored;

    private OpenFileLimit(RLimit previous, ulong soft)
    {
        _previous = previous;
        Soft = soft;
    }

    public ulong Soft { get; }

    /// <summary>Sets the soft limit to <paramref name="soft"/> (at most the hard limit) until disposed.</summary>
    public static OpenFileLimit Lower(ulong soft)
    {
        Check(GetRLimit(RlimitNofile, out RLimit current), "getrlimit");
        var lowered = new RLimit { Current = Math.Min(soft, current.Maximum), Maximum = current.Maximum };
        Check(SetRLimit(RlimitNofile, in lowered), "setrlimit");
        return new OpenFileLimit(current, lowered.Current);
    }

    public void Dispose()
    {
        if (!_restored)
        {
            _restored = true;
            Check(SetRLimit(RlimitNofile, in _previous), "setrlimit");
        }
    }

    private static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw new InvalidOperationException($"{call}(RLIMIT_NOFILE) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, in RLimit limit);
}
