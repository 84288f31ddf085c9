namespace ZeroBuffer.Serve.StepDefinitions.Support.Bench;

/// <summary>
/// STEPS.md "Degradation" (PROTOCOL.md terms): a buffer is degraded once its OIEB <c>payload_free_bytes</c>
/// has stayed below 20 % of <c>payload_size</c> (utilisation above 80 %) in every sample for at least the
/// window; it has recovered once, after that, free bytes stayed at or above 20 % for at least the window.
/// Fed samples in time order; pure, so it is tested without a buffer.
/// </summary>
public sealed class DegradationDetector(long windowNs)
{
    public const double Threshold = 0.8;

    private long? _since;

    /// <summary>When degradation was declared (the sample that completed the window), or null.</summary>
    public long? DegradedAt { get; private set; }

    public long? RecoveredAt { get; private set; }

    public double MaxUtilization { get; private set; }

    public static double Utilization(ulong freeBytes, ulong payloadSize) => 1.0 - ((double)freeBytes / payloadSize);

    public void Sample(long atNs, double utilization)
    {
        MaxUtilization = Math.Max(MaxUtilization, utilization);
        if (RecoveredAt is not null)
        {
            return;
        }

        bool degradedState = DegradedAt is not null;
        bool condition = degradedState ? utilization <= Threshold : utilization > Threshold;
        if (!condition)
        {
            _since = null;
            return;
        }

        _since ??= atNs;
        if (atNs - _since.Value < windowNs)
        {
            return;
        }

        if (degradedState)
        {
            RecoveredAt = atNs;
        }
        else
        {
            DegradedAt = atNs;
        }

        _since = null;
    }
}
