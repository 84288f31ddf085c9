using System.Text.Json;
using System.Text.Json.Nodes;
using ZeroBuffer.Fuzz;

// Reads one case per line on stdin (tests/fuzz/cases.py) and prints one JSON result line per case.
string? line;
while ((line = Console.ReadLine()) is not null)
{
    if (line.Length == 0)
    {
        continue;
    }

    JsonObject result = CaseRunner.Run(JsonNode.Parse(line)!.AsObject());
    Console.Out.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    Console.Out.Flush();
}
