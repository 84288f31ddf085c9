namespace ZeroBuffer.Tool.Bench.Measures;

/// <summary>
/// This process's end of a round trip against a running echo peer: one call sends a pattern request
/// and checks the echoed response, so that a measure can time single round trips of several kinds.
/// </summary>
internal interface IRoundTripClient : IDisposable
{
    /// <summary>One request and its checked response.</summary>
    void RoundTrip();

    /// <summary>After the last round trip: disconnects and requires the peer to exit cleanly.</summary>
    void Finish();

    /// <summary>The error to report for <paramref name="seenHere"/> (the peer's own error when it died).</summary>
    Exception Explain(Exception seenHere);
}
