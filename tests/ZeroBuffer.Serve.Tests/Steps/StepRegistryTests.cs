using ZeroBuffer.Serve.Steps;
using ZeroBuffer.Serve.Tests.TestSubjects;

namespace ZeroBuffer.Serve.Tests.Steps;

public sealed class StepRegistryTests
{
    private static readonly StepRegistry Registry = StepRegistryBuilder.FromTypes([typeof(SampleSteps), typeof(BrokenSteps)]);

    [Fact]
    public void Valid_bindings_keep_pattern_type_and_source()
    {
        StepBinding apples = Registry.Valid.Single(b => b.Method.Name == nameof(SampleSteps.Apples));
        Assert.Equal("given", apples.StepType);
        Assert.Equal("the '([^']+)' process has '(-?\\d+)' apples", apples.Pattern);
        Assert.Matches(@"^TestSubjects/SampleSteps\.cs:\d+$|^SampleSteps\.cs:\d+$", apples.Source);
        Assert.Equal("step", Registry.Valid.Single(b => b.Method.Name == nameof(SampleSteps.Optional)).StepType);
    }

    [Fact]
    public void Problems_become_invalid_bindings_instead_of_exceptions()
    {
        Dictionary<string, string> errors = Registry.Invalid.ToDictionary(b => b.Method.Name, b => b.Error!);

        Assert.Equal(4, errors.Count);
        Assert.Contains("invalid regular expression", errors[nameof(BrokenSteps.BadRegex)], StringComparison.Ordinal);
        Assert.Contains("2 capture group(s) but the method takes 1", errors[nameof(BrokenSteps.TooFewParameters)], StringComparison.Ordinal);
        Assert.Contains("DateTime", errors[nameof(BrokenSteps.UnsupportedType)], StringComparison.Ordinal);
        Assert.Contains("return type Int32", errors[nameof(BrokenSteps.BadReturn)], StringComparison.Ordinal);
        // Only a pattern that does not compile lacks a regex; the others keep theirs to explain misses.
        Assert.Null(Registry.Invalid.Single(b => b.Method.Name == nameof(BrokenSteps.BadRegex)).Regex);
        Assert.NotNull(Registry.Invalid.Single(b => b.Method.Name == nameof(BrokenSteps.TooFewParameters)).Regex);
    }

    [Fact]
    public void Step_classes_are_the_declaring_types()
    {
        Assert.Equal([typeof(BrokenSteps), typeof(SampleSteps)], Registry.StepClasses.OrderBy(t => t.Name));
    }

    [Fact]
    public void Patterns_are_anchored_and_culture_invariant()
    {
        var regex = StepRegistryBuilder.Compile("a|b");
        Assert.Matches(regex, "a");
        Assert.DoesNotMatch(regex, "ab");
        Assert.DoesNotMatch(regex, "xa");
        Assert.True(regex.Options.HasFlag(System.Text.RegularExpressions.RegexOptions.CultureInvariant));
    }

    [Fact]
    public void The_worker_registry_is_complete_and_valid()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        ZeroBuffer.Serve.StepDefinitions.ServiceRegistration.AddZeroBufferSteps(services);
        StepRegistry registry = (StepRegistry)services.Single(d => d.ServiceType == typeof(StepRegistry)).ImplementationInstance!;

        Assert.Empty(registry.Invalid);
        Assert.Equal(115, registry.Valid.Count); // 62 + sections 6 and 7 (2 synchronization + 4 integrity) + sections 5 and 11 (5 edge-case) + sections 8 and 13 (8 platform + 3 compliance) + section 10 (5 corruption + 2 background reading) + section 12 (11 stress) + sections 9 and 15 (13 benchmark)
    }
}
