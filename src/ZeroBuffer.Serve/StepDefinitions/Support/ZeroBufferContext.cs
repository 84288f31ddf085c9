using Microsoft.Extensions.Logging;
using ZeroBuffer.Serve.Steps;

namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>
/// The per-scenario state of one worker (STEPS.md): readers and writers by buffer name, the
/// current reader and writer, the write timeout and background work (writes and reads). In
/// same-process mode one context serves every role. <see cref="ReleaseAsync"/> (cleanup) disposes all of it;
/// <see cref="CrashAsync"/> (simulateCrash) abandons what one role created and forgets it.
/// </summary>
public sealed class ZeroBufferContext(ScenarioState scenario, ILoggerFactory loggers) : IScenarioCleanup, IRoleCrash
{
    /// <summary>Extra time, past a blocked call's own timeout, that cleanup waits for background work.</summary>
    private static readonly TimeSpan JoinSlack = TimeSpan.FromSeconds(2);

    private readonly ILogger _logger = loggers.CreateLogger<ZeroBufferContext>();
    private readonly Lock _gate = new();
    private readonly List<ReaderState> _readers = [];
    private readonly Dictionary<string, Writer> _writers = new(StringComparer.Ordinal);
    private readonly Dictionary<Writer, string> _writerRoles = [];
    private readonly List<IBackgroundWork> _background = [];
    private readonly List<CreateRace> _races = [];
    private ReaderState? _currentReader;
    private Writer? _currentWriter;
    private string? _currentBuffer;
    private TimeSpan? _writeTimeout;

    public CancellationToken Cancellation => scenario.Cancellation;

    public ILogger Logger => _logger;

    /// <summary>The OS name of a feature's buffer: <c>&lt;runId&gt;-&lt;name&gt;</c> (just the name without a run id).</summary>
    public string Qualify(string featureName) =>
        scenario.Info.RunId.Length == 0 ? featureName : $"{scenario.Info.RunId}-{featureName}";

    /// <summary>
    /// The OS name filled up with 'x' to exactly <paramref name="padTo"/> characters (0: as it is), so a
    /// feature can name a maximum-length buffer whatever the run id's length (STEPS.md, Platform).
    /// </summary>
    public string Qualify(string featureName, int padTo)
    {
        string name = Qualify(featureName);
        if (padTo == 0)
        {
            return name;
        }

        return name.Length <= padTo
            ? name.PadRight(padTo, 'x')
            : throw new StepAssertionException($"Cannot pad '{name}' to {padTo} characters: it already has {name.Length}.");
    }

    public ReaderState CurrentReader =>
        _currentReader ?? throw new InvalidOperationException("This worker has no reader in the scenario: no 'creates buffer' step succeeded here.");

    public Writer CurrentWriter =>
        _currentWriter ?? throw new InvalidOperationException("This worker has no writer in the scenario: no 'connects to buffer' step succeeded here.");

    /// <summary>
    /// The OS name of the buffer of the last "creates buffer", "connects to buffer" or "leaves stale
    /// resources" step here; the OIEB and semaphore steps look at it by name.
    /// </summary>
    public string CurrentBuffer
    {
        get => _currentBuffer ?? throw new InvalidOperationException("This worker has no current buffer: no 'creates buffer', 'connects to buffer' or 'leaves stale resources' step succeeded here.");
        set => _currentBuffer = value;
    }

    /// <summary>The races this worker started in the scenario, joined or not.</summary>
    public IReadOnlyList<CreateRace> Races
    {
        get
        {
            lock (_gate)
            {
                return _races.ToArray();
            }
        }
    }

    /// <summary>The background writing started last, if it has not been joined.</summary>
    public BackgroundWrite CurrentBackground
    {
        get
        {
            lock (_gate)
            {
                return _background.OfType<BackgroundWrite>().LastOrDefault()
                    ?? throw new InvalidOperationException("No background writing is in progress in this worker: no 'starts writing ... in the background' step is pending.");
            }
        }
    }

