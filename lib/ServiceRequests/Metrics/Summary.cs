namespace ServiceRequests.Metrics;

/// <summary>
/// Everything the metric tables need about one group of issues (a request type, a department,
/// a week of a type, ...): counts, and the sorted days to close and open ages for quantiles.
/// </summary>
internal sealed class Summary
{
    public int Issues;
    public int Closed;
    public int Open;
    public int Reopened;
    public int Duplicates;
    /// <summary>Closed issues of types with an SLA.</summary>
    public int ClosedWithSla;
    /// <summary>Closed with 0 &lt; days &lt; SLA.</summary>
    public int Within;
    /// <summary>Closed with days ≥ SLA.</summary>
    public int Breached;
    /// <summary>Open issues of types with an SLA.</summary>
    public int OpenWithSla;
    /// <summary>Open with age ≥ SLA.</summary>
    public int OpenPastSla;
    public readonly int[] Statuses = new int[IssueColumns.StatusNames.Length];
    public double SumDays;
    /// <summary>Days to close of the closed issues, ascending.</summary>
    public double[] ClosedDays = [];
    /// <summary>Ages of the open issues, ascending.</summary>
    public double[] OpenAges = [];

    public double? MeanDays => Closed == 0 ? null : SumDays / Closed;

    public double? MedianDays => Median(ClosedDays);

    public double? PercWithinSla => ClosedWithSla == 0 ? null : Within * 100.0 / ClosedWithSla;

    public double? PercReopened => Issues == 0 ? null : Reopened * 100.0 / Issues;

    public double? PercDuplicates => Issues == 0 ? null : Duplicates * 100.0 / Issues;

    /// <summary>
    /// Summarises the rows of <paramref name="columns"/> by <paramref name="keyOf"/> (a group
    /// index below <paramref name="groups"/>, or -1 to leave the row out).
    /// </summary>
    /// <param name="columns">The issues.</param>
    /// <param name="slaOfType">SLA days per type code; NaN for none.</param>
    /// <param name="groups">Number of groups.</param>
    /// <param name="keyOf">Group of a row, or -1.</param>
    public static Summary[] Of(IssueColumns columns, double[] slaOfType, int groups, Func<int, int> keyOf)
    {
        var result = new Summary[groups];
        for (var g = 0; g < groups; g++)
        {
            result[g] = new Summary();
        }
        var days = columns.Days;
        var flags = columns.Flags;
        for (var i = 0; i < columns.Count; i++)
        {
            var key = keyOf(i);
            if (key < 0)
            {
                continue;
            }
            var s = result[key];
            s.Issues++;
            var f = flags[i];
            var sla = slaOfType[columns.Type[i]];
            if ((f & IssueColumns.ClosedFlag) != 0)
            {
                s.Closed++;
                s.SumDays += days[i];
                if (!double.IsNaN(sla))
                {
                    s.ClosedWithSla++;
                    if (days[i] > 0 && days[i] < sla)
                    {
                        s.Within++;
                    }
                    else if (days[i] >= sla)
                    {
                        s.Breached++;
                    }
                }
            }
            else
            {
                s.Open++;
                if (!double.IsNaN(sla))
                {
                    s.OpenWithSla++;
                    if (days[i] >= sla)
                    {
                        s.OpenPastSla++;
                    }
                }
            }
            if ((f & IssueColumns.ReopenedFlag) != 0)
            {
                s.Reopened++;
            }
            if ((f & IssueColumns.DuplicateFlag) != 0)
            {
                s.Duplicates++;
            }
            s.Statuses[columns.Status(i)]++;
        }

        var closedFill = new int[groups];
        var openFill = new int[groups];
        foreach (var s in result)
        {
            s.ClosedDays = s.Closed == 0 ? [] : new double[s.Closed];
            s.OpenAges = s.Open == 0 ? [] : new double[s.Open];
        }
        for (var i = 0; i < columns.Count; i++)
        {
            var key = keyOf(i);
            if (key < 0)
            {
                continue;
            }
            if ((flags[i] & IssueColumns.ClosedFlag) != 0)
            {
                result[key].ClosedDays[closedFill[key]++] = days[i];
            }
            else
            {
                result[key].OpenAges[openFill[key]++] = days[i];
            }
        }
        foreach (var s in result)
        {
            Array.Sort(s.ClosedDays);
            Array.Sort(s.OpenAges);
        }
        return result;
    }

