using System.Diagnostics;
using ZeroBuffer.DuplexChannel;
using ZeroBuffer.Serve.Steps;

namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>
/// A duplex client connected by a step, with what it sent and received (STEPS.md "Duplex channel",
/// request data and client times). Its sends and receives run on its own thread (<see cref="ClientThreadAffinity"/>), except in
/// the threads step, whose threads keep their own books.
/// </summary>
public sealed class StepClient(string featureName, IDuplexClient client) : IDisposable
{
    private readonly ClientThreadAffinity _thread = new($"duplex-client {client.ChannelName}");
    private readonly Dictionary<ulong, byte[]> _pending = [];
    private readonly SortedDictionary<ulong, byte[]> _responses = [];

    public string FeatureName { get; } = featureName;

    public IDuplexClient Client { get; } = client;

    public string ChannelName => Client.ChannelName;

    /// <summary>Sequences sent and not answered yet.</summary>
    public IReadOnlyCollection<ulong> Pending => _pending.Keys;

    /// <summary>Responses received, by request sequence.</summary>
    public IReadOnlyDictionary<ulong, byte[]> Responses => _responses;

    public long? FirstSent { get; private set; }

    public long? LastSent { get; private set; }

    public long? FirstReceived { get; private set; }

    public long? LastReceived { get; private set; }

    private ulong _expectedNext = 1;

    /// <summary>Sends (copying) the pattern of the sequence the request must get; checks it got it.</summary>
    public ulong Send(int size) => _thread.Invoke(() => SendOnClientThread(size));

    /// <summary>Acquires the request in the ring, writes the pattern of its sequence there, commits.</summary>
    public ulong SendZeroCopy(int size) => _thread.Invoke(() => SendZeroCopyOnClientThread(size));

    /// <summary>Receives one response within <paramref name="timeout"/> and checks it; false on timeout.</summary>
    public bool ReceiveOne(DuplexHandler handler, TimeSpan timeout, List<ulong> order) =>
        _thread.Invoke(() => ReceiveOneOnClientThread(handler, timeout, order));

    /// <summary>Runs a receive of the caller's own on the client's thread (where its requests were sent).</summary>
    public T OnClientThread<T>(Func<T> operation) => _thread.Invoke(operation);

    private ulong SendOnClientThread(int size)
    {
        byte[] request = new byte[size];
        Patterns.FillFrame(request, _expectedNext);
        long before = Stopwatch.GetTimestamp();
        ulong sequence = Client.SendRequest(request);
        if (sequence != _expectedNext)
        {
            throw new StepAssertionException($"Channel '{ChannelName}': the request got sequence {sequence}, expected {_expectedNext}.");
        }

        Sent(sequence, request, before);
        return sequence;
    }

    private ulong SendZeroCopyOnClientThread(int size)
    {
        ulong sequence = Client.AcquireRequestBuffer(size, out Span<byte> target);
        Patterns.FillFrame(target, sequence);
        byte[] copy = target.ToArray(); // the step's record, taken before the commit hands the bytes over
        long before = Stopwatch.GetTimestamp();
        Client.CommitRequest();
        Sent(sequence, copy, before);
        return sequence;
    }

    private bool ReceiveOneOnClientThread(DuplexHandler handler, TimeSpan timeout, List<ulong> order)
    {
        using Frame response = Client.ReceiveResponse(timeout);
        if (!response.IsValid)
        {
            return false;
        }

        if (!_pending.Remove(response.Sequence, out byte[]? request))
        {
            throw new StepAssertionException(
                $"Channel '{ChannelName}': response {response.Sequence} answers no pending request (pending: {Describe(_pending.Keys)}).");
        }

        CheckResponse(ChannelName, handler, response.Sequence, request, response.Span);
        _responses[response.Sequence] = response.ToArray();
        LastReceived = Stopwatch.GetTimestamp();
        FirstReceived ??= LastReceived;
        order.Add(response.Sequence);
        return true;
    }

    /// <summary>The response must be exactly the handler's result for the request.</summary>
    public static void CheckResponse(string channel, DuplexHandler handler, ulong sequence, ReadOnlySpan<byte> request, ReadOnlySpan<byte> response)
    {
        byte[] expected = DuplexHandlers.Expected(handler, request);
        if (response.Length != expected.Length)
        {
            throw new StepAssertionException(
                $"Channel '{channel}': the {handler} response to request {sequence} has {response.Length} bytes, expected {expected.Length}.");
        }

        int at = response.CommonPrefixLength(expected);
        if (at != expected.Length)
        {
            throw new StepAssertionException(
                $"Channel '{channel}': the {handler} response to request {sequence} differs at byte {at}: expected {expected[at]}, got {response[at]}.");
        }
    }

    public static string Describe(IEnumerable<ulong> sequences) => "[" + string.Join(", ", sequences.Order()) + "]";

    public void Dispose()
    {
        _thread.Dispose();
        Client.Dispose();
    }

    /// <summary>
    /// Records a sent request. Its time is taken before the send: the server may answer before a later
    /// clock read (this thread can be preempted right after the commit), and the timing phrases' lower
    /// bounds ("at least ... ms after the request") must never be undercut by that.
    /// </summary>
    private void Sent(ulong sequence, byte[] request, long before)
    {
        _pending[sequence] = request;
        _expectedNext = sequence + 1;
        LastSent = before;
        FirstSent ??= LastSent;
    }
}
