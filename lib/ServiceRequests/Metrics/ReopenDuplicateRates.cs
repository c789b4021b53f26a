using System.Globalization;
using Microsoft.Data.Analysis;
using ServiceRequests.Portal;

namespace ServiceRequests.Metrics;

/// <summary>
/// Re-opened and duplicate rates grouped by any column of the portal-shaped DataFrame, such as
/// <c>council_district</c> or <c>neighborhood</c> (per request type and per week, see
/// <see cref="IssueMetrics.Reopened"/>, <see cref="IssueMetrics.Duplicates"/> and
/// <see cref="IssueMetrics.RollingSeries"/>). Definitions as in docs/metrics.md: an issue is a row
/// with <c>created_at</c>, counted in a range by its local creation date (both ends inclusive);
/// re-opened means <c>reopened_at</c> is set, duplicate means <c>canonical_issue_id</c> is set.
/// </summary>
public static class ReopenDuplicateRates
{
    /// <summary>The group of rows whose grouping value is null or blank.</summary>
    public const string NoValue = "(none)";

    /// <summary>
    /// One row per value of <paramref name="column"/> (in ordinal order of its text; numbers
    /// sort by value; <see cref="NoValue"/> last): <c>{column}, num_issues, num_reopened, perc_reopened, num_duplicates,
    /// perc_duplicates</c> over the issues created from <paramref name="from"/> to
    /// <paramref name="to"/> (null: no bound). Groups without issues in the range are left out.
    /// </summary>
    /// <param name="issues">Issues in the portal shape.</param>
    /// <param name="column">The column to group by.</param>
    /// <param name="from">First creation date, inclusive.</param>
    /// <param name="to">Last creation date, inclusive.</param>
    /// <exception cref="ArgumentException">A column is missing or mistyped, or <paramref name="from"/> is after <paramref name="to"/>.</exception>
    public static DataFrame By(DataFrame issues, string column, DateOnly? from = null, DateOnly? to = null)
    {
        ArgumentNullException.ThrowIfNull(issues);
        ArgumentException.ThrowIfNullOrWhiteSpace(column);
        var values = Column(issues, column);
        return Rates(issues, column, row => values[row], from, to);
    }

    /// <summary>
    /// As <see cref="By"/>, grouped by the department the SLA table gives each request type
    /// (<see cref="IssueMetrics.NoDepartment"/> for types it does not list): first column <c>department</c>.
    /// </summary>
    /// <inheritdoc cref="By" path="/exception"/>
    public static DataFrame ByDepartment(DataFrame issues, SlaTable sla, DateOnly? from = null, DateOnly? to = null)
    {
        ArgumentNullException.ThrowIfNull(issues);
        ArgumentNullException.ThrowIfNull(sla);
        var types = Column(issues, PortalSchema.RequestTypeTitle, typeof(string));
        var departments = new Dictionary<string, string>(StringComparer.Ordinal);
        return Rates(issues, "department", row =>
        {
            var type = (string?)types[row] ?? "";
            if (!departments.TryGetValue(type, out var department))
            {
                department = sla.Find(type)?.Department ?? IssueMetrics.NoDepartment;
                departments[type] = department;
            }
            return department;
        }, from, to);
    }

    private static DataFrame Rates(DataFrame issues, string column, Func<long, object?> groupOf, DateOnly? from, DateOnly? to)
    {
        if (from > to)
        {
            throw new ArgumentException($"The range starts ({from:yyyy-MM-dd}) after it ends ({to:yyyy-MM-dd}).", nameof(from));
        }
        var created = (DateTimeDataFrameColumn)Column(issues, PortalSchema.CreatedAt, typeof(DateTime));
        var reopened = (DateTimeDataFrameColumn)Column(issues, PortalSchema.ReopenedAt, typeof(DateTime));
        var canonical = Column(issues, PortalSchema.CanonicalIssueId, typeof(long));
        var first = from?.ToDateTime(TimeOnly.MinValue) ?? DateTime.MinValue;
        var end = to?.AddDays(1).ToDateTime(TimeOnly.MinValue) ?? DateTime.MaxValue;

        var counts = new Dictionary<object, (int Issues, int Reopened, int Duplicates)>();
        for (long row = 0; row < issues.Rows.Count; row++)
        {
            if (created[row] is not { } at || at < first || at >= end)
            {
                continue;
            }
            var key = groupOf(row) is { } value && !(value is string s && string.IsNullOrWhiteSpace(s)) ? value : NoValue;
            var c = counts.GetValueOrDefault(key);
            counts[key] = (c.Issues + 1, c.Reopened + (reopened[row] is null ? 0 : 1), c.Duplicates + (canonical[row] is null ? 0 : 1));
        }
        var keys = counts.Keys
            .OrderBy(k => k is string s ? (s == NoValue ? 2 : 1) : 0)
            .ThenBy(k => k is string ? 0 : Convert.ToDouble(k, CultureInfo.InvariantCulture))
            .ThenBy(k => k as string, StringComparer.Ordinal)
            .ToList();
        double? Percent(int part, int whole) => whole == 0 ? null : 100.0 * part / whole;
        return new DataFrame(
            new StringDataFrameColumn(column, keys.Select(k => Convert.ToString(k, CultureInfo.InvariantCulture))),
            new Int32DataFrameColumn("num_issues", keys.Select(k => (int?)counts[k].Issues)),
            new Int32DataFrameColumn("num_reopened", keys.Select(k => (int?)counts[k].Reopened)),
            new DoubleDataFrameColumn("perc_reopened", keys.Select(k => Percent(counts[k].Reopened, counts[k].Issues))),
            new Int32DataFrameColumn("num_duplicates", keys.Select(k => (int?)counts[k].Duplicates)),
            new DoubleDataFrameColumn("perc_duplicates", keys.Select(k => Percent(counts[k].Duplicates, counts[k].Issues))));
    }

    private static DataFrameColumn Column(DataFrame issues, string name, Type? type = null)
    {
        var index = issues.Columns.IndexOf(name);
        if (index < 0)
        {
            throw new ArgumentException($"The issues have no column '{name}': pass the DataFrame IssueData.Load returns.", nameof(issues));
        }
        var column = issues.Columns[index];
        if (type is not null && column.DataType != type)
        {
            throw new ArgumentException($"Column '{name}' holds {column.DataType.Name}, expected {type.Name}.", nameof(issues));
        }
        return column;
    }
}
