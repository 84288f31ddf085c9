namespace ZeroBuffer.Tool.Tests.Support;

/// <summary>
/// Base of the tests that start the tool: hands out unique buffer names, kills every started process
/// at the end (pass or fail), then asserts that no buffer of the test left anything behind.
/// </summary>
public abstract class CrossProcessTest : IDisposable
{
    private readonly List<ToolProcess> _processes = new();
    private readonly List<string> _names = new();

    protected string NewBufferName()
    {
        string name = Some.BufferName();
        _names.Add(name);
        return name;
    }

    /// <summary>Also checks cleanup of names the test did not make itself (e.g. a bench run's prefix).</summary>
    protected void ExpectCleanup(string nameFragment) => _names.Add(nameFragment);

    internal ToolProcess Start(params string[] arguments)
    {
        ToolProcess process = ToolProcess.Start(arguments);
        _processes.Add(process);
        return process;
    }

    public void Dispose()
    {
        foreach (ToolProcess process in _processes)
        {
            process.Dispose();
        }

        foreach (string name in _names)
        {
            Leftovers.AssertNone(name);
        }

        GC.SuppressFinalize(this);
    }
}
