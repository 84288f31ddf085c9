namespace ZeroBuffer.Tool.Cli;

/// <summary>Turns any failure into the single stderr line <c>error: &lt;Kind&gt;: &lt;message&gt;</c>.</summary>
internal static class ErrorReporter
{
    public const int Failure = 1;

    public static int Report(Exception exception)
    {
        Console.Error.WriteLine($"error: {KindOf(exception)}: {OneLine(exception.Message)}");
        Console.Error.Flush();
        return Failure;
    }

    public static string KindOf(Exception exception) => exception switch
    {
        ZeroBufferException zb => zb.Kind,
        ToolException tool => tool.Kind,
        _ => StripSuffix(exception.GetType().Name),
    };

    private static string StripSuffix(string typeName) =>
        typeName.EndsWith("Exception", StringComparison.Ordinal) && typeName.Length > "Exception".Length
            ? typeName[..^"Exception".Length]
            : typeName;

    private static string OneLine(string message) =>
        message.ReplaceLineEndings(" ").Trim();
}
