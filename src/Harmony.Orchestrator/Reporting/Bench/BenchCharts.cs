using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace Harmony.Orchestrator.Reporting.Bench;

/// <summary>
/// The report's SVG charts (OxyPlot, no native dependency): throughput (GB/s) against frame size, one line per
/// platform pair and one per baseline (memcpy, unix socket); latency percentiles per pair against the
/// semaphore ping-pong. A chart without data is not drawn.
/// </summary>
internal static class BenchCharts
{
    public const string ThroughputMetric = "gb_per_s";

    /// <summary>Latency percentiles in drawing order, with their axis labels.</summary>
    private static readonly (string Metric, string Label)[] Percentiles =
        [("p50_us", "p50"), ("p90_us", "p90"), ("p99_us", "p99"), ("p999_us", "p99.9")];

    public static PlotModel? Throughput(IReadOnlyList<BenchRow> rows)
    {
        var points = rows.Where(r => r.Measurement == "throughput" && r.Metric == ThroughputMetric && r.FrameBytes > 0).ToList();
        if (points.Count == 0)
        {
            return null;
        }
        var model = Model("Throughput against frame size");
        model.Axes.Add(new LogarithmicAxis
        {
            Position = AxisPosition.Bottom, Base = 2, Title = "frame size",
            LabelFormatter = x => BenchFormat.Bytes((long)Math.Round(x)),
            MajorGridlineStyle = LineStyle.Dot,
        });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Minimum = 0, Title = "GB/s", MajorGridlineStyle = LineStyle.Dot });
        foreach (var (name, series) in SeriesOf(points))
        {
            model.Series.Add(Line(name, series.GroupBy(r => r.FrameBytes!.Value).OrderBy(g => g.Key)
                .Select(g => new DataPoint(g.Key, Median(g.Select(r => r.Value)))), MarkerType.Circle));
        }
        foreach (var baseline in points.Where(r => r.BaselineValue is not null).GroupBy(r => r.BaselineName!).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            model.Series.Add(Line(baseline.Key, baseline.GroupBy(r => r.FrameBytes!.Value).OrderBy(g => g.Key)
                .Select(g => new DataPoint(g.Key, Median(g.Select(r => r.BaselineValue!.Value)))), MarkerType.None, LineStyle.Dash));
        }
        return model;
    }

    public static PlotModel? Latency(IReadOnlyList<BenchRow> rows)
    {
        var points = rows.Where(r => r.Measurement == "latency" && Percentiles.Any(p => p.Metric == r.Metric) && r.Value > 0).ToList();
        if (points.Count == 0)
        {
            return null;
        }
        var used = Percentiles.Where(p => points.Any(r => r.Metric == p.Metric)).ToList();
        var model = Model("Latency percentiles");
        var axis = new CategoryAxis { Position = AxisPosition.Bottom, Title = "percentile" };
        axis.Labels.AddRange(used.Select(p => p.Label));
        model.Axes.Add(axis);
        model.Axes.Add(new LogarithmicAxis { Position = AxisPosition.Left, Title = "µs", MajorGridlineStyle = LineStyle.Dot });
        foreach (var (name, series) in SeriesOf(points))
        {
            model.Series.Add(Line(name, At(used, series, r => r.Value), MarkerType.Circle));
        }
        foreach (var baseline in points.Where(r => r.BaselineValue > 0).GroupBy(r => r.BaselineName!).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            model.Series.Add(Line(baseline.Key, At(used, baseline.ToList(), r => r.BaselineValue!.Value), MarkerType.None, LineStyle.Dash));
        }
        return model;
    }

    public static void WriteSvg(PlotModel model, string path)
    {
        using var stream = File.Create(path);
        new SvgExporter { Width = 900, Height = 500 }.Export(model, stream);
    }

    /// <summary>
    /// One series per pair; the mode, the role and the scenario join the name only when they tell series apart,
    /// so a plain run's legend reads <c>csharp_python</c>.
    /// </summary>
    private static IEnumerable<(string Name, List<BenchRow> Rows)> SeriesOf(List<BenchRow> rows)
    {
        var byMode = rows.Select(r => r.Mode).Distinct().Count() > 1;
        var byRole = rows.GroupBy(r => (r.Pair, r.Mode)).Any(g => g.Select(r => r.Role).Distinct().Count() > 1);
        var byScenario = rows.Select(r => r.ScenarioId).Distinct().Count() > 1;
        return rows.GroupBy(r => string.Join(' ', new[]
            {
                r.Pair, byMode ? r.Mode : null, byRole ? r.Role : null, byScenario ? r.ScenarioId : null,
            }.OfType<string>()))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.ToList()));
    }

    private static IEnumerable<DataPoint> At(List<(string Metric, string Label)> used, List<BenchRow> rows, Func<BenchRow, double> value) =>
        used.Select((p, index) => (index, values: rows.Where(r => r.Metric == p.Metric).Select(value).ToList()))
            .Where(p => p.values.Count > 0)
            .Select(p => new DataPoint(p.index, Median(p.values)));

    private static PlotModel Model(string title)
    {
        // Arial: the font the exporter measures text with (its PDF metrics), so the legend fits where a viewer draws it.
        var model = new PlotModel { Title = title, Background = OxyColors.White, DefaultFont = "Arial" };
        // The exporter measures text narrower than browsers draw it: the padding keeps the legend's names inside the image.
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.RightTop, LegendPlacement = LegendPlacement.Outside, LegendPadding = 24 });
        return model;
    }

    private static LineSeries Line(string title, IEnumerable<DataPoint> points, MarkerType marker, LineStyle style = LineStyle.Solid)
    {
        var series = new LineSeries { Title = title, MarkerType = marker, LineStyle = style };
        series.Points.AddRange(points);
        return series;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