    /// <summary>The background read started last, if it has not been joined.</summary>
    public BackgroundRead CurrentBackgroundRead
    {
        get
        {
            lock (_gate)
            {
                return _background.OfType<BackgroundRead>().LastOrDefault()
                    ?? throw new InvalidOperationException("No background read is in progress in this worker: no 'starts reading a frame in the background' step is pending.");
            }
        }
    }

    /// <summary>Creates the buffer; the new reader becomes the current one.</summary>
    public ReaderState CreateReader(string featureName, int metadataSize, int payloadSize, string role, int padTo = 0)
    {
        var config = new BufferConfig(metadataSize, payloadSize);
        var reader = new Reader(Qualify(featureName, padTo), config, loggers.CreateLogger<Reader>());
        var state = new ReaderState(reader, featureName, role);
        lock (_gate)
        {
            _readers.Add(state);
            _currentReader = state;
            _currentBuffer = reader.Name;
        }

        return state;
    }

    /// <summary>Connects a writer (replacing this context's previous writer of the buffer); it becomes the current one.</summary>
    public Writer ConnectWriter(string featureName, string role, int padTo = 0)
    {
        string name = Qualify(featureName, padTo);
        Writer? previous;
        lock (_gate)
        {
            _writers.TryGetValue(name, out previous);
        }

        if (previous is not null)
        {
            ThrowIfBusy(previous);
            previous.Dispose();
            lock (_gate)
            {
                _writers.Remove(name);
                _writerRoles.Remove(previous);
                if (_currentWriter == previous)
                {
                    _currentWriter = null;
                }
            }

            _logger.LogInformation("Replaced the previous writer of '{Buffer}'", name);
        }

        var writer = new Writer(name, loggers.CreateLogger<Writer>());
        if (_writeTimeout is { } timeout)
        {
            writer.WriteTimeout = timeout;
        }

        lock (_gate)
        {
            _writers[name] = writer;
            _writerRoles[writer] = role;
            _currentWriter = writer;
            _currentBuffer = name;
        }

        return writer;
    }

    /// <summary>Closes the current reader gracefully (PROTOCOL.md §5 close) and forgets it; the current buffer stays.</summary>
    public string CloseCurrentReader()
    {
        ReaderState state = CurrentReader;
        ThrowIfBusy(state);
        state.Reader.Dispose();
        lock (_gate)
        {
            _readers.Remove(state);
            _currentReader = null;
        }

        return state.Reader.Name;
    }

    /// <summary>Closes every reader of the scenario gracefully and forgets them; the current buffer stays. Returns their names.</summary>
    public IReadOnlyList<string> CloseAllReaders()
    {
        ReaderState[] readers;
        lock (_gate)
        {
            readers = _readers.ToArray();
            _readers.Clear();
            _currentReader = null;
        }

        foreach (ReaderState state in readers)
        {
            state.Reader.Dispose();
        }

        return readers.Select(r => r.Reader.Name).ToArray();
    }

    /// <summary>Closes the current writer (it must not be writing in the background) and forgets it; the current buffer stays.</summary>
    public string CloseCurrentWriter()
    {
        Writer writer = CurrentWriter;
        ThrowIfBusy(writer);
        writer.Dispose();
        lock (_gate)
        {
            _writers.Remove(writer.Name);
            _writerRoles.Remove(writer);
            _currentWriter = null;
        }

        return writer.Name;
    }

    /// <summary>Sets the current writer's write timeout (when there is one) and the default for later writers.</summary>
    public void SetWriteTimeout(TimeSpan timeout)
    {
        _writeTimeout = timeout;
        if (_currentWriter is { } writer)
        {
            writer.WriteTimeout = timeout;
        }
    }

    /// <summary>The current writer, refused while background work is writing through it (a writer is single-threaded).</summary>
    public Writer IdleWriter()
    {
        Writer writer = CurrentWriter;
        ThrowIfBusy(writer);
        return writer;
    }

