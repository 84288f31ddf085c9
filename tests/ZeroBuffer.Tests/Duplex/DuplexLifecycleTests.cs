using System.Collections.Concurrent;
using ZeroBuffer.DuplexChannel;
using ZeroBuffer.Tests.Support;
using static ZeroBuffer.Tests.Duplex.DuplexTestKit;

namespace ZeroBuffer.Tests.Duplex;

[Collection(ZeroBufferCollection.Name)]
public sealed class DuplexLifecycleTests
{
    [Theory]
    [InlineData(ProcessingMode.SingleThread)]
    [InlineData(ProcessingMode.ThreadPool)]
    public void Threads_sharing_a_client_each_get_exactly_their_responses(ProcessingMode mode)
    {
        string channel = Some.ShmName();
        using var server = Factory.CreateImmutableServer(channel, SmallConfig);
        server.Start(
            (request, response) =>
            {
                Thread.Sleep(request.Span[1] % 7); // variable delay, 0-6 ms
                response.WriteFrame(request.Span);
            },
            onInit: null,
            new DuplexServerOptions { Mode = mode, HandlerCount = 4 });
        using var client = Factory.CreateClient(channel, SmallConfig);

        var failures = new ConcurrentQueue<string>();
        Thread[] threads = Enumerable.Range(0, 5).Select(t => new Thread(() =>
        {
            var mine = new HashSet<ulong>();
            for (int i = 0; i < 20; i++)
            {
                mine.Add(client.SendRequest([(byte)t, (byte)i, 0xAB]));
            }

            for (int i = 0; i < 20; i++)
            {
                using Frame frame = client.ReceiveResponse(Patience);
                if (!frame.IsValid || frame.Span[0] != t || !mine.Remove(frame.Sequence))
                {
                    failures.Enqueue($"thread {t} got {frame.ToString()} [{(frame.IsValid ? frame.Span[0] : -1)}]");
                }
            }

            if (mine.Count != 0)
            {
                failures.Enqueue($"thread {t} missed {mine.Count} responses");
            }
        })).ToArray();
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            Assert.True(thread.Join(TimeSpan.FromSeconds(60)), "a client thread hung");
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void A_second_sending_thread_leaves_the_first_threads_earlier_responses_with_it()
    {
        // The client files no owner while one thread does all the sending; the second thread's first
        // request switches it to filing. Both threads' responses must still reach them.
        string channel = Some.ShmName();
        using var server = Factory.CreateImmutableServer(channel, SmallConfig);
        server.Start(Echo);
        using var client = Factory.CreateClient(channel, SmallConfig);
        ulong[] first = [client.SendRequest([1]), client.SendRequest([1]), client.SendRequest([1])];
        Exception? failure = new InvalidOperationException("the second thread did not run");
        var other = new Thread(() => failure = Record.Exception(() =>
        {
            ulong[] second = [client.SendRequest([2]), client.SendRequest([2])];
            foreach (ulong expected in second)
            {
                using Frame frame = client.ReceiveResponse(Patience);
                Assert.True(frame.IsValid);
                Assert.Equal((expected, (byte)2), (frame.Sequence, frame.Span[0]));
            }
        }));
        other.Start();
        Assert.True(other.Join(Patience));
        Assert.Null(failure);
        client.SendRequest([1]);
        foreach (ulong expected in first.Append(first[^1] + 3))
        {
            using Frame frame = client.ReceiveResponse(Patience);
            Assert.True(frame.IsValid);
            Assert.Equal((expected, (byte)1), (frame.Sequence, frame.Span[0]));
        }
    }

    [Fact]
    public void Disposing_the_server_with_pending_requests_fails_them_and_frees_the_name()
    {
        string channel = Some.ShmName();
        var server = Factory.CreateImmutableServer(channel, SmallConfig);
        server.Start((request, response) =>
        {
            if (request.Sequence <= 3)
            {
                response.WriteFrame(request.Span);
            }
        });
        var client = Factory.CreateClient(channel, SmallConfig);
        for (int i = 0; i < 5; i++)
        {
            client.SendRequest([(byte)i]);
        }

        for (int i = 0; i < 3; i++)
        {
            _ = Receive(client);
        }

        server.Dispose();
        Assert.False(server.IsRunning);
        Assert.False(ShmExists(DuplexChannelNames.Request(channel)));
        Assert.Throws<WriterDeadException>(() => client.ReceiveResponse(Patience));
        Assert.False(client.IsServerConnected);
        client.Dispose();

        using var next = Factory.CreateImmutableServer(channel, SmallConfig);
        next.Start(Echo);
        using var nextClient = Factory.CreateClient(channel, SmallConfig);
        ulong sequence = nextClient.SendRequest([42]);
        AssertResponse(nextClient, sequence, 42);
    }

    [Fact]
    public void Stopped_server_can_start_again_under_the_same_name()
    {
        string channel = Some.ShmName();
        using var server = Factory.CreateMutableServer(channel, SmallConfig);
        server.Start(_ => { });
        server.Stop();
        server.Stop(); // idempotent
        Assert.False(ShmExists(DuplexChannelNames.Request(channel)));

        server.Start(_ => { }, mode: ProcessingMode.ThreadPool);
        using var client = Factory.CreateClient(channel, SmallConfig);
        client.SendRequest([9]);
        Assert.Equal(new byte[] { 9 }, Receive(client).Data);
    }

    [Fact]
    public void Server_drops_a_gone_client_and_serves_the_next_one()
    {
        string channel = Some.ShmName();
        using var handlerStarted = new SemaphoreSlim(0);
        using var server = Factory.CreateImmutableServer(channel, SmallConfig);
        server.Start((request, response) =>
        {
            if (request.Span[0] == 1)
            {
                handlerStarted.Release();
                Thread.Sleep(500); // the client leaves meanwhile
            }

            response.WriteFrame(request.Span);
        });

        var first = Factory.CreateClient(channel, SmallConfig);
        first.SendRequest([1]);
        first.SendRequest([1]); // left unread in the ring: must not reach the next client
        Assert.True(handlerStarted.Wait(Patience));
        first.Dispose();
        Assert.False(ShmExists(DuplexChannelNames.Response(channel)));

        using var second = Factory.CreateClient(channel, SmallConfig);
        ulong sequence = second.SendRequest([2]);
        AssertResponse(second, sequence, 2);
        Assert.True(server.IsRunning);
    }

    [Theory]
    [InlineData(ProcessingMode.SingleThread)]
    [InlineData(ProcessingMode.ThreadPool)]
    public void Server_serves_clients_one_after_another(ProcessingMode mode)
    {
        string channel = Some.ShmName();
        using var server = Factory.CreateImmutableServer(channel, SmallConfig);
        server.Start(Echo, mode: mode);
        for (byte round = 1; round <= 3; round++)
        {
            using var client = Factory.CreateClient(channel, SmallConfig);
            for (byte i = 0; i < 3; i++)
            {
                ulong sequence = client.SendRequest([round, i]);
                AssertResponse(client, sequence, round, i);
            }
        }
    }

    [Fact]
    public void A_thread_without_requests_gets_no_response_and_receive_after_dispose_throws()
    {
        string channel = Some.ShmName();
        using var server = Factory.CreateImmutableServer(channel, SmallConfig);
        server.Start(Echo);
        var client = Factory.CreateClient(channel, SmallConfig);
        using var sent = new ManualResetEventSlim();
        using var disposed = new ManualResetEventSlim();
        Exception? seen = null;
        var sender = new Thread(() =>
        {
            client.SendRequest([7]);
            sent.Set();
            disposed.Wait();
            seen = Record.Exception(() => client.ReceiveResponse(Patience).Dispose());
        });
        sender.Start();
        Assert.True(sent.Wait(Patience));

        // This thread sent nothing: it files the sender's response and gets none itself.
        using (Frame mine = client.ReceiveResponse(TimeSpan.FromMilliseconds(500)))
        {
            Assert.False(mine.IsValid);
        }

        client.Dispose();
        disposed.Set();
        Assert.True(sender.Join(Patience));
        Assert.IsType<ObjectDisposedException>(seen);
    }

    [Fact]
    public void Client_dispose_removes_the_response_buffer_and_is_idempotent()
    {
        string channel = Some.ShmName();
        using var server = Factory.CreateImmutableServer(channel, SmallConfig);
        server.Start(Echo);
        var client = Factory.CreateClient(channel, SmallConfig);
        Assert.True(client.IsServerConnected);
        Assert.True(ShmExists(DuplexChannelNames.Response(channel)));
        client.Dispose();
        client.Dispose();
        Assert.False(ShmExists(DuplexChannelNames.Response(channel)));
        Assert.Throws<ObjectDisposedException>(() => client.SendRequest([1]));
    }

    [Fact]
    public void Receive_times_out_with_an_invalid_frame_when_nothing_is_answered()
    {
        string channel = Some.ShmName();
        using var server = Factory.CreateImmutableServer(channel, SmallConfig);
        server.Start((_, _) => { });
        using var client = Factory.CreateClient(channel, SmallConfig);
        client.SendRequest([1]);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using Frame frame = client.ReceiveResponse(TimeSpan.FromMilliseconds(300));
        Assert.False(frame.IsValid);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(290), $"returned after {clock.Elapsed}");
    }
}
