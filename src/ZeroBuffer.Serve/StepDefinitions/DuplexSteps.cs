using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ZeroBuffer.DuplexChannel;
using ZeroBuffer.Serve.StepDefinitions.Support;
using ZeroBuffer.Serve.Steps;
using static ZeroBuffer.Serve.StepDefinitions.Phrases;

namespace ZeroBuffer.Serve.StepDefinitions;

/// <summary>In which order a client step expects its responses.</summary>
public enum ResponseOrder
{
    /// <summary>Ascending request sequences.</summary>
    Request,

    /// <summary>Descending request sequences.</summary>
    Reverse,

    /// <summary>No order.</summary>
    Any,
}

/// <summary>The duplex channel (feature 14, STEPS.md "Duplex channel"): servers, clients, their checks.</summary>
public sealed class DuplexSteps(DuplexContext context, ILogger<DuplexSteps> logger)
{
    private const string Handler = "'([a-z]+)'";
    private const string Mode = "'([A-Za-z]+)'";
    private const string ImmutableServer = "starts an immutable " + Handler + " server on channel " + Name + " with payload size " + Count;

    /// <summary>How long a connection check lets a peer's death become visible.</summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(2000);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    [Given(Role + ImmutableServer + " in " + Mode + " mode")]
    public StepData StartImmutable(string role, DuplexHandler handler, string channel, int payloadSize, ProcessingMode mode) =>
        Start(immutable: true, handler, channel, payloadSize, new DuplexServerOptions { Mode = mode }, AnswerPlan.Immediately);

    [Given(Role + ImmutableServer + " in " + Mode + " mode with " + Count + " ms delay")]
    public StepData StartDelayed(string role, DuplexHandler handler, string channel, int payloadSize, ProcessingMode mode, int delayMs) =>
        Start(immutable: true, handler, channel, payloadSize, new DuplexServerOptions { Mode = mode }, new AnswerPlan.Fixed(delayMs));

    [Given(Role + ImmutableServer + " in " + Mode + " mode with a delay of up to " + Count + " ms")]
    public StepData StartVariable(string role, DuplexHandler handler, string channel, int payloadSize, ProcessingMode mode, int maxDelayMs) =>
        Start(immutable: true, handler, channel, payloadSize, new DuplexServerOptions { Mode = mode }, new AnswerPlan.UpTo(maxDelayMs));

    [Given(Role + ImmutableServer + " answering every " + Count + " requests in reverse order after " + Count + " ms")]
    public StepData StartReversing(string role, DuplexHandler handler, string channel, int payloadSize, int batch, int delayMs) =>
        Start(immutable: true, handler, channel, payloadSize,
            new DuplexServerOptions { Mode = ProcessingMode.ThreadPool, HandlerCount = batch },
            new AnswerPlan.ReverseBatch(batch, delayMs));

    [Given(Role + ImmutableServer + " answering only the first " + Count + " requests")]
    public StepData StartAnsweringFirst(string role, DuplexHandler handler, string channel, int payloadSize, int count) =>
        Start(immutable: true, handler, channel, payloadSize, new DuplexServerOptions(), new AnswerPlan.FirstOnly(count));

    [Given(Role + "starts a mutable " + Handler + " server on channel " + Name + " with payload size " + Count + " in " + Mode + " mode")]
    public StepData StartMutable(string role, DuplexHandler handler, string channel, int payloadSize, ProcessingMode mode) =>
        Start(immutable: false, handler, channel, payloadSize, new DuplexServerOptions { Mode = mode }, AnswerPlan.Immediately);

    [When(Role + "stops the server on channel " + Name)]
    public StepData StopServer(string role, string channel)
    {
        StepServer server = context.StopServer(channel);
        logger.LogInformation("Stopped the duplex server of '{Channel}' ({Answered} answered)", server.ChannelName, server.Answered);
        return new StepData { ["channel"] = server.ChannelName, ["answered"] = server.Answered };
    }

