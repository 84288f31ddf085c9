using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using ZeroBuffer.Serve.Hosting;
using ZeroBuffer.Serve.Logging;
using ZeroBuffer.Serve.Rpc;
using ZeroBuffer.Serve.StepDefinitions;
using ZeroBuffer.Serve.Steps;

// stdout carries frames and nothing else: take the raw stream before anything can log.
StdioStreams stdio = StdioStreams.Capture();

WorkerOptions? options = WorkerOptions.Parse(args, out string? argumentError);
if (options is null)
{
    Console.Error.WriteLine($"zerobuffer-serve: {argumentError}");
    Console.Error.WriteLine(WorkerOptions.Usage);
    return 2;
}

string? levelText = Environment.GetEnvironmentVariable(SerilogSetup.LevelVariable);
LogEventLevel? level = SerilogSetup.ParseLevel(levelText);
var capture = new LogCapture();
using Serilog.Core.Logger serilog = SerilogSetup.Create(level ?? LogEventLevel.Information, capture);
if (level is null)
{
    serilog.Warning("Ignoring {Variable}={Value}: expected debug, info, warning or error", SerilogSetup.LevelVariable, levelText);
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = args });
builder.Logging.ClearProviders();
builder.Logging.SetMinimumLevel(LogLevel.Trace);
builder.Logging.AddSerilog(serilog, dispose: false);
builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));

builder.Services.AddSingleton(stdio);
builder.Services.AddSingleton(options);
builder.Services.AddSingleton(capture);
builder.Services.AddSingleton(new StepTimeoutPolicy { Disabled = options.WaitForDebugger });
builder.Services.AddZeroBufferSteps();
builder.Services.AddSingleton<ShutdownSignal>();
builder.Services.AddSingleton<WorkerMethods>();
builder.Services.AddHostedService<StdioWorker>();

using IHost host = builder.Build();
await host.RunAsync();
return Environment.ExitCode;
