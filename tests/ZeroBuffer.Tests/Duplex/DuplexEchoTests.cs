using System.Diagnostics;
using ZeroBuffer.DuplexChannel;
using ZeroBuffer.Tests.Support;
using static ZeroBuffer.Tests.Duplex.DuplexTestKit;

namespace ZeroBuffer.Tests.Duplex;

[Collection(ZeroBufferCollection.Name)]
public sealed class DuplexEchoTests
{
    [Theory]
    [InlineData(ProcessingMode.SingleThread)]
    [InlineData(ProcessingMode.ThreadPool)]
    public void Echo_returns_each_request_with_its_sequence(ProcessingMode mode)
    {
        string channel = Some.ShmName();
        using var server = Factory.CreateImmutableServer(channel, SmallConfig);
        server.Start(Echo, mode: mode);
        using var client = Factory.CreateClient(channel, SmallConfig);

        foreach (int size in new[] { 1, 1024, 100 * 1024, 1, 1024 })
        {
            byte[] request = Some.FrameData((ulong)size, size);
            ulong sequence = client.SendRequest(request);
            (ulong answered, byte[] data) = Receive(client);
            Assert.Equal(sequence, answered);
            Assert.Equal(request, data);
        }

        Assert.Equal(mode == ProcessingMode.ThreadPool, ((DuplexClient)client).IsCorrelated);
    }

    [Fact]
    public void Zero_copy_request_arrives_with_its_pattern_intact()
    {
        string channel = Some.ShmName();
        using var server = Factory.CreateImmutableServer(channel, SmallConfig);
        server.Start(Echo);
        using var client = Factory.CreateClient(channel, SmallConfig);

        ulong sequence = client.AcquireRequestBuffer(4096, out Span<byte> buffer);
        Some.FillFrame(buffer, 7);
        client.CommitRequest();

        (ulong answered, byte[] data) = Receive(client);
        Assert.Equal(sequence, answered);
        Assert.True(Some.MatchesFrame(data, 7));
    }

