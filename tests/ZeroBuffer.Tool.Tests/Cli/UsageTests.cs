using ZeroBuffer.Tool.Tests.Support;

namespace ZeroBuffer.Tool.Tests.Cli;

/// <summary>Unknown or missing arguments: one <c>error: Usage: ...</c> line on stderr, exit code 1, nothing created.</summary>
public sealed class UsageTests : CrossProcessTest
{
    public static TheoryData<string[]> BadArguments => new()
    {
        Array.Empty<string>(),
        new[] { "frobnicate" },
        new[] { "read" },
        new[] { "read", "NAME" },
        new[] { "read", "NAME", "--count" },
        new[] { "read", "NAME", "--count", "ten" },
        new[] { "read", "NAME", "--count", "-1" },
        new[] { "read", "NAME", "--count", "1", "--bogus" },
        new[] { "read", "NAME", "--count", "1", "extra" },
        new[] { "write", "NAME", "--count", "1" },
        new[] { "write", "NAME", "--size", "10" },
        new[] { "write", "NAME", "--count", "1", "--size", "-5" },
        new[] { "write", "NAME", "--count", "1", "--size", "10", "--timeout-ms", "soon" },
        new[] { "inspect" },
        new[] { "inspect", "NAME", "OTHER" },
        new[] { "bench", "--json" },
        new[] { "bench", "--slow" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void BadArgumentsAreAUsageError(string[] arguments)
    {
        string name = NewBufferName();
        ToolResult result = Start(arguments.Select(a => a == "NAME" ? name : a).ToArray()).WaitForExit();

        result.AssertError("Usage");
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public void HelpSucceedsAndListsTheCommands()
    {
        ToolResult result = Start("--help").WaitForExit();

        result.AssertSuccess();
        string help = string.Join('\n', result.Stdout);
        foreach (string command in new[] { "read", "write", "inspect", "bench" })
        {
            Assert.Contains(command, help);
        }

        Assert.DoesNotContain("bench-peer", help);
    }
}
