using System.Runtime.CompilerServices;
using ZeroBuffer.Diagnostics;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests;

[Collection(ZeroBufferCollection.Name)]
public sealed class LifetimeTests
{
    [Fact]
    public void A_reader_that_is_never_disposed_removes_its_buffer_when_finalized()
    {
        string name = Some.ShmName();
        CreateAndDrop(() => new Reader(name, Some.Config()));

        CollectGarbage();

        Assert.Empty(StaleBuffer.Leftovers(name));
    }

    [Fact]
    public void A_writer_that_is_never_disposed_frees_the_writer_slot_when_finalized()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        CreateAndDrop(() => new Writer(name));
        Assert.Throws<WriterAlreadyConnectedException>(() => new Writer(name));

        CollectGarbage();

        Assert.Equal(0UL, BufferInspector.Inspect(name).WriterPid);
        using var writer = new Writer(name);
    }

    [Fact]
    public void Failed_constructors_leave_nothing_for_the_finalizer_to_break()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using var writer = new Writer(name);
        for (int i = 0; i < 20; i++)
        {
            Assert.Throws<ReaderAlreadyConnectedException>(() => new Reader(name, Some.Config()));
            Assert.Throws<WriterAlreadyConnectedException>(() => new Writer(name));
            Assert.Throws<InvalidBufferNameException>(() => new Reader("bad/name", Some.Config()));
            Assert.Throws<BufferNotFoundException>(() => new Writer(Some.ShmName()));
        }

        CollectGarbage();

        writer.WriteFrame(Some.FrameData(1, 10));
        using Frame frame = reader.ReadFrame();
        Assert.Equal(1UL, frame.Sequence);
        Assert.Equal(4, StaleBuffer.Leftovers(name).Length);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CreateAndDrop(Func<IDisposable> create) => create();

    private static void CollectGarbage()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }
}
