namespace ServiceRequests.Sample;

/// <summary>What to generate.</summary>
internal sealed record SampleOptions
{
    /// <summary>Number of issues (default 50,000).</summary>
    public int Issues { get; init; } = 50_000;

    /// <summary>Random seed; the same options always give the same issues (default 311).</summary>
    public int Seed { get; init; } = 311;

    /// <summary>First creation date, local (default Sunday 2024-11-03).</summary>
    public DateOnly From { get; init; } = new(2024, 11, 3);

    /// <summary>Last creation date, local, inclusive (default Saturday 2026-10-31: 104 whole weeks).</summary>
    public DateOnly To { get; init; } = new(2026, 10, 31);

    /// <summary>The id of the first issue; later ones grow with creation time (default 17,000,000).</summary>
    public long FirstId { get; init; } = 17_000_000;

    /// <summary>The moment the data is "pulled": the day after <see cref="To"/> at 06:00 local. Nothing happens after it.</summary>
    public DateTimeOffset Snapshot => CityTime.FromFloating(To.AddDays(1).ToDateTime(new TimeOnly(6, 0)));

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">A count is negative or the dates are reversed.</exception>
    public void Validate()
    {
        if (Issues < 0)
        {
            throw new ArgumentException($"The number of issues must be 0 or more (got {Issues}).");
        }
        if (To < From)
        {
            throw new ArgumentException($"The last date {To:yyyy-MM-dd} is before the first {From:yyyy-MM-dd}.");
        }
        if (FirstId < 1)
        {
            throw new ArgumentException($"The first id must be 1 or more (got {FirstId}).");
        }
    }
}
