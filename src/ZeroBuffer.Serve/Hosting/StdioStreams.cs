namespace ZeroBuffer.Serve.Hosting;

/// <summary>
/// The raw stdin/stdout streams that carry frames. <see cref="Capture"/> takes them before anything
/// can log, then points <see cref="Console.Out"/> at stderr, so a stray Console.WriteLine anywhere
/// in the process can never corrupt the frame stream.
/// </summary>
public sealed class StdioStreams(Stream input, Stream output, int? inputFd = null)
{
    public Stream Input { get; } = input;

    /// <summary>The descriptor under <see cref="Input"/>, when it is one (stdin's 0), for watching its hang-up.</summary>
    public int? InputFd { get; } = inputFd;

    public Stream Output { get; } = output;

    public static StdioStreams Capture()
    {
        // On the caller's thread: the console streams' async calls would each hop through the thread pool.
        Stream input = new CallerThreadStream(Console.OpenStandardInput());
        Stream output = new CallerThreadStream(Console.OpenStandardOutput());
        Console.SetOut(Console.Error);
        Console.SetIn(TextReader.Null);
        return new StdioStreams(input, output, inputFd: 0);
    }
}
