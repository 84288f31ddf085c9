using Microsoft.Extensions.Logging;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests;

[Collection(ZeroBufferCollection.Name)]
public sealed class LoggingTests
{
    [Fact]
    public void Lifecycle_lines_name_the_buffer()
    {
        string name = Some.ShmName();
        var readerLog = new ListLogger<Reader>();
        var writerLog = new ListLogger<Writer>();

        using (var reader = new Reader(name, Some.Config(), readerLog))
        {
            using var writer = new Writer(name, writerLog);
        }

        Assert.Contains(readerLog.Lines, l => l.Message.Contains("Created") && l.Message.Contains(name));
        Assert.Contains(readerLog.Lines, l => l.Message.Contains("Closed") && l.Message.Contains(name));
        Assert.Contains(writerLog.Lines, l => l.Message.Contains("connected") && l.Message.Contains(name));
        Assert.Contains(writerLog.Lines, l => l.Message.Contains("disconnected") && l.Message.Contains(name));
    }

    [Fact]
    public void Reclaiming_a_stale_buffer_is_a_warning_naming_it()
    {
        string stale = Some.ShmName();
        StaleBuffer.Create(stale);
        var log = new ListLogger<Reader>();

        using var reader = new Reader(Some.ShmName(), Some.Config(), log);

        Assert.Contains(log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains(stale));
    }
}
