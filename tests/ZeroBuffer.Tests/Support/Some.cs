using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace ZeroBuffer.Tests.Support;

/// <summary>Unique names and the shared byte patterns (frame byte i of sequence s = (s + i) &amp; 0xFF).</summary>
internal static class Some
{
    /// <summary>Every buffer this test run creates starts with this; the leak check looks for it.</summary>
    internal const string Prefix = "zbt-";

    private static int _counter;

    internal static string RunId { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();

    internal static string RunPrefix => $"{Prefix}{RunId}-";

    internal static string ShmName([CallerMemberName] string test = "")
    {
        string safe = new(test.Where(c => char.IsAsciiLetterOrDigit(c)).Take(60).ToArray());
        return $"{RunPrefix}{Interlocked.Increment(ref _counter)}-{safe}";
    }

    internal static BufferConfig Config(int payloadSize = 10240, int metadataSize = 1024) => new(metadataSize, payloadSize);

    internal static byte[] FrameData(ulong sequence, int size)
    {
        var data = new byte[size];
        FillFrame(data, sequence);
        return data;
    }

    internal static void FillFrame(Span<byte> data, ulong sequence)
    {
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (byte)((sequence + (ulong)i) & 0xFF);
        }
    }

    internal static bool MatchesFrame(ReadOnlySpan<byte> data, ulong sequence)
    {
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] != (byte)((sequence + (ulong)i) & 0xFF))
            {
                return false;
            }
        }

        return true;
    }

    internal static byte[] MetadataData(int size)
    {
        var data = new byte[size];
        for (int i = 0; i < size; i++)
        {
            data[i] = (byte)(i & 0xFF);
        }

        return data;
    }
}