    public BackgroundWrite StartBackground(int count, int size, FrameFill? fill = null, bool underLoad = false)
    {
        Writer writer = IdleWriter();
        var work = BackgroundWrite.Start(writer, count, size, Cancellation, loggers.CreateLogger<BackgroundWrite>(), fill, underLoad);
        lock (_gate)
        {
            _background.Add(work);
        }

        return work;
    }

    /// <summary>Starts one read of the current reader (not already reading in the background) with that timeout.</summary>
    public BackgroundRead StartBackgroundRead(TimeSpan timeout)
    {
        ReaderState state = CurrentReader;
        ThrowIfBusy(state);
        var work = BackgroundRead.Start(state, timeout, Cancellation, loggers.CreateLogger<BackgroundRead>());
        lock (_gate)
        {
            _background.Add(work);
        }

        return work;
    }

    public CreateRace StartRace(string featureName, int attempts, string role)
    {
        var race = CreateRace.Start(Qualify(featureName), attempts, role, Cancellation, loggers.CreateLogger<CreateRace>());
        lock (_gate)
        {
            _races.Add(race);
        }

        return race;
    }

    /// <summary>Forgets finished background work once a step has reported it.</summary>
    public void Joined(IBackgroundWork work)
    {
        lock (_gate)
        {
            _background.Remove(work);
        }
    }

    public async Task<IReadOnlyList<string>> ReleaseAsync(CancellationToken ct)
    {
        var released = new List<string>();
        IBackgroundWork[] background;
        Writer[] writers;
        ReaderState[] readers;
        lock (_gate)
        {
            background = _background.ToArray();
            writers = _writers.Values.ToArray();
            readers = _readers.ToArray();
            _background.Clear();
            _writers.Clear();
            _writerRoles.Clear();
            _readers.Clear();
            _currentReader = null;
            _currentWriter = null;
        }

        CreateRace[] races;
        lock (_gate)
        {
            races = _races.ToArray();
            _races.Clear();
        }

        foreach (CreateRace race in races)
        {
            if (await StopAsync(race, ct).ConfigureAwait(false))
            {
                released.Add(race.Describe());
            }
        }

        var stuck = new HashSet<object>();
        foreach (IBackgroundWork work in background)
        {
            if (!await StopAsync(work, ct).ConfigureAwait(false))
            {
                // Disposing a writer or reader under a blocked call could fault the process: leave it to the exit.
                stuck.Add(UsedBy(work));
                continue;
            }

            released.Add(work.Describe());
        }

        foreach (Writer writer in writers)
        {
            if (stuck.Contains(writer))
            {
                continue;
            }

            released.Add($"writer '{writer.Name}'");
            Dispose(writer, writer.Name);
        }

        foreach (ReaderState state in readers.Where(r => !stuck.Contains(r)))
        {
            released.Add($"reader '{state.Reader.Name}'");
            Dispose(state.Reader, state.Reader.Name);
        }

        if (stuck.Count > 0)
        {
            throw new InvalidOperationException($"{stuck.Count} background write(s) or read(s) did not stop; released: {string.Join(", ", released)}");
        }

        return released;
    }

