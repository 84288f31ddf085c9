namespace ZeroBuffer;

public sealed unsafe partial class Writer
{
    /// <summary>
    /// Test/diagnostics only (<see cref="Diagnostics.CrashSimulation"/>): closes the mapping and both
    /// semaphores the way a killed process loses them; writer_pid stays as it is.
    /// </summary>
    internal void Abandon()
    {
        if (!_created || _disposed)
        {
            return;
        }

        _disposed = true;
        _written.Dispose();
        _freed.Dispose();
        _shm.Dispose();
        GC.SuppressFinalize(this);
    }
}
