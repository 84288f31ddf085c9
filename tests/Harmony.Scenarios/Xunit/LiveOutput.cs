using System.Diagnostics;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Harmony.Scenarios.Xunit;

/// <summary>
/// Messages a user must see while the test still runs (which worker pid to attach a debugger to): xUnit's diagnostic
/// sink (shown live by dotnet test and IDEs, enabled in xunit.runner.json) and, when the test host itself is being
/// debugged, the IDE's debug output.
/// </summary>
internal static class LiveOutput
{
    private static readonly AsyncLocal<IMessageSink?> CurrentSink = new();

    public static IMessageSink? Sink
    {
        get => CurrentSink.Value;
        set => CurrentSink.Value = value;
    }

    public static void Write(string line)
    {
        Sink?.OnMessage(new DiagnosticMessage(line));
        if (Debugger.IsAttached)
        {
            Debugger.Log(0, "harmony", line + Environment.NewLine);
        }
    }
}
