using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>
/// One dedicated thread that runs every send and receive of a step client. A duplex client hands each
/// thread the responses to that thread's own requests, and steps run on whatever thread the worker
/// picks, so a request sent in one step and received in the next must go through the same thread.
/// </summary>
public sealed class ClientThreadAffinity : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;

    public ClientThreadAffinity(string name)
    {
        _thread = new Thread(Run) { Name = name, IsBackground = true };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="operation"/> on the client's thread and returns its result (or rethrows its exception).</summary>
    public T Invoke<T>(Func<T> operation)
    {
        if (Thread.CurrentThread == _thread)
        {
            return operation();
        }

        T result = default!;
        ExceptionDispatchInfo? failure = null;
        using var done = new ManualResetEventSlim();
        _work.Add(() =>
        {
            try
            {
                result = operation();
            }
            catch (Exception ex)
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
            finally
            {
                done.Set();
            }
        });
        done.Wait();
        failure?.Throw();
        return result;
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        _work.Dispose();
    }

    private void Run()
    {
        foreach (Action item in _work.GetConsumingEnumerable())
        {
            item();
        }
    }
}
