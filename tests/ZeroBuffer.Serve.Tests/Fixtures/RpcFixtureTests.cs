using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ZeroBuffer.Serve.Tests.Support;

namespace ZeroBuffer.Serve.Tests.Fixtures;

/// <summary>
/// testdata/rpc/cases.json, the worker contract shared with the Python and C++ suites: each case's
/// bytes go to a fresh zerobuffer-serve's stdin, which is then closed; the replies must meet the
/// case's expectations (in any order) and the worker must exit 0.
/// </summary>
public sealed class RpcFixtureTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    public static TheoryData<string> CaseNames()
    {
        var names = new TheoryData<string>();
        foreach (JsonNode? c in LoadCases())
        {
            names.Add(c!["name"]!.GetValue<string>());
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Worker_meets_the_shared_rpc_case(string name)
    {
        JsonObject c = LoadCases().Single(x => x!["name"]!.GetValue<string>() == name)!.AsObject();
        await using WorkerProcess worker = WorkerProcess.StartRaw();
        await worker.SendRawAsync(Encoding.UTF8.GetBytes(c["input"]!.GetValue<string>()));
        worker.CloseInput();

        var replies = new List<JsonElement>();
        while (await worker.ReadReplyAsync() is { } reply)
        {
            replies.Add(reply);
        }

        Assert.Equal(0, await worker.WaitForExitAsync(ExitTimeout));
        List<JsonNode> expected = c["replies"]!.AsArray().Select(r => r!).ToList();
        if (c["mayExitAfter"]?.GetValue<int>() is int exitAfter && replies.Count == exitAfter)
        {
            expected = expected.Take(exitAfter).ToList();
        }

        string? problem = RepliesProblem(expected, replies);
        Assert.True(problem is null, $"{name}: {problem}\nstderr:\n{string.Join('\n', worker.Stderr)}");
    }

    private static JsonArray LoadCases()
    {
        string path = Path.Combine(RepositoryRoot(), "testdata", "rpc", "cases.json");
        return JsonNode.Parse(File.ReadAllText(path))!["cases"]!.AsArray();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "testdata", "rpc", "cases.json")))
            {
                return dir.FullName;
            }
        }

        throw new FileNotFoundException($"testdata/rpc/cases.json not found above {AppContext.BaseDirectory}");
    }

    /// <summary>Every expectation met by a distinct reply and no reply left over; null when so.</summary>
    private static string? RepliesProblem(IReadOnlyList<JsonNode> expected, IReadOnlyList<JsonElement> actual)
    {
        var left = actual.ToList();
        foreach (JsonNode expectation in expected)
        {
            int hit = left.FindIndex(r => ReplyProblem(expectation, r) is null);
            if (hit < 0)
            {
                return $"no reply meets {expectation.ToJsonString()}; replies: [{string.Join(", ", actual.Select(a => a.GetRawText()))}]";
            }

            left.RemoveAt(hit);
        }

        return left.Count == 0 ? null : $"unexpected replies: [{string.Join(", ", left.Select(a => a.GetRawText()))}]";
    }

    private static string? ReplyProblem(JsonNode expected, JsonElement actual)
    {
        if (expected["batch"] is JsonArray batch)
        {
            if (actual.ValueKind == JsonValueKind.Array)
            {
                return actual.GetArrayLength() == batch.Count
                    ? RepliesProblem(batch.Select(b => b!).ToList(), actual.EnumerateArray().ToList())
                    : $"batch of {actual.GetArrayLength()} replies, expected {batch.Count}";
            }

            bool refused = ErrorCode(actual) == -32600;
            return expected["orRefused"]?.GetValue<bool>() == true && refused ? null : $"expected a batch reply, got {actual.GetRawText()}";
        }

        if (actual.ValueKind != JsonValueKind.Object)
        {
            return $"expected one reply object, got {actual.GetRawText()}";
        }

        if (expected.AsObject().ContainsKey("id")
            && (!actual.TryGetProperty("id", out JsonElement id) || !JsonNode.DeepEquals(JsonNode.Parse(id.GetRawText()), expected["id"])))
        {
            return $"other id: {actual.GetRawText()}";
        }

        if (expected["error"] is JsonNode code)
        {
            return ErrorCode(actual) == code.GetValue<int>() && !actual.TryGetProperty("result", out _)
                ? null
                : $"expected error {code.ToJsonString()}, got {actual.GetRawText()}";
        }

        if (!actual.TryGetProperty("result", out JsonElement result) || result.ValueKind != JsonValueKind.Object)
        {
            return $"expected a result object, got {actual.GetRawText()}";
        }

        foreach (JsonNode? key in expected["result"]!.AsArray())
        {
            if (!result.TryGetProperty(key!.GetValue<string>(), out _))
            {
                return $"result lacks {key.ToJsonString()}: {result.GetRawText()}";
            }
        }

        foreach ((string key, JsonNode? value) in expected["values"]?.AsObject() ?? [])
        {
            if (!result.TryGetProperty(key, out JsonElement actualValue) || !JsonNode.DeepEquals(JsonNode.Parse(actualValue.GetRawText()), value))
            {
                return $"result {key} is {(result.TryGetProperty(key, out JsonElement v) ? v.GetRawText() : "missing")}, expected {value?.ToJsonString() ?? "null"}";
            }
        }

        return null;
    }

    private static int? ErrorCode(JsonElement reply) =>
        reply.ValueKind == JsonValueKind.Object
        && reply.TryGetProperty("error", out JsonElement error)
        && error.ValueKind == JsonValueKind.Object
        && error.TryGetProperty("code", out JsonElement code)
        && code.TryGetInt32(out int value)
            ? value
            : null;
}
