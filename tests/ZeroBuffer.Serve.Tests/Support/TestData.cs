namespace ZeroBuffer.Serve.Tests.Support;

/// <summary>The repository's testdata/ folder, shared with the Python and C++ suites.</summary>
internal static class TestData
{
    public static string Path(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine([dir.FullName, "testdata", .. parts]);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"testdata/{string.Join('/', parts)} not found above {AppContext.BaseDirectory}");
    }
}
