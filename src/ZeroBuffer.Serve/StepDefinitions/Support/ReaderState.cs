namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>A reader of the scenario, the role whose step created it, and the last sequence it consumed (0 = none yet).</summary>
public sealed class ReaderState(Reader reader, string featureName, string role)
{
    public Reader Reader { get; } = reader;

    /// <summary>The name as the feature wrote it (without the run id prefix).</summary>
    public string FeatureName { get; } = featureName;

    /// <summary>The <c>process</c> of the step that created the reader (for <c>simulateCrash</c>).</summary>
    public string Role { get; } = role;

    public ulong LastSequence { get; set; }

    public ulong ExpectedNext => LastSequence + 1;
}
