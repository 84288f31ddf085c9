using System.Diagnostics;

namespace ZeroBuffer.Tool.Bench;

/// <summary>Builds a start info that runs this same tool again, as an apphost or as <c>dotnet zerobuffer.dll</c>.</summary>
internal static class SelfLauncher
{
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        string host = Environment.ProcessPath
            ?? throw new InvalidOperationException("cannot locate the running executable to start a benchmark peer");
        var info = new ProcessStartInfo(host)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // a peer that runs until told to stop ends when its stdin closes
        };

        // Under `dotnet ZeroBuffer.Tool.dll` the process is the dotnet host, which needs the dll again;
        // an apphost (zerobuffer) finds the dll itself.
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            info.ArgumentList.Add(typeof(SelfLauncher).Assembly.Location);
        }

        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}
