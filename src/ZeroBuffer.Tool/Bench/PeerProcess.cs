using System.Diagnostics;
using System.Text;
using ZeroBuffer.Tool.Cli;

namespace ZeroBuffer.Tool.Bench;

/// <summary>
/// The other half of a two-process measurement: this tool started again with <c>bench-peer</c>.
/// The peer prints READY once it is set up; its stderr is kept so that a failure can say why.
/// Disposing kills a peer that is still running.
/// </summary>
internal sealed class PeerProcess : IDisposable
{
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(15);
    /// <summary>How long one wait for a peer's frame lasts before the peer's liveness is checked.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly Process _process;
    private readonly string _kind;
    private readonly StringBuilder _stderr = new();

    private PeerProcess(Process process, string kind)
    {
        _process = process;
        _kind = kind;
    }

    public int Id => _process.Id;

    public static PeerProcess Start(string kind, params object[] options)
    {
        var arguments = new List<string> { PeerCommands.CommandName, kind };
        arguments.AddRange(options.Select(o => Convert.ToString(o, System.Globalization.CultureInfo.InvariantCulture)!));
        var process = new Process { StartInfo = SelfLauncher.StartInfo(arguments) };
        var peer = new PeerProcess(process, kind);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (peer._stderr)
                {
                    peer._stderr.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>
    /// The next frame from the peer; a peer that dies or stalls ends the run with its own error
    /// instead of a long wait. Short waits cost nothing while frames flow.
    /// </summary>
    public Frame ReadFrom(Reader reader)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            Frame frame = reader.ReadFrame(PollInterval);
            if (frame.IsValid)
            {
                return frame;
            }

            if (_process.HasExited)
            {
                throw Failure("ended before sending every frame");
            }

            if (waited.Elapsed > StepTimeout)
            {
                throw Failure($"sent no frame within {StepTimeout.TotalSeconds:0} s");
            }
        }
    }

    /// <summary>Closes the peer's stdin: a peer that runs until told to stop ends.</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Blocks until the peer prints READY.</summary>
    public void WaitReady()
    {
        Task<string?> line = _process.StandardOutput.ReadLineAsync();
        if (!line.Wait(StepTimeout) || line.Result != PeerCommands.ReadyLine)
        {
            throw Failure($"did not report {PeerCommands.ReadyLine} (got '{(line.IsCompleted ? line.Result : "nothing")}')");
        }
    }

    /// <summary>
    /// Waits for the peer to finish, requires exit code 0 and returns the seconds it reported for
    /// its own timed part (its last stdout line, see <see cref="PeerCommands.ReportSeconds"/>).
    /// </summary>
    public double WaitForReportedSeconds()
    {
        WaitForSuccess();
        string? last = null;
        while (_process.StandardOutput.ReadLine() is { } line)
        {
            last = line;
        }

        if (!double.TryParse(last, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double seconds) || seconds <= 0)
        {
            throw Failure($"reported no timing (last line '{last}')");
        }

        return seconds;
    }

    /// <summary>Waits for the peer to finish and requires exit code 0.</summary>
    public void WaitForSuccess()
    {
        if (!_process.WaitForExit(StepTimeout))
        {
            throw Failure($"did not exit within {StepTimeout.TotalSeconds:0} s");
        }

        _process.WaitForExit(); // drains the asynchronous stderr reader
        if (_process.ExitCode != 0)
        {
            throw Failure($"exited with code {_process.ExitCode}");
        }
    }

    /// <summary>
    /// The error to report for a failure seen on this side: when the peer has died, its own error is
    /// the cause and is reported instead.
    /// </summary>
    public Exception Explain(Exception seenHere)
    {
        if (seenHere is ToolException { Kind: ToolException.PeerFailed })
        {
            return seenHere;
        }

        if (_process.WaitForExit(TimeSpan.FromSeconds(2)) && _process.ExitCode != 0)
        {
            return Failure($"failed ({ErrorReporter.KindOf(seenHere)} here: {seenHere.Message})");
        }

        return seenHere;
    }

    /// <summary>An error naming the peer, with its stderr when it has already ended.</summary>
    public ToolException Failure(string what)
    {
        string detail = string.Empty;
        if (_process.HasExited)
        {
            _process.WaitForExit();
            lock (_stderr)
            {
                detail = _stderr.ToString().ReplaceLineEndings(" ").Trim();
            }

            detail = $" (exit code {_process.ExitCode}{(detail.Length > 0 ? ": " + detail : string.Empty)})";
        }

        return new ToolException(ToolException.PeerFailed, $"benchmark peer '{_kind}' (pid {_process.Id}) {what}{detail}");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped: nothing to stop.
        }

        _process.Dispose();
    }
}
