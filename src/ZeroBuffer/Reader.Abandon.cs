namespace ZeroBuffer;

public sealed unsafe partial class Reader
{
    /// <summary>
    /// Test/diagnostics only (<see cref="Diagnostics.CrashSimulation"/>): closes the mapping, both
    /// semaphores and the lock file the way a killed process loses them, without the close protocol.
    /// Nothing is unlinked and reader_pid stays as it is, so the buffer is left stale.
    /// </summary>
    internal void Abandon()
    {
        if (!_created)
        {
            return;
        }

        lock (_releaseLock)
        {
            if (_disposed != 0)
            {
                return;
            }

            _disposed = 1;
            _shm.Dispose();
            _written.Dispose();
            _freed.Dispose();
            _lock.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}
