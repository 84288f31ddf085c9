namespace ZeroBuffer.Serve.Steps;

/// <summary>A step's data table: the first row is the header.</summary>
public sealed record StepTable(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>The rows as header-keyed dictionaries.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> ToDictionaries() =>
        Rows.Select(row => (IReadOnlyDictionary<string, string>)Header
                .Select((name, i) => (name, value: i < row.Count ? row[i] : ""))
                .ToDictionary(p => p.name, p => p.value, StringComparer.Ordinal))
            .ToList();
}

/// <summary>A step's doc string.</summary>
public sealed record StepDocString(string Content, string? MediaType);

/// <summary>Facts a step established, returned as the result's <c>data</c>.</summary>
public sealed class StepData : Dictionary<string, object?>
{
    public StepData()
        : base(StringComparer.Ordinal)
    {
    }
}
