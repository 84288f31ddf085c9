using System.Buffers.Binary;
using ZeroBuffer.DuplexChannel;
using ZeroBuffer.Tests.Support;
using static ZeroBuffer.Tests.Duplex.DuplexTestKit;

namespace ZeroBuffer.Tests.Duplex;

/// <summary>
/// The bytes on the wire (PROTOCOL.md §8). A plain Reader/Writer pair plays the public 1.x peer: an
/// in-order channel is two v1 buffers with nothing added, a correlated one carries the metadata record
/// and the request-sequence prefix.
/// </summary>
[Collection(ZeroBufferCollection.Name)]
public sealed class DuplexWireTests
{
    [Fact]
    public void Metadata_record_is_ZBDUPLEX_version_1_with_the_correlated_flag()
    {
        Span<byte> record = stackalloc byte[DuplexMetadata.Size];
        DuplexMetadata.Write(record, correlated: true);
        Assert.Equal("ZBDUPLEX\x01\0\0\0\x01\0\0\0"u8.ToArray(), record.ToArray());
        Assert.True(DuplexMetadata.IsCorrelated(record));

        DuplexMetadata.Write(record, correlated: false);
        Assert.False(DuplexMetadata.IsCorrelated(record));
        Assert.False(DuplexMetadata.IsCorrelated("ZBDUPLEX\x02\0\0\0\x01\0\0\0"u8)); // unknown version
        Assert.False(DuplexMetadata.IsCorrelated("format=raw"u8));
        Assert.False(DuplexMetadata.IsCorrelated([]));
    }

    [Fact]
    public void In_order_server_answers_a_plain_v1_client_with_bare_frames()
    {
        string channel = Some.ShmName();
        using var server = Factory.CreateImmutableServer(channel, SmallConfig);
        server.Start((request, response) => response.WriteFrame([.. request.Span, 0xEE]));

        using var requests = new Writer(DuplexChannelNames.Request(channel));
        using var responses = new Reader(DuplexChannelNames.Response(channel), SmallConfig);
        for (ulong s = 1; s <= 3; s++)
        {
            requests.WriteFrame(Some.FrameData(s, 10));
            using Frame frame = responses.ReadFrame(Patience);
            Assert.Equal(s, frame.Sequence);
            Assert.Equal([.. Some.FrameData(s, 10), 0xEE], frame.ToArray());
        }

        Assert.True(responses.GetMetadata().IsEmpty); // in-order mode writes no record
    }

    [Fact]
    public void Correlated_server_writes_the_record_and_prefixes_the_request_sequence()
    {
        string channel = Some.ShmName();
        using var server = Factory.CreateImmutableServer(channel, SmallConfig);
        server.Start(Echo, null, new DuplexServerOptions { Correlated = true });

        using var requests = new Writer(DuplexChannelNames.Request(channel));
        using var responses = new Reader(DuplexChannelNames.Response(channel), SmallConfig);
        requests.WriteFrame([1, 2, 3]);
        using Frame frame = responses.ReadFrame(Patience);

        Assert.True(DuplexMetadata.IsCorrelated(responses.GetMetadata()));
        Assert.Equal(11, frame.Size);
        Assert.Equal(1UL, BinaryPrimitives.ReadUInt64LittleEndian(frame.Span));
        Assert.Equal(new byte[] { 1, 2, 3 }, frame.Span[8..].ToArray());
    }

    [Fact]
    public void Client_works_against_a_plain_v1_server()
    {
        string channel = Some.ShmName();
        using var requests = new Reader(DuplexChannelNames.Request(channel), SmallConfig);
        using var client = Factory.CreateClient(channel, SmallConfig);
        using var responses = new Writer(DuplexChannelNames.Response(channel));

        ulong sequence = client.SendRequest([5, 6]);
        using (Frame request = requests.ReadFrame(Patience))
        {
            Assert.Equal(sequence, request.Sequence);
            responses.WriteFrame([.. request.Span, 7]);
        }

        using Frame response = client.ReceiveResponse(Patience);
        Assert.Equal(sequence, response.Sequence);
        Assert.Equal(new byte[] { 5, 6, 7 }, response.ToArray());
    }

    [Fact]
    public void Client_unwraps_a_correlated_peer_that_answers_out_of_order()
    {
        string channel = Some.ShmName();
        using var requests = new Reader(DuplexChannelNames.Request(channel), SmallConfig);
        using var client = Factory.CreateClient(channel, SmallConfig);
        using var responses = new Writer(DuplexChannelNames.Response(channel));
        Span<byte> record = stackalloc byte[DuplexMetadata.Size];
        DuplexMetadata.Write(record, correlated: true);
        responses.SetMetadata(record);

        client.SendRequest([1]);
        client.SendRequest([2]);
        byte[] answer = new byte[9];
        BinaryPrimitives.WriteUInt64LittleEndian(answer, 2);
        answer[8] = 20;
        responses.WriteFrame(answer);
        BinaryPrimitives.WriteUInt64LittleEndian(answer, 1);
        answer[8] = 10;
        responses.WriteFrame(answer);

        AssertResponse(client, 2UL, 20);
        AssertResponse(client, 1UL, 10);
    }
}