    [Then(Role + "should be handling a request within " + Count + " ms")]
    public async Task<StepData> ShouldBeHandling(string role, int milliseconds, CancellationToken ct)
    {
        StepServer server = context.CurrentServer;
        if (!await PollAsync(() => server.Handling > 0, TimeSpan.FromMilliseconds(milliseconds), ct).ConfigureAwait(false))
        {
            throw new StepAssertionException($"Channel '{server.ChannelName}': no handler was running within {milliseconds} ms ({server.Answered} answered).");
        }

        return new StepData { ["channel"] = server.ChannelName, ["handling"] = server.Handling };
    }

    [Then(Role + "should still be writing a response after " + Count + " ms")]
    public async Task<StepData> ShouldStillBeWriting(string role, int milliseconds, CancellationToken ct)
    {
        StepServer server = context.CurrentServer;
        await Task.Delay(milliseconds / 2, ct).ConfigureAwait(false);
        (int writing, int answered) half = (server.Writing, server.Answered);
        await Task.Delay(milliseconds - (milliseconds / 2), ct).ConfigureAwait(false);
        if (half.writing == 0 || server.Writing == 0 || server.Answered != half.answered)
        {
            throw new StepAssertionException(
                $"Channel '{server.ChannelName}': expected a response blocked in its write through the second half of {milliseconds} ms, " +
                $"but {half.writing} then {server.Writing} were being written and the answered count went from {half.answered} to {server.Answered}.");
        }

        return new StepData { ["channel"] = server.ChannelName, ["writing"] = server.Writing, ["answered"] = server.Answered };
    }

    [Then(Role + "should have answered " + Count + " requests within " + Count + " ms")]
    public async Task<StepData> ShouldHaveAnswered(string role, int count, int milliseconds, CancellationToken ct)
    {
        StepServer server = context.CurrentServer;
        await PollAsync(() => server.Answered >= count, TimeSpan.FromMilliseconds(milliseconds), ct).ConfigureAwait(false);
        if (server.Answered != count)
        {
            throw new StepAssertionException($"Channel '{server.ChannelName}': expected {count} requests answered within {milliseconds} ms, found {server.Answered}.");
        }

        return new StepData { ["channel"] = server.ChannelName, ["answered"] = server.Answered };
    }

    [Then(Role + "should see a response fail with " + Kind + " within " + Count + " ms")]
    public async Task<StepData> ShouldSeeResponseFail(string role, string kind, int milliseconds, CancellationToken ct)
    {
        StepServer server = context.CurrentServer;
        await PollAsync(() => server.FailureKind is not null, TimeSpan.FromMilliseconds(milliseconds), ct).ConfigureAwait(false);
        if (server.FailureKind != kind)
        {
            throw new StepAssertionException(server.FailureKind is null
                ? $"Channel '{server.ChannelName}': expected a response to fail with '{kind}' within {milliseconds} ms, but none failed ({server.Answered} answered)."
                : $"Channel '{server.ChannelName}': expected a response to fail with '{kind}', but it failed with '{server.FailureKind}'.");
        }

        return new StepData { ["channel"] = server.ChannelName, ["errorType"] = kind };
    }

    [Then(Role + "should have allocated nothing per request on channel " + Name)]
    public StepData ShouldNotAllocate(string role, string channel)
    {
        (StepServer server, long[] perRequest) = Measured(channel);

        // Per request means every request: an allocation the path makes shows in most iterations
        // (the median) and a request copy adds its size each time (the sum). A single small one-off
        // that the runtime makes on the loop thread (tier-up, a lazily built static on a first
        // timeout under load; seen once as 64 B) is not per request.
        long median = perRequest.Order().ElementAt(perRequest.Length / 2);
        long total = perRequest.Sum();
        if (median != 0 || total >= server.LastRequestSize)
        {
            throw new StepAssertionException(
                $"Channel '{server.ChannelName}': the server thread allocated {total} B over {perRequest.Length} requests " +
                $"(median {median} B; per request: {string.Join(", ", perRequest)}); expected none per request.");
        }

        return AllocationData(server, perRequest);
    }

    [Then(Role + "should have allocated at least the request size per request on channel " + Name)]
    public StepData ShouldAllocateACopy(string role, string channel)
    {
        (StepServer server, long[] perRequest) = Measured(channel);
        int requestSize = server.LastRequestSize;
        long least = perRequest.Min();
        if (least < requestSize)
        {
            throw new StepAssertionException(
                $"Channel '{server.ChannelName}': expected every request to allocate at least {requestSize} B, the least was {least} B.");
        }

        return AllocationData(server, perRequest);
    }

