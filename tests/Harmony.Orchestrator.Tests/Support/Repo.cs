namespace Harmony.Orchestrator.Tests.Support;

/// <summary>Paths in the repository and in the test output.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string FeaturesPath => Path.Combine(Root, "features");

    public static string FakeWorker => Path.Combine(AppContext.BaseDirectory, "FakeWorker", "fake_worker.py");

    /// <summary>The system interpreter (no pyenv shim in between, so a kill reaches python itself).</summary>
    public static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    private static string FindRoot()
    {
        // The tests run from an artifacts directory anywhere; the source file's location is fixed.
        var directory = new DirectoryInfo(Path.GetDirectoryName(SourcePath())!);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "harmony.json")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("repository root (harmony.json) not found");
    }

    private static string SourcePath([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}
