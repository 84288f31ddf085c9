using System.Text;
using System.Text.Json;
using Harmony.Protocol.Messages;
using ZeroBuffer.Serve.Tests.Support;

namespace ZeroBuffer.Serve.Tests.Hosting;

/// <summary>The real zerobuffer-serve executable over pipes.</summary>
public sealed class WorkerExecutableTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Every_method_works_over_stdio()
    {
        string runId = Some.RunId();
        await using WorkerProcess worker = WorkerProcess.StartRpc();

        HealthResult health = await worker.CallAsync<HealthResult>(WorkerMethods.Health);
        Assert.Equal("ok", health.Status);
        Assert.Equal("csharp", health.Platform);
        Assert.Equal(1, health.Protocol);
        Assert.Equal(worker.Pid, health.Pid);

        DiscoverResult discover = await worker.CallAsync<DiscoverResult>(WorkerMethods.Discover);
        Assert.Equal(115, discover.Steps.Count); // 62 + sections 6 and 7 (6) + sections 5 and 11 (5) + sections 8 and 13 (11) + section 10 (5 + 2 background reading) + section 12 (11) + sections 9 and 15 (13)
        Assert.All(discover.Steps, s =>
        {
            Assert.Contains(s.Type, new[] { "given", "when", "then", "step" });
            Assert.Matches(@"^StepDefinitions/\w+\.cs:\d+$", s.Source);
            Assert.StartsWith("the '([^']+)' process ", s.Pattern, StringComparison.Ordinal);
            Assert.Equal(StepArgumentKinds.None, s.Accepts); // no ZeroBuffer step takes a table or doc string
        });

        Assert.True((await worker.InitializeAsync("reader", runId)).Ok);
        StepResult created = await worker.StepAsync("reader", "the 'reader' process creates buffer 'exe' with metadata size '1024' and payload size '10240'");
        Assert.True(created.Success, created.Error);
        Assert.Equal($"{runId}-exe", created.Data!["buffer"].GetString());
        Assert.Contains(created.Logs, l => l.Level == LogLevels.Info && l.Message.Contains($"Created buffer '{runId}-exe'", StringComparison.Ordinal));
        Assert.True(created.DurationMs > 0);

        StepResult notFound = await worker.StepAsync("reader", "the 'reader' process juggles");
        Assert.False(notFound.Success);
        Assert.Equal(ErrorTypes.StepNotFound, notFound.ErrorType);

        CleanupResult cleanup = await worker.CallAsync<CleanupResult>(WorkerMethods.Cleanup);
        Assert.True(cleanup.Ok);
        Assert.Equal([$"reader '{runId}-exe'"], cleanup.Released);
        Assert.Empty(Some.Leftovers(runId));

        // Ready for the next scenario.
        Assert.True((await worker.InitializeAsync("writer", runId + "b")).Ok);
        Assert.True((await worker.CallAsync<OkResult>(WorkerMethods.Shutdown)).Ok);
        Assert.Equal(0, await worker.WaitForExitAsync(ExitTimeout));
    }

    [Fact]
    public async Task Malformed_input_is_answered_and_the_worker_keeps_serving()
    {
        await using WorkerProcess worker = WorkerProcess.StartRaw();

        async Task<JsonElement> Reply() => (await worker.ReadReplyAsync())!.Value;
        static int Code(JsonElement r) => r.GetProperty("error").GetProperty("code").GetInt32();

        // A header block without Content-Length, then one with a negative and one with a huge length.
        await worker.SendRawAsync(Encoding.ASCII.GetBytes("Content-Type: text/plain\r\n\r\n"));
        JsonElement noLength = await Reply();
        Assert.Equal(-32600, Code(noLength));
        Assert.Equal(JsonValueKind.Null, noLength.GetProperty("id").ValueKind);

        await worker.SendRawAsync(Encoding.ASCII.GetBytes("Content-Length: -4\r\n\r\n"));
        Assert.Equal(-32600, Code(await Reply()));
        await worker.SendRawAsync(Encoding.ASCII.GetBytes("Content-Length: 999999999\r\n\r\n"));
        Assert.Equal(-32600, Code(await Reply()));

        await worker.SendFrameAsync("{not json");
        Assert.Equal(-32700, Code(await Reply()));

        await worker.SendFrameAsync("""{"id":1,"method":"health"}""");
        JsonElement noVersion = await Reply();
        Assert.Equal(-32600, Code(noVersion));
        Assert.Equal(1, noVersion.GetProperty("id").GetInt32());

        await worker.SendFrameAsync("""{"jsonrpc":"2.0","id":2,"method":"teleport"}""");
        Assert.Equal(-32601, Code(await Reply()));

        await worker.SendFrameAsync("""{"jsonrpc":"2.0","id":3,"method":"executeStep","params":{"stepType":"given"}}""");
        Assert.Equal(-32602, Code(await Reply()));

        await worker.SendFrameAsync("""{"jsonrpc":"2.0","id":4,"method":"initialize","params":{"role":"reader","runId":"bad/run"}}""");
        Assert.Equal(-32602, Code(await Reply()));

        // A notification is not answered: the next reply belongs to the request after it.
        await worker.SendFrameAsync("""{"jsonrpc":"2.0","method":"health"}""");
        await worker.SendFrameAsync("""{"jsonrpc":"2.0","id":"after-notification","method":"health"}""");
        JsonElement afterNotification = await Reply();
        Assert.Equal("after-notification", afterNotification.GetProperty("id").GetString());
        Assert.Equal("csharp", afterNotification.GetProperty("result").GetProperty("platform").GetString());

        await worker.SendFrameAsync("""[{"jsonrpc":"2.0","id":5,"method":"health"},{"jsonrpc":"2.0","method":"health"},{"jsonrpc":"2.0","id":6,"method":"nope"}]""");
        JsonElement batch = await Reply();
        Assert.Equal(2, batch.GetArrayLength());
        Assert.Equal(5, batch[0].GetProperty("id").GetInt32());
        Assert.Equal(-32601, Code(batch[1]));

        await worker.SendFrameAsync("[]");
        Assert.Equal(-32600, Code(await Reply()));

        // Compatibility forms: one-element array params, PascalCase keys, numeric stepType.
        await worker.SendFrameAsync("""{"jsonrpc":"2.0","id":7,"method":"executeStep","params":[{"Process":"reader","StepType":2,"Keyword":"Then","Step":"the 'reader' process has no such step","TimeoutMs":5000,"StepId":"x"}]}""");
        JsonElement compat = (await Reply()).GetProperty("result");
        Assert.False(compat.GetProperty("success").GetBoolean());
        Assert.Equal("StepNotFound", compat.GetProperty("errorType").GetString());

        // Garbage without line breaks, then a good frame: resynchronised.
        await worker.SendRawAsync(Encoding.ASCII.GetBytes(new string('x', 20_000) + "\r\n\r\n"));
        Assert.Equal(-32600, Code(await Reply()));
        await worker.SendFrameAsync("""{"jsonrpc":"2.0","id":8,"method":"health"}""");
        Assert.Equal(8, (await Reply()).GetProperty("id").GetInt32());

        worker.CloseInput();
        Assert.Null(await worker.ReadReplyAsync());
        Assert.Equal(0, await worker.WaitForExitAsync(ExitTimeout));
    }

    [Fact]
    public async Task End_of_stdin_releases_every_buffer_and_exits_cleanly()
    {
        string runId = Some.RunId();
        await using WorkerProcess worker = WorkerProcess.StartRpc();
        await worker.InitializeAsync("reader", runId);
        Assert.True((await worker.StepAsync("reader", "the 'reader' process creates buffer 'eof' with metadata size '0' and payload size '4096'")).Success);
        Assert.NotEmpty(Some.Leftovers(runId));

        worker.CloseInput();

        Assert.Equal(0, await worker.WaitForExitAsync(ExitTimeout));
        Assert.Empty(Some.Leftovers(runId));
        Assert.Contains(worker.Stderr, l => l.Contains("End of stdin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sigterm_releases_every_buffer_and_exits()
    {
        string runId = Some.RunId();
        await using WorkerProcess worker = WorkerProcess.StartRpc();
        await worker.InitializeAsync("reader", runId);
        Assert.True((await worker.StepAsync("reader", "the 'reader' process creates buffer 'term' with metadata size '0' and payload size '4096'")).Success);

        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", worker.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        Assert.Equal(0, await worker.WaitForExitAsync(ExitTimeout));
        Assert.Empty(Some.Leftovers(runId));
    }

    [Fact]
    public async Task End_of_stdin_inside_a_frame_still_exits_cleanly()
    {
        await using WorkerProcess worker = WorkerProcess.StartRaw();
        await worker.SendRawAsync(Encoding.ASCII.GetBytes("Content-Length: 100\r\n\r\n{\"jsonrpc\""));
        worker.CloseInput();

        Assert.Null(await worker.ReadReplyAsync());
        Assert.Equal(0, await worker.WaitForExitAsync(ExitTimeout));
        Assert.Contains(worker.Stderr, l => l.Contains("inside a frame", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_step_past_its_timeout_answers_step_timeout_and_the_worker_keeps_serving()
    {
        string runId = Some.RunId();
        await using WorkerProcess worker = WorkerProcess.StartRpc();
        await worker.InitializeAsync("reader", runId);
        await worker.StepAsync("reader", "the 'reader' process creates buffer 'late' with metadata size '0' and payload size '4096'");

        StepResult timedOut = await worker.StepAsync("reader", "the 'reader' process should receive no frame within '3000' ms", timeoutMs: 300);
        Assert.False(timedOut.Success);
        Assert.Equal(ErrorTypes.StepTimeout, timedOut.ErrorType);
        Assert.Contains("300 ms", timedOut.Error, StringComparison.Ordinal);

        HealthResult health = await worker.CallAsync<HealthResult>(WorkerMethods.Health);
        Assert.Equal("ok", health.Status);
        CleanupResult cleanup = await worker.CallAsync<CleanupResult>(WorkerMethods.Cleanup);
        Assert.True(cleanup.Ok);
        Assert.Empty(Some.Leftovers(runId));
    }

    [Theory]
    [InlineData("info", "Waiting for a debugger: pid")]
    [InlineData("error", "zerobuffer-serve: waiting for a debugger: pid")]
    public async Task Wait_for_debugger_prints_the_pid_and_how_to_attach(string level, string expected)
    {
        await using WorkerProcess worker = WorkerProcess.StartRaw(new Dictionary<string, string> { ["HARMONY_LOG_LEVEL"] = level }, "--wait-for-debugger");

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!worker.Stderr.Any(l => l.Contains(expected, StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        string line = Assert.Single(worker.Stderr, l => l.Contains(expected, StringComparison.Ordinal));
        Assert.Contains($"pid {worker.Pid}", line, StringComparison.Ordinal);
        Assert.Contains($"Attach a .NET debugger to process {worker.Pid}", line, StringComparison.Ordinal);
        worker.Kill();
    }

    [Fact]
    public async Task An_unknown_argument_is_a_usage_error()
    {
        await using WorkerProcess worker = WorkerProcess.StartRaw("--frobnicate");

        Assert.Equal(2, await worker.WaitForExitAsync(ExitTimeout));
        Assert.Contains(worker.Stderr, l => l.Contains("unknown argument '--frobnicate'", StringComparison.Ordinal));
    }
}
