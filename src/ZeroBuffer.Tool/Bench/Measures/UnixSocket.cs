using System.Net.Sockets;
using ZeroBuffer.Tool.Cli;

namespace ZeroBuffer.Tool.Bench.Measures;

/// <summary>
/// Unix domain stream sockets for the baselines, with the kernel's default buffer sizes (what an
/// application gets unless it tunes them). The listener owns the socket file and deletes it.
/// </summary>
internal sealed class UnixSocketListener : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    public UnixSocketListener(string path)
    {
        Path = path;
        _socket.Bind(new UnixDomainSocketEndPoint(path));
        _socket.Listen(1);
    }

    public string Path { get; }

    public Socket Accept(PeerProcess peer)
    {
        if (!_socket.Poll(PeerProcess.StepTimeout, SelectMode.SelectRead))
        {
            throw peer.Failure($"did not connect to {Path}");
        }

        return UnixSocket.Configure(_socket.Accept());
    }

    public void Dispose()
    {
        _socket.Dispose();
        File.Delete(Path);
    }
}

internal static class UnixSocket
{
    public static Socket Connect(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return Configure(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static Socket Configure(Socket socket)
    {
        // Blocking I/O with a deadline, so a dead peer ends the run instead of hanging it.
        socket.ReceiveTimeout = (int)PeerProcess.StepTimeout.TotalMilliseconds;
        socket.SendTimeout = (int)PeerProcess.StepTimeout.TotalMilliseconds;
        return socket;
    }

    public static void SendAll(Socket socket, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            data = data[socket.Send(data)..];
        }
    }

    public static void ReceiveExactly(Socket socket, Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            int received = socket.Receive(buffer);
            if (received == 0)
            {
                throw new ToolException(ToolException.PeerFailed, "socket closed by the peer mid-frame");
            }

            buffer = buffer[received..];
        }
    }
}
