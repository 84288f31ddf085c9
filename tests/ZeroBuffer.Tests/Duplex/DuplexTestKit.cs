using ZeroBuffer.DuplexChannel;

namespace ZeroBuffer.Tests.Duplex;

/// <summary>Shared pieces of the duplex tests: the echo handler and a response receiver that fails loudly.</summary>
internal static class DuplexTestKit
{
    internal static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    internal static IDuplexChannelFactory Factory => DuplexChannelFactory.Instance;

    internal static BufferConfig SmallConfig => new(metadataSize: 1024, payloadSize: 1024 * 1024);

    internal static void Echo(Frame request, DuplexResponseWriter response) => response.WriteFrame(request.Span);

    /// <summary>Receives one response as (request sequence, bytes); fails on timeout.</summary>
    internal static (ulong Sequence, byte[] Data) Receive(IDuplexClient client)
    {
        using Frame frame = client.ReceiveResponse(Patience);
        Assert.True(frame.IsValid, "no response within the timeout");
        return (frame.Sequence, frame.ToArray());
    }

    /// <summary>Receives one response and checks it answers <paramref name="sequence"/> with <paramref name="expected"/>.</summary>
    internal static void AssertResponse(IDuplexClient client, ulong sequence, params byte[] expected)
    {
        (ulong answered, byte[] data) = Receive(client);
        Assert.Equal(sequence, answered);
        Assert.Equal(expected, data);
    }

    internal static bool ShmExists(string name) => File.Exists(Path.Combine("/dev/shm", name));
}
