using ZeroBuffer.Serve.Hosting;

namespace ZeroBuffer.Serve.Tests.Hosting;

/// <summary>The stdio wrapper completes async calls on the caller's thread, and keeps their meaning.</summary>
public sealed class CallerThreadStreamTests
{
    [Fact]
    public async Task ReadAsync_completes_before_it_returns_with_the_bytes_read()
    {
        using var stream = new CallerThreadStream(new MemoryStream([1, 2, 3]));
        var buffer = new byte[8];

        ValueTask<int> read = stream.ReadAsync(buffer.AsMemory());

        Assert.True(read.IsCompletedSuccessfully);
        Assert.Equal(3, await read);
        Assert.Equal([1, 2, 3], buffer[..3]);
        Assert.Equal(0, await stream.ReadAsync(buffer.AsMemory()));
    }

    [Fact]
    public async Task WriteAsync_has_written_when_it_returns()
    {
        var inner = new MemoryStream();
        using var stream = new CallerThreadStream(inner);

        ValueTask write = stream.WriteAsync(new byte[] { 7, 8 }.AsMemory());

        Assert.True(write.IsCompletedSuccessfully);
        await stream.FlushAsync();
        Assert.Equal([7, 8], inner.ToArray());
    }

    [Fact]
    public async Task A_cancelled_token_is_honoured_before_the_call_starts()
    {
        using var stream = new CallerThreadStream(new MemoryStream([1]));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => _ = await stream.ReadAsync(new byte[1].AsMemory(), cancelled.Token));
        Assert.Equal(1, stream.ReadByte()); // nothing was consumed
    }

    [Fact]
    public async Task A_failing_read_surfaces_as_a_faulted_task()
    {
        var inner = new MemoryStream([1]);
        using var stream = new CallerThreadStream(inner);
        inner.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => _ = await stream.ReadAsync(new byte[1].AsMemory()));
    }
}
