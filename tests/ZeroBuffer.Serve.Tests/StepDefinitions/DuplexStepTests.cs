using Harmony.Protocol.Messages;
using ZeroBuffer.Serve.Steps;
using ZeroBuffer.Serve.Tests.Support;

namespace ZeroBuffer.Serve.Tests.StepDefinitions;

/// <summary>The duplex steps against the real library in this process (client and server share one context).</summary>
public sealed class DuplexStepTests : IAsyncLifetime
{
    private readonly InProcessWorker _worker = new();

    public Task InitializeAsync() => _worker.StartAsync();

    public async Task DisposeAsync() => await _worker.DisposeAsync();

    private async Task StartAndConnect(string channel, string server = "starts an immutable 'echo' server", string mode = "in 'SingleThread' mode")
    {
        await _worker.PassAsync($"the 'server' process {server} on channel '{channel}' with payload size '65536' {mode}");
        await _worker.PassAsync($"the 'client' process connects to channel '{channel}' with response payload size '65536'");
    }

    [Fact]
    public async Task Requests_sent_in_one_step_are_received_in_another_and_checked_byte_by_byte()
    {
        await StartAndConnect("d-echo");
        StepOutcome sent = await _worker.PassAsync("the 'client' process sends '3' requests with size '100'");
        Assert.Equal(3UL, sent.Data!["lastSequence"]);

        StepOutcome received = await _worker.PassAsync("the 'client' process should receive the 'echo' response to every request in 'request' order within '5000' ms");
        Assert.Equal(3, received.Data!["count"]);

        await _worker.PassAsync("the 'client' process sends a request with size '10'");
        StepOutcome wrongHandler = await _worker.RunAsync("the 'client' process should receive the 'xor' response to every request in 'any' order within '5000' ms");
        Assert.Equal(ErrorTypes.AssertionFailed, wrongHandler.ErrorType);
        Assert.Contains("differs at byte 0", wrongHandler.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Order_and_timing_checks_fail_when_the_responses_do_not_fit()
    {
        await StartAndConnect("d-order");
        await _worker.PassAsync("the 'client' process sends '3' requests with size '8'");
        StepOutcome reverse = await _worker.RunAsync("the 'client' process should receive the 'echo' response to every request in 'reverse' order within '5000' ms");
        Assert.Equal(ErrorTypes.AssertionFailed, reverse.ErrorType);
        Assert.Contains("not in reverse order", reverse.Error, StringComparison.Ordinal);

        StepOutcome waited = await _worker.RunAsync("the 'client' process should have waited at least '2000' ms for the first response");
        Assert.Equal(ErrorTypes.AssertionFailed, waited.ErrorType);
        Assert.Contains("expected at least 2000 ms", waited.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_reversing_server_answers_last_first_after_its_delay()
    {
        await _worker.PassAsync("the 'server' process starts an immutable 'echo' server on channel 'd-reverse' with payload size '65536' answering every '4' requests in reverse order after '300' ms");
        await _worker.PassAsync("the 'client' process connects to channel 'd-reverse' with response payload size '65536'");
        await _worker.PassAsync("the 'client' process sends '4' requests with size '64'");

        StepOutcome received = await _worker.PassAsync("the 'client' process should receive the 'echo' response to every request in 'reverse' order within '10000' ms");
        Assert.Equal(new ulong[] { 4, 3, 2, 1 }, received.Data!["sequences"]);
        await _worker.PassAsync("the 'client' process should have waited at least '300' ms for the first response");
    }

    [Fact]
    public async Task The_mutable_path_allocates_nothing_and_the_check_sees_a_copy_that_is_not_there()
    {
        await StartAndConnect("d-mutable", "starts a mutable 'xor' server");
        await _worker.PassAsync("the 'client' process sends '10' requests with size '4096'");
        await _worker.PassAsync("the 'client' process should receive the 'xor' response to every request in 'request' order within '5000' ms");

        await _worker.PassAsync("the 'server' process should have allocated nothing per request on channel 'd-mutable'");
        StepOutcome copy = await _worker.RunAsync("the 'server' process should have allocated at least the request size per request on channel 'd-mutable'");
        Assert.Equal(ErrorTypes.AssertionFailed, copy.ErrorType);
    }

    [Fact]
    public async Task The_immutable_path_copies_each_request_and_the_nothing_check_fails_there()
    {
        await StartAndConnect("d-immutable", "starts an immutable 'xor' server");
        await _worker.PassAsync("the 'client' process sends '10' requests with size '4096'");
        await _worker.PassAsync("the 'client' process should receive the 'xor' response to every request in 'request' order within '5000' ms");

        await _worker.PassAsync("the 'server' process should have allocated at least the request size per request on channel 'd-immutable'");
        StepOutcome none = await _worker.RunAsync("the 'server' process should have allocated nothing per request on channel 'd-immutable'");
        Assert.Equal(ErrorTypes.AssertionFailed, none.ErrorType);
        Assert.Contains("expected none per request", none.Error);
    }

    [Fact]
    public async Task Held_requests_fail_after_stop_and_the_channel_leaves_nothing_once_the_client_goes()
    {
        await _worker.PassAsync("the 'server' process starts an immutable 'echo' server on channel 'd-stop' with payload size '65536' answering only the first '1' requests");
        await _worker.PassAsync("the 'client' process connects to channel 'd-stop' with response payload size '65536'");
        await _worker.PassAsync("the 'client' process sends '3' requests with size '16'");
        await _worker.PassAsync("the 'client' process should receive '1' 'echo' responses within '5000' ms");

        StepOutcome miscounted = await _worker.RunAsync("the 'client' process should fail to receive the '3' pending responses with 'WriterDead' within '100' ms");
        Assert.Equal(ErrorTypes.AssertionFailed, miscounted.ErrorType);
        Assert.Contains("found 2", miscounted.Error, StringComparison.Ordinal);

        await _worker.PassAsync("the 'server' process stops the server on channel 'd-stop'");
        await _worker.PassAsync("the 'client' process should fail to receive the '2' pending responses with 'WriterDead' within '5000' ms");
        StepOutcome stillThere = await _worker.RunAsync("the 'server' process should see no shared memory left for channel 'd-stop'");
        Assert.Contains("_response", stillThere.Error, StringComparison.Ordinal);

        await _worker.PassAsync("the 'client' process disconnects from channel 'd-stop'");
        await _worker.PassAsync("the 'server' process should see no shared memory left for channel 'd-stop'");
    }
}
