using ZeroBuffer.Serve.Steps;

namespace ZeroBuffer.Serve.Tests.TestSubjects;

public enum Colour
{
    Red,
    DarkBlue,
}

/// <summary>Valid bindings covering every conversion and return shape.</summary>
public sealed class SampleSteps
{
    public List<string> Calls { get; } = [];

    [Given("the '([^']+)' process has '(-?\\d+)' apples")]
    public void Apples(string role, int count) => Calls.Add($"apples {role} {count}");

    [When("a long '(\\d+)' and a flag '(true|false|yes|no)'")]
    public StepData LongAndFlag(long value, bool flag) => new() { ["value"] = value, ["flag"] = flag };

    [Then("the colour is '([^']*)'")]
    public StepData ColourIs(Colour colour) => new() { ["colour"] = colour.ToString() };

    [Step("an optional number '([^']*)'")]
    public StepData Optional(int? number) => new() { ["number"] = number };

    [Given("a table")]
    public StepData Table(StepTable table) => new() { ["rows"] = table.Rows.Count, ["first"] = table.ToDictionaries()[0]["name"] };

    [Given("a doc string")]
    public StepData DocString(StepDocString doc) => new() { ["content"] = doc.Content, ["mediaType"] = doc.MediaType };

    [When("an async step returns '(\\d+)'")]
    public async Task<StepData> AsyncStep(int value, CancellationToken ct)
    {
        await Task.Delay(1, ct);
        return new StepData { ["value"] = value };
    }

    [When("an async void-like step")]
    public async ValueTask AsyncValueTask() => await Task.Yield();

    [Then("a step that sleeps '(\\d+)' ms")]
    public void Sleeps(int milliseconds, CancellationToken ct)
    {
        // Honours cancellation, as the library-facing steps do.
        if (ct.WaitHandle.WaitOne(milliseconds))
        {
            ct.ThrowIfCancellationRequested();
        }
    }

    [Then("a step that blocks '(\\d+)' ms")]
    public void Blocks(int milliseconds) => Thread.Sleep(milliseconds); // ignores cancellation, as a blocked library call does

    [Then("a step that asserts")]
    public void Asserts() => throw new StepAssertionException("expected 1, got 2");

    [Then("a step that fails with kind '([A-Za-z]+)'")]
    public void FailsWithKind(string kind) => throw new StepFailureException(kind, $"failed as {kind}");

    [Then("a step that throws")]
    public void Throws() => throw new InvalidOperationException("boom");

    [Then("a step that throws a library error")]
    public void ThrowsLibraryError() => throw new BufferFullException("The buffer 'x' is full.", "x");

    [Given("ambiguous '(.*)'")]
    public void AmbiguousOne(string value) => Calls.Add(value);

    [Given("ambiguous '([a-z]+)'")]
    public void AmbiguousTwo(string value) => Calls.Add(value);

    [Given("a static step")]
    public static StepData Static() => new() { ["static"] = true };
}

/// <summary>Bindings that must be reported as invalid, not thrown.</summary>
public sealed class BrokenSteps
{
    [Given("an unclosed (group")]
    public void BadRegex() { }

    [Given("two groups '(\\d+)' '(\\d+)'")]
    public void TooFewParameters(int one) { }

    [Given("an unsupported '(.*)'")]
    public void UnsupportedType(DateTime when) { }

    [Given("a bad return")]
    public int BadReturn() => 1;
}
