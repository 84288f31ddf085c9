namespace ZeroBuffer.Serve.StepDefinitions;

/// <summary>Pattern pieces shared by the step definitions.</summary>
internal static class Phrases
{
    /// <summary>"the '&lt;role&gt;' process ": the role is captured and ignored (the orchestrator routed the step).</summary>
    public const string Role = "the '([^']+)' process ";

    /// <summary>A buffer name as the feature writes it (validated by the library, not here).</summary>
    public const string Name = "'([^']*)'";

    public const string Int = "'(-?\\d+)'";

    public const string Count = "'(\\d+)'";

    public const string Kind = "'([A-Za-z]+)'";
}

/// <summary>What a connection check expects.</summary>
public enum ConnectionState
{
    Connected,
    Disconnected,
}

/// <summary>Which end of a buffer an OIEB pid step is about.</summary>
public enum PeerRole
{
    Writer,
    Reader,
}

/// <summary>Which semaphore a "signals pending" step reads: sem-r (space freed) or sem-w (frame written).</summary>
public enum SignalKind
{
    Space,
    Frame,
}
