using System.Runtime.InteropServices;
using Harmony.Orchestrator.Cli;
using Harmony.Orchestrator.Workers;
using Harmony.Orchestrator.Reporting;

// Ctrl+C and SIGTERM cancel the run (workers are shut down); a second Ctrl+C kills them at once.
// Whatever happens, no worker outlives the orchestrator.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    if (cancellation.IsCancellationRequested)
    {
        WorkerProcess.KillAll();
        Environment.Exit(HarmonyApp.Interrupted);
    }
    cancellation.Cancel();
};
void Cancel(PosixSignalContext context)
{
    context.Cancel = true;
    cancellation.Cancel();
}
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Cancel);
AppDomain.CurrentDomain.ProcessExit += (_, _) => WorkerProcess.KillAll();
AppDomain.CurrentDomain.UnhandledException += (_, _) => WorkerProcess.KillAll();

var console = ConsoleFactory.Create(Console.Out, Console.IsOutputRedirected);
try
{
    return await new HarmonyApp(console, Console.Out, Console.Error, Console.In).RunAsync(args, cancellation.Token);
}
finally
{
    WorkerProcess.KillAll();
}
