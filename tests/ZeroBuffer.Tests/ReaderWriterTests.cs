using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests;

[Collection(ZeroBufferCollection.Name)]
public sealed class ReaderWriterTests
{
    [Fact]
    public void Frames_written_are_read_in_order_with_their_bytes()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using var writer = new Writer(name);

        for (ulong s = 1; s <= 20; s++)
        {
            writer.WriteFrame(Some.FrameData(s, 1024));
            using Frame frame = reader.ReadFrame(TimeSpan.FromSeconds(5));
            Assert.True(frame.IsValid);
            Assert.Equal(s, frame.Sequence);
            Assert.Equal(1024, frame.Size);
            Assert.True(Some.MatchesFrame(frame.Span, s));
        }
    }
}
