using System.Diagnostics;
using System.Runtime;

namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>
/// Waits until the JIT has stopped compiling: the end of a .NET process's warm-up. Tiered compilation
/// goes on recompiling hot methods (tier 1, on-stack replacement, PGO) for seconds after a loop starts,
/// and the code it emits is native memory: a resource baseline taken before it is done counts several
/// MiB of one-time growth as a leak (seen in Test 12.1 with a C# writer and a C# reader, +9 MiB in 60 s;
/// flat with tiered compilation off). Python and C++ have no JIT, so their workers need no such wait.
/// </summary>
public static class JitQuiescence
{
    /// <summary>How long the compiled-method count must stay unchanged.</summary>
    public static readonly TimeSpan QuietFor = TimeSpan.FromSeconds(1);

    /// <summary>Polls the process-wide compiled-method count until it is unchanged for <see cref="QuietFor"/>, or <paramref name="atMost"/> passes; returns whether it became quiet.</summary>
    public static async Task<bool> WaitAsync(TimeSpan atMost, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        long count = JitInfo.GetCompiledMethodCount();
        var quietSince = clock.Elapsed;
        while (clock.Elapsed < atMost)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), ct).ConfigureAwait(false);
            long now = JitInfo.GetCompiledMethodCount();
            if (now != count)
            {
                count = now;
                quietSince = clock.Elapsed;
            }
            else if (clock.Elapsed - quietSince >= QuietFor)
            {
                return true;
            }
        }

        return false;
    }
}
