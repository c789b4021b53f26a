using System.Globalization;
using Microsoft.Data.Analysis;
using ServiceRequests.Frames;
using ServiceRequests.Portal;

namespace ServiceRequests.Tests.Metrics;

/// <summary>One hand-made issue; timestamps are floating Detroit wall-clock texts "yyyy-MM-dd HH:mm[:ss]".</summary>
internal sealed record Issue(string? Type, string? Created, string? Closed = null)
{
    public string? Reopened { get; init; }
    public string? Acknowledged { get; init; }
    public long? Canonical { get; init; }
    public string? Status { get; init; }
    public int? District { get; init; }
    public string? Neighborhood { get; init; }
}

/// <summary>Builds small portal-shaped frames (<see cref="PortalSchema.FrameColumns"/>) for the metric tests.</summary>
internal static class Issues
{
    public static DataFrame Frame(params Issue[] issues)
    {
        var builder = new FrameBuilder(PortalSchema.FrameColumns);
        var id = 1;
        foreach (var issue in issues)
        {
            builder.AddRow();
            builder.SetText(builder.IndexOf(PortalSchema.Id), (id++).ToString(CultureInfo.InvariantCulture));
            builder.SetText(builder.IndexOf(PortalSchema.Status), issue.Status ?? (issue.Closed is null ? "Open" : "Closed"));
            builder.SetText(builder.IndexOf(PortalSchema.RequestTypeTitle), issue.Type);
            DateTime? latest = null;
            void Time(string column, string? text)
            {
                if (text is not null)
                {
                    var value = At(text);
                    builder.SetTimestamp(builder.IndexOf(column), value);
                    latest = latest is { } l && l > value ? l : value;
                }
            }
            Time(PortalSchema.CreatedAt, issue.Created);
            Time(PortalSchema.AcknowledgedAt, issue.Acknowledged);
            Time(PortalSchema.ClosedAt, issue.Closed);
            Time(PortalSchema.ReopenedAt, issue.Reopened);
            if (latest is { } updated)
            {
                builder.SetTimestamp(builder.IndexOf(PortalSchema.UpdatedAt), updated);
            }
            if (issue.Canonical is { } canonical)
            {
                builder.SetInteger(builder.IndexOf(PortalSchema.CanonicalIssueId), canonical);
            }
            if (issue.District is { } district)
            {
                builder.SetInteger(builder.IndexOf(PortalSchema.CouncilDistrict), district);
            }
            builder.SetText(builder.IndexOf(PortalSchema.Neighborhood), issue.Neighborhood);
        }
        return builder.ToDataFrame();
    }

    public static DateTime At(string text) =>
        DateTime.ParseExact(text, ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None);

    /// <summary>The values of a column as objects, for comparing whole columns.</summary>
    public static object?[] Values(DataFrame frame, string column) => [.. frame[column].Cast<object?>()];

    /// <summary>The row whose first column is <paramref name="key"/> (and whose metric and test are these, when given).</summary>
    public static DataFrameRow Row(DataFrame frame, string key, string? metric = null, string? test = null)
    {
        for (long i = 0; i < frame.Rows.Count; i++)
        {
            if ((string?)frame.Columns[0][i] == key && (metric is null || (string?)frame["metric"][i] == metric) && (test is null || (string?)frame["test"][i] == test))
            {
                return frame.Rows[i];
            }
        }
        throw new Xunit.Sdk.XunitException($"No row '{key}' {metric} {test}");
    }

    /// <summary>The value of <paramref name="column"/> in the row whose first column is <paramref name="key"/>.</summary>
    public static object? Cell(DataFrame frame, string key, string column, string? metric = null) =>
        Row(frame, key, metric)[frame.Columns.IndexOf(column)];
}
