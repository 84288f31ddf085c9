using Spectre.Console;

namespace Harmony.Orchestrator.Reporting;

/// <summary>Creates the Spectre console for a writer. Redirected output (CI logs, files) gets no colours and no wrapping.</summary>
internal static class ConsoleFactory
{
    private const int UnwrappedWidth = 2000;

    public static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (redirected)
        {
            console.Profile.Width = UnwrappedWidth;
        }
        return console;
    }
}
