using ZeroBuffer.DuplexChannel;
using ZeroBuffer.Tests.Duplex;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests.Coverage;

/// <summary>A server refuses options it cannot honour when it starts, naming the option, and stays stopped.</summary>
[Collection(ZeroBufferCollection.Name)]
public sealed class DuplexServerOptionsValidationTests
{
    public static TheoryData<string, DuplexServerOptions> InvalidOptions() => new()
    {
        { nameof(DuplexServerOptions.Mode), new DuplexServerOptions { Mode = (ProcessingMode)42 } },
        { nameof(DuplexServerOptions.HandlerCount), new DuplexServerOptions { Mode = ProcessingMode.ThreadPool, HandlerCount = 0 } },
        { nameof(DuplexServerOptions.ResponseWriteTimeout), new DuplexServerOptions { ResponseWriteTimeout = TimeSpan.Zero } },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Start_refuses_an_invalid_option_by_name(string option, DuplexServerOptions options)
    {
        using IImmutableDuplexServer server = DuplexTestKit.Factory.CreateImmutableServer(Some.ShmName(), DuplexTestKit.SmallConfig);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => server.Start(DuplexTestKit.Echo, null, options));

        Assert.Equal(option, error.ParamName);
        Assert.False(server.IsRunning);
    }
}
