using ZeroBuffer.Serve.Steps;

namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>
/// One thread of the concurrent-client step: sends its requests through the shared client, then
/// receives until each has its response; any response to another thread's request is a failure.
/// </summary>
public static class ClientThread
{
    public static void Run(StepClient shared, int thread, int count, int size, DuplexHandler handler, DateTime deadline, CancellationToken ct)
    {
        var mine = new Dictionary<ulong, byte[]>(count);
        for (int k = 0; k < count; k++)
        {
            // A per-thread seed: a response handed to the wrong thread cannot match by accident.
            byte[] request = new byte[size];
            Patterns.FillFrame(request, (ulong)(thread * count + k + 1));
            mine[shared.Client.SendRequest(request)] = request;
        }

        int received = 0;
        while (received < count)
        {
            ct.ThrowIfCancellationRequested();
            TimeSpan remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                throw new StepAssertionException(
                    $"Channel '{shared.ChannelName}': thread {thread} received {received} of its {count} responses in time (waiting for {StepClient.Describe(mine.Keys)}).");
            }

            using Frame response = shared.Client.ReceiveResponse(remaining < TimeSpan.FromMilliseconds(100) ? remaining : TimeSpan.FromMilliseconds(100));
            if (!response.IsValid)
            {
                continue;
            }

            if (!mine.Remove(response.Sequence, out byte[]? request))
            {
                throw new StepAssertionException(
                    $"Channel '{shared.ChannelName}': thread {thread} was handed response {response.Sequence}, which answers none of its requests (its pending: {StepClient.Describe(mine.Keys)}).");
            }

            StepClient.CheckResponse(shared.ChannelName, handler, response.Sequence, request, response.Span);
            received++;
        }
    }
}