    [Then(Role + "should see no shared memory left for channel " + Name)]
    public StepData ShouldSeeNoSharedMemory(string role, string channel)
    {
        string qualified = context.Qualify(channel);
        string[] left = Directory.EnumerateFileSystemEntries("/dev/shm")
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(n => n.Contains(DuplexChannelNames.Request(qualified), StringComparison.Ordinal) ||
                        n.Contains(DuplexChannelNames.Response(qualified), StringComparison.Ordinal))
            .ToArray();
        if (left.Length > 0)
        {
            throw new StepAssertionException($"Channel '{qualified}' left shared memory behind: {string.Join(", ", left)}.");
        }

        return new StepData { ["channel"] = qualified };
    }

    [Given(Role + "connects to channel " + Name + " with response payload size " + Count)]
    public StepData Connect(string role, string channel, int payloadSize)
    {
        StepClient client = context.Connect(channel, payloadSize);
        logger.LogInformation("Connected a duplex client to '{Channel}' (response payload {Payload} B)", client.ChannelName, payloadSize);
        return new StepData { ["channel"] = client.ChannelName };
    }

    [When(Role + "disconnects from channel " + Name)]
    public StepData Disconnect(string role, string channel)
    {
        context.Disconnect(channel);
        return new StepData { ["channel"] = context.Qualify(channel) };
    }

    [When(Role + "sends a request with size " + Count)]
    public StepData SendOne(string role, int size)
    {
        StepClient client = context.CurrentClient;
        ulong sequence = client.Send(size);
        return new StepData { ["channel"] = client.ChannelName, ["sequence"] = sequence, ["size"] = size };
    }

    [When(Role + "sends " + Count + " requests with size " + Count)]
    public StepData SendMany(string role, int count, int size) => SendRepeated(count, size, client => client.Send(size));

    [When(Role + "sends " + Count + " requests with size " + Count + " through the zero-copy path")]
    public StepData SendZeroCopy(string role, int count, int size) => SendRepeated(count, size, client => client.SendZeroCopy(size));

    [Then(Role + "should receive the " + Handler + " response to every request in '([a-z]+)' order within " + Count + " ms")]
    public StepData ShouldReceiveAll(string role, DuplexHandler handler, ResponseOrder order, int milliseconds, CancellationToken ct)
    {
        StepClient client = context.CurrentClient;
        int expected = client.Pending.Count;
        List<ulong> received = Receive(client, handler, expected, milliseconds, ct);
        IEnumerable<ulong> wanted = order switch
        {
            ResponseOrder.Request => received.Order(),
            ResponseOrder.Reverse => received.OrderDescending(),
            _ => received,
        };
        if (!received.SequenceEqual(wanted))
        {
            throw new StepAssertionException($"Channel '{client.ChannelName}': responses came as {string.Join(", ", received)}, not in {order.ToString().ToLowerInvariant()} order.");
        }

        return new StepData { ["channel"] = client.ChannelName, ["count"] = received.Count, ["sequences"] = received };
    }

    [Then(Role + "should receive " + Count + " " + Handler + " responses within " + Count + " ms")]
    public StepData ShouldReceiveSome(string role, int count, DuplexHandler handler, int milliseconds, CancellationToken ct)
    {
        StepClient client = context.CurrentClient;
        List<ulong> received = Receive(client, handler, count, milliseconds, ct);
        return new StepData { ["channel"] = client.ChannelName, ["count"] = received.Count, ["sequences"] = received };
    }

