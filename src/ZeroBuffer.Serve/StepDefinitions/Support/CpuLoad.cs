namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>
/// Threads that spin until disposed, so the work running meanwhile competes for every core and gets
/// preempted at arbitrary points (Test 7.3's "under load").
/// </summary>
public sealed class CpuLoad : IDisposable
{
    private readonly Thread[] _spinners;
    private volatile bool _stop;

    private CpuLoad(int threads)
    {
        _spinners = new Thread[threads];
        for (int i = 0; i < threads; i++)
        {
            _spinners[i] = new Thread(Spin) { IsBackground = true, Name = $"cpu-load-{i}" };
            _spinners[i].Start();
        }
    }

    public static CpuLoad Start(int threads) => new(threads);

    public void Dispose()
    {
        _stop = true;
        foreach (Thread spinner in _spinners)
        {
            spinner.Join();
        }
    }

    private void Spin()
    {
        ulong x = 1;
        while (!_stop)
        {
            x = (x * 6364136223846793005UL) + 1442695040888963407UL; // busy arithmetic, no yielding
        }

        GC.KeepAlive(x);
    }
}