    [Fact]
    public void Correlated_server_answers_in_reverse_and_every_response_is_matched()
    {
        string channel = Some.ShmName();
        using var server = Factory.CreateImmutableServer(channel, SmallConfig);
        server.Start(
            (request, response) =>
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(60 * (11 - (int)request.Sequence)));
                response.WriteFrame(request.Span);
            },
            onInit: null,
            new DuplexServerOptions { Mode = ProcessingMode.ThreadPool, HandlerCount = 10 });
        using var client = Factory.CreateClient(channel, SmallConfig);

        var sent = new Dictionary<ulong, byte[]>();
        for (int i = 0; i < 10; i++)
        {
            byte[] data = Some.FrameData((ulong)i * 3, 100 + i);
            sent[client.SendRequest(data)] = data;
        }

        var order = new List<ulong>();
        for (int i = 0; i < 10; i++)
        {
            (ulong sequence, byte[] data) = Receive(client);
            Assert.Equal(sent[sequence], data);
            order.Add(sequence);
        }

        Assert.Equal(sent.Keys.Order(), order.Order());
        Assert.NotEqual(order.Order().ToList(), order); // they did come out of order
    }

    [Fact]
    public void Single_thread_server_handles_one_request_at_a_time_in_order()
    {
        string channel = Some.ShmName();
        using var server = Factory.CreateImmutableServer(channel, SmallConfig);
        server.Start((request, response) =>
        {
            Thread.Sleep(300);
            response.WriteFrame(request.Span);
        });
        using var client = Factory.CreateClient(channel, SmallConfig);

        var clock = Stopwatch.StartNew();
        ulong[] sent = [client.SendRequest([1]), client.SendRequest([2]), client.SendRequest([3])];
        ulong[] received = [Receive(client).Sequence, Receive(client).Sequence, Receive(client).Sequence];

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(880), $"took only {clock.Elapsed}");
        Assert.Equal(sent, received);
        Assert.False(((DuplexClient)client).IsCorrelated);
    }

    [Fact]
    public void Thread_pool_runs_handlers_at_once()
    {
        TimeSpan single = TimeRequests(ProcessingMode.SingleThread);
        TimeSpan pool = TimeRequests(ProcessingMode.ThreadPool);
        Assert.True(pool * 2 < single, $"thread pool {pool}, single thread {single}");
    }

    [Fact]
    public void Mutable_and_immutable_servers_give_the_same_xor()
    {
        string mutableChannel = Some.ShmName() + "-m";
        string immutableChannel = Some.ShmName() + "-i";
        using var mutable = Factory.CreateMutableServer(mutableChannel, SmallConfig);
        mutable.Start(request =>
        {
            Span<byte> bytes = request.GetMutableSpan();
            for (int i = 0; i < bytes.Length; i++)
            {
                bytes[i] ^= 0xFF;
            }
        });
        using var immutable = Factory.CreateImmutableServer(immutableChannel, SmallConfig);
        immutable.Start((request, response) =>
        {
            byte[] copy = request.ToArray();
            for (int i = 0; i < copy.Length; i++)
            {
                copy[i] ^= 0xFF;
            }

            response.WriteFrame(copy);
        });
        using var mutableClient = Factory.CreateClient(mutableChannel, SmallConfig);
        using var immutableClient = Factory.CreateClient(immutableChannel, SmallConfig);

        byte[] request = Some.FrameData(5, 10 * 1024);
        mutableClient.SendRequest(request);
        immutableClient.SendRequest(request);
        byte[] viaMutable = Receive(mutableClient).Data;
        byte[] viaImmutable = Receive(immutableClient).Data;

        Assert.Equal(viaImmutable, viaMutable);
        Assert.Equal(request.Select(b => (byte)(b ^ 0xFF)), viaMutable);
    }

    [Fact]
    public void Mutable_server_allocates_nothing_per_request()
    {
        string channel = Some.ShmName();
        var allocated = new List<long>(capacity: 200);
        using var server = Factory.CreateMutableServer(channel, SmallConfig);
        server.Start(request =>
        {
            // Runs on the server loop thread: the growth between two calls is the per-request cost.
            request.GetMutableSpan()[0] ^= 0xFF;
            allocated.Add(GC.GetAllocatedBytesForCurrentThread());
        });
        using var client = Factory.CreateClient(channel, SmallConfig);

        byte[] request = Some.FrameData(1, 10 * 1024);
        for (int i = 0; i < 100; i++)
        {
            client.SendRequest(request);
            _ = Receive(client);
        }

        Assert.Equal(allocated[10], allocated[^1]);
    }

    [Fact]
    public void OnInit_gets_the_request_metadata_once_before_the_first_request()
    {
        string channel = Some.ShmName();
        var events = new List<string>();
        using var server = Factory.CreateImmutableServer(channel, SmallConfig);
        server.Start(
            (request, response) =>
            {
                lock (events)
                {
                    events.Add($"frame {request.Sequence}");
                }

                response.WriteFrame(request.Span);
            },
            metadata =>
            {
                lock (events)
                {
                    events.Add($"init {System.Text.Encoding.ASCII.GetString(metadata)}");
                }
            });
        using var client = Factory.CreateClient(channel, SmallConfig);
        client.SetRequestMetadata("format=raw"u8);
        client.SendRequest([1]);
        client.SendRequest([2]);
        _ = Receive(client);
        _ = Receive(client);

        lock (events)
        {
            Assert.Equal(["init format=raw", "frame 1", "frame 2"], events);
        }
    }

    [Fact]
    public void Small_response_ring_makes_the_server_wait_for_the_client()
    {
        string channel = Some.ShmName();
        int answered = 0;
        using var server = Factory.CreateImmutableServer(channel, SmallConfig);
        server.Start((request, response) =>
        {
            Span<byte> doubled = response.GetFrameBuffer(request.Size * 2);
            request.Span.CopyTo(doubled);
            request.Span.CopyTo(doubled[request.Size..]);
            response.CommitFrame();
            Interlocked.Increment(ref answered);
        });
        using var client = Factory.CreateClient(channel, new BufferConfig(1024, 10 * 1024));

        client.SendRequest(new byte[4096]);
        client.SendRequest(new byte[4096]);
        Thread.Sleep(500);
        Assert.Equal(1, Volatile.Read(ref answered)); // the second 8 KiB response does not fit yet

        Assert.Equal(8192, Receive(client).Data.Length);
        Assert.Equal(8192, Receive(client).Data.Length);
        Assert.Equal(2, Volatile.Read(ref answered));
    }

    [Fact]
    public void Invalid_channel_names_and_missing_servers_are_refused()
    {
        Assert.Throws<InvalidBufferNameException>(() => Factory.CreateClient("../evil"));
        Assert.Throws<InvalidBufferNameException>(() => Factory.CreateImmutableServer(new string('a', 192), SmallConfig));
        Assert.Throws<BufferNotFoundException>(() => Factory.CreateClient(Some.ShmName()));
    }

    private static TimeSpan TimeRequests(ProcessingMode mode)
    {
        string channel = Some.ShmName() + mode;
        using var server = Factory.CreateImmutableServer(channel, SmallConfig);
        server.Start(
            (request, response) =>
            {
                Thread.Sleep(50);
                response.WriteFrame(request.Span);
            },
            onInit: null,
            new DuplexServerOptions { Mode = mode, HandlerCount = 4 });
        using var client = Factory.CreateClient(channel, SmallConfig);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 16; i++)
        {
            client.SendRequest([(byte)i]);
        }

        for (int i = 0; i < 16; i++)
        {
            _ = Receive(client);
        }

        return clock.Elapsed;
    }
}
