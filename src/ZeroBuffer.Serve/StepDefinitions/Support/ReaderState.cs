namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>A reader of the scenario, with the last sequence it consumed (0 = none yet).</summary>
public sealed class ReaderState(Reader reader, string featureName)
{
    public Reader Reader { get; } = reader;

    /// <summary>The name as the feature wrote it (without the run id prefix).</summary>
    public string FeatureName { get; } = featureName;

    public ulong LastSequence { get; set; }

    public ulong ExpectedNext => LastSequence + 1;
}
