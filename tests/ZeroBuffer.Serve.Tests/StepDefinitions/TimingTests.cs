using ZeroBuffer.Serve.StepDefinitions.Support;
using ZeroBuffer.Serve.Steps;

namespace ZeroBuffer.Serve.Tests.StepDefinitions;

public sealed class TimingTests
{
    [Theory]
    [InlineData(1000, 1000)]
    [InlineData(1500, 1000)]
    [InlineData(4000, 1000)]
    public void A_call_that_waited_its_timeout_passes(double elapsed, double timeout) =>
        Timing.ExpectWaited("It failed", elapsed, timeout);

    [Fact]
    public void A_call_that_returned_early_fails()
    {
        var failure = Assert.Throws<StepAssertionException>(() => Timing.ExpectWaited("Reading failed with 'WriterDead'", 12, 1000));
        Assert.Equal("Reading failed with 'WriterDead' after 12 ms, before its 1000 ms timeout: it did not wait.", failure.Message);
    }

    [Fact]
    public void A_call_far_past_its_timeout_fails()
    {
        var failure = Assert.Throws<StepAssertionException>(() => Timing.ExpectWaited("Writing failed", 4001, 1000));
        Assert.Contains("more than 3000 ms past its 1000 ms timeout", failure.Message, StringComparison.Ordinal);
    }
}
