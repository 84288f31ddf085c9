using System.Text.Json;

namespace Harmony.Orchestrator.Reporting.Bench;

/// <summary>
/// The JSON report, read by <c>scripts/bench-check</c>: <c>{"generated": ..., "rows": [{scenarioId, scenario, step,
/// stepText, role, platform, pair, mode, measurement, frameBytes, metric, value, baselineName, baselineValue, ratio,
/// better: higher|lower|unknown, stepPassed}]}</c>; absent values are null.
/// </summary>
internal static class BenchJson
{
    public static void Write(Stream stream, IReadOnlyList<BenchRow> rows, DateTimeOffset generated)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("generated", generated.ToUniversalTime());
        json.WriteStartArray("rows");
        foreach (var row in rows)
        {
            json.WriteStartObject();
            json.WriteString("scenarioId", row.ScenarioId);
            json.WriteString("scenario", row.Scenario);
            json.WriteNumber("step", row.Step);
            json.WriteString("stepText", row.StepText);
            json.WriteString("role", row.Role);
            json.WriteString("platform", row.Platform);
            json.WriteString("pair", row.Pair);
            json.WriteString("mode", row.Mode);
            json.WriteString("measurement", row.Measurement);
            Number(json, "frameBytes", row.FrameBytes);
            json.WriteString("metric", row.Metric);
            json.WriteNumber("value", row.Value);
            json.WriteString("baselineName", row.BaselineName);
            Number(json, "baselineValue", row.BaselineValue);
            Number(json, "ratio", row.Ratio);
            json.WriteString("better", row.Better.ToString().ToLowerInvariant());
            json.WriteBoolean("stepPassed", row.StepPassed);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } number && double.IsFinite(number))
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Number(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
