namespace ZeroBuffer.Tool.Bench;

/// <summary>
/// Pins the calling thread (and the threads it starts afterwards) to one CPU; disposing restores its
/// previous CPUs. Used where two kinds of round trip must meet the same CPU placement: unpinned, a
/// peer the scheduler once woke on the bench's own CPU tends to stay there, and then every round trip
/// of that peer sleeps while the other peer's spin (on the other CPU) goes on, whatever the code.
/// Linux only; elsewhere, or with fewer than two usable CPUs, nothing is pinned.
/// </summary>
internal sealed unsafe class ThreadPin : IDisposable
{
    private readonly ulong[] _previous;

    private ThreadPin(ulong[] previous) => _previous = previous;

    /// <summary>Two different CPUs this process may use (the bench's and its peers'), or null.</summary>
    public static (int Bench, int Peer)? ChooseCpus()
    {
        if (!OperatingSystem.IsLinux() || Current() is not ulong[] mask)
        {
            return null;
        }

        int[] allowed = Enumerable.Range(0, mask.Length * 64).Where(cpu => (mask[cpu / 64] & (1UL << (cpu % 64))) != 0).Take(2).ToArray();
        return allowed.Length == 2 ? (allowed[0], allowed[1]) : null;
    }

    /// <summary>Pins the calling thread to <paramref name="cpu"/> (a negative one pins nothing); null when not pinned.</summary>
    public static ThreadPin? Pin(int cpu)
    {
        if (cpu < 0 || !OperatingSystem.IsLinux() || cpu >= Interop.Interop.Libc.CpuSetWords * 64 || Current() is not ulong[] previous)
        {
            return null;
        }

        ulong[] only = new ulong[Interop.Interop.Libc.CpuSetWords];
        only[cpu / 64] = 1UL << (cpu % 64);
        return Set(only) ? new ThreadPin(previous) : null;
    }

    public void Dispose() => Set(_previous);

    private static ulong[]? Current()
    {
        ulong[] mask = new ulong[Interop.Interop.Libc.CpuSetWords];
        fixed (ulong* words = mask)
        {
            return Interop.Interop.Libc.SchedGetAffinity(0, (nuint)(mask.Length * sizeof(ulong)), words) == 0 ? mask : null;
        }
    }

    private static bool Set(ulong[] mask)
    {
        fixed (ulong* words = mask)
        {
            return Interop.Interop.Libc.SchedSetAffinity(0, (nuint)(mask.Length * sizeof(ulong)), words) == 0;
        }
    }
}
