using System.Text.Json;

namespace ZeroBuffer.Serve.Tests.Support;

/// <summary>Request bodies for the raw-mode tests.</summary>
internal static class Requests
{
    public static string Initialize(int id, string runId) => Request(id, "initialize", new
    {
        role = "reader",
        roles = new[] { "reader", "writer" },
        platform = "csharp",
        scenario = "raw",
        feature = "raw",
        runId,
        mode = "separate-process",
    });

    public static string Step(int id, string text, int timeoutMs = 60_000) => Request(id, "executeStep", new
    {
        process = "reader",
        stepType = "given",
        keyword = "Given",
        step = text,
        timeoutMs,
        stepId = $"s{id}",
    });

    private static string Request(int id, string method, object parameters) =>
        JsonSerializer.Serialize(new { jsonrpc = "2.0", id, method, @params = parameters });
}
