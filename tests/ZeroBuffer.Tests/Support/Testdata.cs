namespace ZeroBuffer.Tests.Support;

/// <summary>The repository's testdata/ folder, shared by the three languages' suites.</summary>
internal static class Testdata
{
    internal static string Path(string relative)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string path = System.IO.Path.Combine(dir.FullName, "testdata", relative);
            if (File.Exists(path) || Directory.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"testdata/{relative} not found above {AppContext.BaseDirectory}");
    }
}
