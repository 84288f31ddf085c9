using System.Text.Json;

namespace ZeroBuffer.Tool.Bench.Reporting;

/// <summary>Writes the results as a JSON array of {measure, frameBytes, value, unit, baseline, baselineValue, ratio}.</summary>
internal static class JsonReport
{
    public static void Write(string path, IReadOnlyList<BenchResult> results)
    {
        using FileStream file = File.Create(path);
        using var json = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true });
        json.WriteStartArray();
        foreach (BenchResult result in results)
        {
            json.WriteStartObject();
            json.WriteString("measure", result.Measure);
            json.WriteNumber("frameBytes", result.FrameBytes);
            json.WriteNumber("value", Round(result.Value));
            json.WriteString("unit", result.Unit);
            json.WriteString("baseline", result.Baseline);
            json.WriteNumber("baselineValue", Round(result.BaselineValue));
            json.WriteNumber("ratio", Round(result.Ratio));
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    // Six significant digits are far beyond the run-to-run noise and keep the file readable.
    private static double Round(double value)
    {
        if (value == 0 || !double.IsFinite(value))
        {
            return value;
        }

        int digits = Math.Clamp(5 - (int)Math.Floor(Math.Log10(Math.Abs(value))), 0, 15);
        return Math.Round(value, digits);
    }
}