    [Then(Role + "should fail to receive the " + Count + " pending responses with " + Kind + " within " + Count + " ms")]
    public StepData ShouldFailPending(string role, int count, string kind, int milliseconds)
    {
        StepClient client = context.CurrentClient;
        if (client.Pending.Count != count)
        {
            throw new StepAssertionException(
                $"Channel '{client.ChannelName}': expected {count} unanswered requests, found {client.Pending.Count} {StepClient.Describe(client.Pending)}.");
        }

        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            TimeSpan remaining = TimeSpan.FromMilliseconds(milliseconds) - clock.Elapsed;
            client.OnClientThread(() => ErrorKinds.ExpectFailure(kind, $"receiving pending response {i + 1} of {count} on '{client.ChannelName}'", () =>
            {
                using Frame response = client.Client.ReceiveResponse(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
                throw new StepAssertionException(response.IsValid
                    ? $"Channel '{client.ChannelName}': expected receiving to fail with '{kind}', but response {response.Sequence} arrived."
                    : $"Channel '{client.ChannelName}': expected receiving to fail with '{kind}' within {milliseconds} ms, but it timed out without an error.");
            }));
        }

        return new StepData { ["channel"] = client.ChannelName, ["count"] = count, ["errorType"] = kind, ["elapsedMs"] = Math.Round(clock.Elapsed.TotalMilliseconds, 1) };
    }

    [Then(Role + "should see the server (connected|disconnected)")]
    public async Task<StepData> ShouldSeeServer(string role, ConnectionState state, CancellationToken ct)
    {
        StepClient client = context.CurrentClient;
        bool want = state == ConnectionState.Connected;
        if (!await PollAsync(() => client.Client.IsServerConnected == want, SettleTime, ct).ConfigureAwait(false))
        {
            throw new StepAssertionException($"Channel '{client.ChannelName}': expected the server {state.ToString().ToLowerInvariant()} within {SettleTime.TotalMilliseconds:0} ms.");
        }

        return new StepData { ["channel"] = client.ChannelName, ["serverConnected"] = want };
    }

    [Then(Role + "should have waited at least " + Count + " ms for the first response")]
    public StepData ShouldHaveWaited(string role, int milliseconds)
    {
        StepClient client = context.CurrentClient;
        double waited = Between(client.LastSent, client.FirstReceived, "the last request", "the first response");
        return AtLeast(client, waited, milliseconds, "from the last request to the first response");
    }

    [Then(Role + "should have taken at least " + Count + " ms from the first request to the last response")]
    public StepData ShouldHaveTaken(string role, int milliseconds)
    {
        StepClient client = context.CurrentClient;
        double taken = Between(client.FirstSent, client.LastReceived, "the first request", "the last response");
        return AtLeast(client, taken, milliseconds, "from the first request to the last response");
    }

    [Then(Role + "should have received identical responses on channels " + Name + " and " + Name)]
    public StepData ShouldHaveIdenticalResponses(string role, string first, string second)
    {
        StepClient a = context.Client(first);
        StepClient b = context.Client(second);
        if (a.Responses.Count == 0 || a.Responses.Count != b.Responses.Count)
        {
            throw new StepAssertionException($"Channels '{first}' and '{second}' received {a.Responses.Count} and {b.Responses.Count} responses; expected the same number, at least one.");
        }

        foreach (((ulong sequence, byte[] left), byte[] right) in a.Responses.Zip(b.Responses.Values))
        {
            if (!left.AsSpan().SequenceEqual(right))
            {
                throw new StepAssertionException($"Channels '{first}' and '{second}' answered request {sequence} differently.");
            }
        }

        return new StepData { ["count"] = a.Responses.Count };
    }

    [When(Role + "sends " + Count + " requests with size " + Count + " from each of " + Count + " threads and each thread receives its " + Handler + " responses within " + Count + " ms")]
    public async Task<StepData> SendFromThreads(string role, int count, int size, int threads, DuplexHandler handler, int milliseconds, CancellationToken ct)
    {
        StepClient client = context.CurrentClient;
        var clock = Stopwatch.StartNew();
        DateTime deadline = DateTime.UtcNow.AddMilliseconds(milliseconds);
        Task[] work = Enumerable.Range(0, threads)
            .Select(t => Task.Factory.StartNew(
                () => ClientThread.Run(client, t, count, size, handler, deadline, ct),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))
            .ToArray();
        try
        {
            await Task.WhenAll(work).ConfigureAwait(false);
        }
        catch (Exception) when (work.Select(t => t.Exception?.InnerException).OfType<StepAssertionException>().FirstOrDefault() is { } failure)
        {
            throw failure;
        }

        logger.LogInformation("{Threads} threads x {Count} requests on '{Channel}' in {Elapsed} ms", threads, count, client.ChannelName, clock.ElapsedMilliseconds);
        return new StepData { ["channel"] = client.ChannelName, ["threads"] = threads, ["requests"] = threads * count, ["elapsedMs"] = clock.ElapsedMilliseconds };
    }