    /// <summary>
    /// One summary of all issues of <paramref name="parts"/>: counts added and, with
    /// <paramref name="values"/>, the sorted values merged (without, they stay empty).
    /// </summary>
    public static Summary Pool(IReadOnlyList<Summary> parts, bool values = true)
    {
        var result = new Summary();
        foreach (var p in parts)
        {
            result.Issues += p.Issues;
            result.Closed += p.Closed;
            result.Open += p.Open;
            result.Reopened += p.Reopened;
            result.Duplicates += p.Duplicates;
            result.ClosedWithSla += p.ClosedWithSla;
            result.Within += p.Within;
            result.Breached += p.Breached;
            result.OpenWithSla += p.OpenWithSla;
            result.OpenPastSla += p.OpenPastSla;
            result.SumDays += p.SumDays;
            for (var k = 0; k < result.Statuses.Length; k++)
            {
                result.Statuses[k] += p.Statuses[k];
            }
        }
        if (values)
        {
            // Buffers of exactly the total length: the one holding the result is the merged array.
            result.ClosedDays = Merge(parts, p => p.ClosedDays, new double[result.Closed], new double[result.Closed]);
            result.OpenAges = Merge(parts, p => p.OpenAges, new double[result.Open], new double[result.Open]);
        }
        return result;
    }

    /// <summary>The median days to close of all issues of <paramref name="parts"/>, merging their sorted values in <paramref name="scratch"/>.</summary>
    public static double? PooledMedianDays(IReadOnlyList<Summary> parts, Scratch scratch)
    {
        var count = parts.Sum(p => p.Closed);
        if (count == 0)
        {
            return null;
        }
        var merged = Merge(parts, p => p.ClosedDays, scratch.First(count), scratch.Second(count));
        return count % 2 == 1 ? merged[count / 2] : (merged[count / 2 - 1] + merged[count / 2]) / 2;
    }

    /// <summary>Two reusable buffers for merging sorted values.</summary>
    public sealed class Scratch
    {
        private double[] _first = [];
        private double[] _second = [];

        public double[] First(int length) => _first.Length >= length ? _first : _first = new double[Math.Max(length, _first.Length * 2)];

        public double[] Second(int length) => _second.Length >= length ? _second : _second = new double[Math.Max(length, _second.Length * 2)];
    }

    /// <summary>
    /// Merges the sorted runs of <paramref name="parts"/>, ping-ponging between two buffers at
    /// least as long as the result; returns the buffer whose start holds the merged values.
    /// </summary>
    private static double[] Merge(IReadOnlyList<Summary> parts, Func<Summary, double[]> values, double[] merged, double[] scratch)
    {
        var length = 0;
        foreach (var part in parts)
        {
            var next = values(part);
            if (next.Length == 0)
            {
                continue;
            }
            int a = 0, b = 0, o = 0;
            while (a < length && b < next.Length)
            {
                scratch[o++] = merged[a] <= next[b] ? merged[a++] : next[b++];
            }
            while (a < length)
            {
                scratch[o++] = merged[a++];
            }
            while (b < next.Length)
            {
                scratch[o++] = next[b++];
            }
            (merged, scratch) = (scratch, merged);
            length = o;
        }
        return merged;
    }

    /// <summary>The median of ascending <paramref name="sorted"/>: the middle value, or the mean of the two middle values; null when empty.</summary>
    public static double? Median(double[] sorted)
    {
        var n = sorted.Length;
        if (n == 0)
        {
            return null;
        }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /// <summary>
    /// The <paramref name="p"/> quantile of ascending <paramref name="sorted"/> by linear
    /// interpolation between closest ranks (pandas' and numpy's default, Hyndman–Fan type 7):
    /// h = (n − 1)·p, result = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]); null when empty.
    /// </summary>
    public static double? Quantile(double[] sorted, double p)
    {
        var n = sorted.Length;
        if (n == 0)
        {
            return null;
        }
        var h = (n - 1) * p;
        var lo = (int)h;
        var fraction = h - lo;
        return fraction == 0 ? sorted[lo] : sorted[lo] + (sorted[lo + 1] - sorted[lo]) * fraction;
    }
}
