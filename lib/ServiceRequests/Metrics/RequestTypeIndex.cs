namespace ServiceRequests.Metrics;

/// <summary>
/// The request types of a report and their SLA: one row per request type found in the data or
/// listed in the SLA table (so the rows stay the same from week to week), in ordinal order of the
/// title, with each row's SLA entry and department, and the row of each type code of the data.
/// </summary>
internal sealed class RequestTypeIndex
{
    /// <summary>Indexes the data's request types (<paramref name="dataTypes"/>, by type code) against <paramref name="sla"/>.</summary>
    public RequestTypeIndex(IReadOnlyList<string> dataTypes, SlaTable sla)
    {
        var entries = dataTypes.Select(sla.Find).ToArray();
        var matched = entries.Where(e => e is not null).ToHashSet();
        var titles = dataTypes.Concat(sla.Entries.Where(e => !matched.Contains(e)).Select(e => e.RequestType)).ToArray();
        var order = Enumerable.Range(0, titles.Length).OrderBy(i => titles[i], StringComparer.Ordinal).ToArray();
        Titles = [.. order.Select(i => titles[i])];
        EntryOfRow = [.. order.Select(i => i < dataTypes.Count ? entries[i] : sla.Entries.First(e => e.RequestType == titles[i]))];
        RowOfType = new int[dataTypes.Count];
        for (var row = 0; row < order.Length; row++)
        {
            if (order[row] < dataTypes.Count)
            {
                RowOfType[order[row]] = row;
            }
        }
        SlaOfType = [.. entries.Select(e => e?.SlaDays ?? double.NaN)];
        var departmentOfRow = EntryOfRow.Select(e => e?.Department ?? IssueMetrics.NoDepartment).ToArray();
        Departments = [.. departmentOfRow.Distinct().Order(StringComparer.Ordinal)];
        DepartmentOfRow = [.. departmentOfRow.Select(d => Array.IndexOf(Departments, d))];
        MissingFromSla = [.. dataTypes.Where((_, i) => entries[i] is null).Order(StringComparer.Ordinal)];
    }

    /// <summary>The title of each row.</summary>
    public string[] Titles { get; }

    /// <summary>The SLA entry of each row; null for a type the SLA table does not list.</summary>
    public SlaEntry?[] EntryOfRow { get; }

    /// <summary>The row of each type code of the data.</summary>
    public int[] RowOfType { get; }

    /// <summary>The SLA days of each type code of the data; NaN without an SLA.</summary>
    public double[] SlaOfType { get; }

    /// <summary>The departments, in ordinal order (<see cref="IssueMetrics.NoDepartment"/> among them when a row has none).</summary>
    public string[] Departments { get; }

    /// <summary>The department (index into <see cref="Departments"/>) of each row.</summary>
    public int[] DepartmentOfRow { get; }

    /// <summary>The data's types that the SLA table does not list, in ordinal order.</summary>
    public IReadOnlyList<string> MissingFromSla { get; }
}
