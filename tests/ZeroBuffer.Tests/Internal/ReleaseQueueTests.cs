using ZeroBuffer.Internal;

namespace ZeroBuffer.Tests.Internal;

public sealed class ReleaseQueueTests
{
    [Fact]
    public void Credit_is_returned_for_the_released_prefix_only()
    {
        var queue = new ReleaseQueue();
        long a = queue.Add(10, released: false);
        long b = queue.Add(20, released: false);
        long c = queue.Add(30, released: false);

        Assert.True(queue.TryRelease(c, out long credit));
        Assert.Equal(0, credit);
        Assert.True(queue.TryRelease(a, out credit));
        Assert.Equal(10, credit);
        Assert.True(queue.TryRelease(b, out credit));
        Assert.Equal(50, credit);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Releasing_twice_or_an_unknown_ticket_is_a_no_op()
    {
        var queue = new ReleaseQueue();
        long a = queue.Add(10, released: false);
        long b = queue.Add(20, released: false);

        Assert.True(queue.TryRelease(b, out _));
        Assert.False(queue.TryRelease(b, out _));
        Assert.False(queue.TryRelease(a + 100, out _));
        Assert.False(queue.TryRelease(-1, out _));
        Assert.True(queue.TryRelease(a, out long credit));
        Assert.Equal(30, credit);
        Assert.False(queue.TryRelease(a, out _));
    }

    [Fact]
    public void Pre_released_entries_drain_with_their_predecessors()
    {
        var queue = new ReleaseQueue();
        long held = queue.Add(100, released: false);
        queue.Add(7, released: true); // a wrapped tail
        Assert.Equal(0, queue.DrainReleasedPrefix());

        Assert.True(queue.TryRelease(held, out long credit));
        Assert.Equal(107, credit);
    }

    [Fact]
    public void The_queue_grows_past_its_initial_capacity_and_keeps_order()
    {
        var queue = new ReleaseQueue();
        long[] tickets = Enumerable.Range(1, 1000).Select(i => queue.Add(i, released: false)).ToArray();

        for (int i = tickets.Length - 1; i > 0; i--)
        {
            Assert.True(queue.TryRelease(tickets[i], out long none));
            Assert.Equal(0, none);
        }

        Assert.True(queue.TryRelease(tickets[0], out long credit));
        Assert.Equal(1000 * 1001 / 2, credit);
    }
}