    /// <summary>
    /// STEPS.md "Same-process crashes": the role's background work is stopped, then its readers and
    /// writers are abandoned (descriptors closed, nothing unlinked, pid fields made dead) and forgotten.
    /// </summary>
    public async Task<IReadOnlyList<string>> CrashAsync(string role, CancellationToken ct)
    {
        ReaderState[] readers;
        Writer[] writers;
        IBackgroundWork[] background;
        CreateRace[] races;
        lock (_gate)
        {
            readers = _readers.Where(r => r.Role == role).ToArray();
            writers = _writerRoles.Where(w => w.Value == role).Select(w => w.Key).ToArray();
            object[] owned = [.. writers, .. readers];
            background = _background.Where(w => owned.Contains(UsedBy(w))).ToArray();
            races = _races.Where(r => r.Role == role).ToArray();
            foreach (ReaderState reader in readers)
            {
                _readers.Remove(reader);
            }

            foreach (Writer writer in writers)
            {
                _writers.Remove(writer.Name);
                _writerRoles.Remove(writer);
            }

            _background.RemoveAll(background.Contains);
            _races.RemoveAll(races.Contains);
            if (_currentReader is { } current && readers.Contains(current))
            {
                _currentReader = null;
            }

            if (_currentWriter is { } currentWriter && writers.Contains(currentWriter))
            {
                _currentWriter = null;
            }
        }

        var abandoned = new List<string>();
        foreach (CreateRace race in races)
        {
            await StopAsync(race, ct).ConfigureAwait(false);
            abandoned.Add(race.Describe());
        }

        var stuck = new HashSet<object>();
        foreach (IBackgroundWork work in background)
        {
            if (!await StopAsync(work, ct).ConfigureAwait(false))
            {
                stuck.Add(UsedBy(work)); // closing its mapping under a running call could fault the process
            }

            abandoned.Add(work.Describe());
        }

        foreach (Writer writer in writers.Where(w => !stuck.Contains(w)))
        {
            Abandonment.Abandon(writer);
            abandoned.Add($"writer '{writer.Name}'");
        }

        foreach (ReaderState state in readers.Where(r => !stuck.Contains(r)))
        {
            Abandonment.Abandon(state.Reader);
            abandoned.Add($"reader '{state.Reader.Name}'");
        }

        return abandoned;
    }

    /// <summary>Cancels background work and waits for it past its call timeout; false when it did not stop.</summary>
    private async Task<bool> StopAsync(IBackgroundWork work, CancellationToken ct)
    {
        work.Cancel();
        return await StoppedAsync(work.Task, work.CallTimeout + JoinSlack, work.Describe(), ct).ConfigureAwait(false);
    }

    /// <summary>The writer or reader (its <see cref="ReaderState"/>) the work calls into.</summary>
    private static object UsedBy(IBackgroundWork work) => work switch
    {
        BackgroundWrite write => write.Writer,
        BackgroundRead read => read.State,
        _ => throw new InvalidOperationException($"Unknown background work: {work.Describe()}"),
    };

    /// <summary>Cancels a race and waits for its current attempt; false when it did not stop.</summary>
    private async Task<bool> StopAsync(CreateRace race, CancellationToken ct)
    {
        race.Cancel();
        return await StoppedAsync(race.Task, JoinSlack, race.Describe(), ct).ConfigureAwait(false);
    }

    private async Task<bool> StoppedAsync(Task task, TimeSpan limit, string what, CancellationToken ct)
    {
        try
        {
            await task.WaitAsync(limit, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && ct.IsCancellationRequested))
        {
            _logger.LogError("The {Work} did not stop", what);
            return false;
        }
        catch (Exception)
        {
            // Cancelled or failed: either way it has stopped.
        }

        return true;
    }

    private void ThrowIfBusy(Writer writer)
    {
        lock (_gate)
        {
            if (_background.FirstOrDefault(w => UsedBy(w) == writer && !w.Task.IsCompleted) is { } busy)
            {
                throw new StepAssertionException($"The writer of '{writer.Name}' is busy with {busy.Describe()}; join it first ('should finish writing within ...').");
            }
        }
    }

    private void ThrowIfBusy(ReaderState reader)
    {
        lock (_gate)
        {
            if (_background.FirstOrDefault(w => UsedBy(w) == reader && !w.Task.IsCompleted) is { } busy)
            {
                throw new StepAssertionException($"The reader of '{reader.Reader.Name}' is busy with {busy.Describe()}; join it first ('should stop reading with ...').");
            }
        }
    }

    private void Dispose(IDisposable resource, string name)
    {
        try
        {
            resource.Dispose();
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Cleanup: disposing '{Buffer}' failed", name);
        }
    }
}