    private StepData Start(bool immutable, DuplexHandler handler, string channel, int payloadSize, DuplexServerOptions options, AnswerPlan plan)
    {
        string qualified = context.Qualify(channel);
        StepServer server = immutable
            ? StepServer.StartImmutable(context.Factory, channel, qualified, payloadSize, handler, options, plan, context.ServerLogger)
            : StepServer.StartMutable(context.Factory, channel, qualified, payloadSize, handler, options, plan, context.ServerLogger);
        context.AddServer(server);
        logger.LogInformation("Started a {Kind} {Handler} server on '{Channel}' ({Mode}, {Plan})", immutable ? "immutable" : "mutable", handler, qualified, options.Mode, plan);
        return new StepData { ["channel"] = qualified, ["mode"] = options.Mode.ToString(), ["correlated"] = options.IsCorrelated };
    }

    private StepData SendRepeated(int count, int size, Func<StepClient, ulong> send)
    {
        StepClient client = context.CurrentClient;
        ulong first = 0;
        ulong last = 0;
        for (int i = 0; i < count; i++)
        {
            last = send(client);
            first = i == 0 ? last : first;
        }

        return new StepData { ["channel"] = client.ChannelName, ["count"] = count, ["firstSequence"] = first, ["lastSequence"] = last };
    }

    private static List<ulong> Receive(StepClient client, DuplexHandler handler, int count, int milliseconds, CancellationToken ct)
    {
        var received = new List<ulong>(count);
        var clock = Stopwatch.StartNew();
        TimeSpan limit = TimeSpan.FromMilliseconds(milliseconds);
        while (received.Count < count)
        {
            ct.ThrowIfCancellationRequested();
            TimeSpan remaining = limit - clock.Elapsed;
            if (remaining <= TimeSpan.Zero || !client.ReceiveOne(handler, Min(remaining, TimeSpan.FromMilliseconds(100)), received))
            {
                if (clock.Elapsed >= limit)
                {
                    throw new StepAssertionException(
                        $"Channel '{client.ChannelName}': received {received.Count} of {count} responses within {milliseconds} ms (still pending: {StepClient.Describe(client.Pending)}).");
                }
            }
        }

        return received;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static async Task<bool> PollAsync(Func<bool> condition, TimeSpan limit, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed >= limit)
            {
                return false;
            }

            await Task.Delay(PollInterval, ct).ConfigureAwait(false);
        }

        return true;
    }

    private (StepServer Server, long[] PerRequest) Measured(string channel)
    {
        StepServer server = context.Server(channel);
        long[] perRequest = server.Meter?.Measured() ?? [];
        if (perRequest.Length == 0)
        {
            throw new StepAssertionException($"Channel '{server.ChannelName}': no per-request allocation was measured (an 'xor' server measures from its third request on).");
        }

        return (server, perRequest);
    }

    private static StepData AllocationData(StepServer server, long[] perRequest) =>
        new()
        {
            ["channel"] = server.ChannelName,
            ["metrics"] = new Dictionary<string, double> { ["max_alloc_bytes_per_request"] = perRequest.Max(), ["min_alloc_bytes_per_request"] = perRequest.Min() },
        };

    private static double Between(long? from, long? to, string fromName, string toName)
    {
        if (from is null || to is null)
        {
            throw new StepAssertionException($"No time was recorded for {(from is null ? fromName : toName)}.");
        }

        return Stopwatch.GetElapsedTime(from.Value, to.Value).TotalMilliseconds;
    }

    private static StepData AtLeast(StepClient client, double elapsedMs, int milliseconds, string what)
    {
        if (elapsedMs < milliseconds)
        {
            throw new StepAssertionException($"Channel '{client.ChannelName}': {elapsedMs:0.0} ms passed {what}; expected at least {milliseconds} ms.");
        }

        return new StepData { ["channel"] = client.ChannelName, ["elapsedMs"] = Math.Round(elapsedMs, 1) };
    }
}
