namespace ZeroBuffer.Serve.Steps;

/// <summary>Every step binding found, valid or not, and the classes that hold them.</summary>
public sealed class StepRegistry
{
    public StepRegistry(IReadOnlyList<StepBinding> bindings)
    {
        Bindings = bindings;
        Valid = bindings.Where(b => b.IsValid).ToList();
        Invalid = bindings.Where(b => !b.IsValid).ToList();
        StepClasses = bindings.Select(b => b.Method.DeclaringType!).Where(t => !t.IsAbstract).Distinct().ToList();
    }

    public IReadOnlyList<StepBinding> Bindings { get; }

    public IReadOnlyList<StepBinding> Valid { get; }

    public IReadOnlyList<StepBinding> Invalid { get; }

    /// <summary>The classes to instantiate per scenario (one instance each).</summary>
    public IReadOnlyList<Type> StepClasses { get; }
}
