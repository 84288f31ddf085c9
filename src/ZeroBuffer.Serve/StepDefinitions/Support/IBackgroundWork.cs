namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>
/// Work a step started on its own thread and a later step joins (a background write or read); the
/// context tracks it so cleanup and <c>simulateCrash</c> stop it before closing what it uses.
/// </summary>
public interface IBackgroundWork
{
    /// <summary>Completes when the work is done; faults with the library error that stopped it.</summary>
    Task Task { get; }

    /// <summary>The longest one blocked library call of the work can take (its write or read timeout).</summary>
    TimeSpan CallTimeout { get; }

    string Describe();

    /// <summary>Asks the work to stop before its next library call (a blocked call still ends at its timeout).</summary>
    void Cancel();
}
