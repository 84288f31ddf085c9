using System.IO.Pipelines;
using Harmony.Protocol.Transport;
using ZeroBuffer.Serve.Steps;

namespace ZeroBuffer.Serve.Hosting;

/// <summary>
/// Reads stdin with blocking reads on a thread of its own and hands what it reads to the RPC through a
/// <see cref="Pipe"/> whose reader runs inline: JsonRpc parses and dispatches each request on this
/// thread, and a step it starts runs here too, after the read that brought it (<see cref="InlineSteps"/>).
/// When that step is given up on, <see cref="InlineSteps"/> starts another reading thread and this one
/// ends once its step returns.
/// </summary>
internal sealed class StdinReader
{
    private readonly Stream _input;
    private readonly InlineSteps _steps;
    private readonly Pipe _pipe = InlinePipe.Create();

    private int _threads;

    private StdinReader(Stream input, InlineSteps steps)
    {
        _input = input;
        _steps = steps;
    }

    /// <summary>What has been read; completed at the end of the input (or with the read's error).</summary>
    public PipeReader Reader => _pipe.Reader;

    /// <summary>Starts reading <paramref name="input"/> on a new thread.</summary>
    public static StdinReader Start(Stream input, InlineSteps steps)
    {
        var reader = new StdinReader(input, steps);
        steps.StartReader = reader.StartThread;
        reader.StartThread();
        return reader;
    }

    private void StartThread() =>
        new Thread(Read) { IsBackground = true, Name = $"stdin {Interlocked.Increment(ref _threads)}" }.Start();

    private void Read()
    {
        _steps.EnterReading();
        // Before each read, the step the previous read started (if any) runs; a thread whose step was given up on stops.
        InlinePipe.Pump(_input, _pipe.Writer, _steps.RunDeferred);
    }
}
