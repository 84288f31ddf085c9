using System.CommandLine;
using ZeroBuffer.Tool.Cli;

namespace ZeroBuffer.Tool.Tests.Cli;

/// <summary>The command tree parsed in process: defaults and validation without starting anything.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public void ReadHasTheDocumentedDefaults()
    {
        ParseResult result = ToolCommandLine.Build().Parse(["read", "cam", "--count", "3"]);

        Assert.Empty(result.Errors);
        Assert.Equal(1024, result.GetValue<int>("--metadata-size"));
        Assert.Equal(1048576, result.GetValue<int>("--payload-size"));
        Assert.Equal(5000, result.GetValue<int>("--timeout-ms"));
    }

    [Theory]
    [InlineData("read", "cam")]
    [InlineData("read", "cam", "--count", "-3")]
    [InlineData("write", "cam", "--count", "1", "--size", "1", "--unknown")]
    [InlineData("bench", "--json")]
    public void InvalidCommandLinesHaveParseErrors(params string[] arguments)
    {
        Assert.NotEmpty(ToolCommandLine.Build().Parse(arguments).Errors);
    }

    [Fact]
    public void PeerCommandsAreHidden()
    {
        Command peer = ToolCommandLine.Build().Subcommands.Single(c => c.Name == "bench-peer");
        Assert.True(peer.Hidden);
    }
}
