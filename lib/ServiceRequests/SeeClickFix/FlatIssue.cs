using System.Globalization;
using ServiceRequests.SeeClickFix.Model;

namespace ServiceRequests.SeeClickFix;

/// <summary>
/// The flattened, tabular form of a <see cref="ServiceRequest"/>: nested objects are joined with
/// <c>_</c> (<c>assignee{name}</c> becomes <c>assignee_name</c>), as the city's own exporter did.
/// Values are invariant-culture text; timestamps keep the offset the API sent
/// (<c>2017-01-01T04:01:42-05:00</c>); absent values are <see langword="null"/>.
/// </summary>
public static class FlatIssue
{
    /// <summary>
    /// The 43 columns the city's exporter kept, in its order: the default column set of every CSV
    /// this project writes, so existing users' files stay compatible.
    /// </summary>
    public static IReadOnlyList<string> DefaultColumns { get; } =
    [
        "id", "status", "summary", "description", "rating", "lat", "lng", "address",
        "created_at", "acknowledged_at", "closed_at", "reopened_at", "updated_at",
        "comments_count", "vote_count", "report_method", "url", "priority_code",
        "assignee_id", "assignee_role", "assignee_name",
        "active_service_request_status", "active_service_request_sla_expires_at",
        "active_service_request_last_assigned_at", "active_service_request_created_at",
        "active_service_request_accepted_at", "active_service_request_started_at",
        "active_service_request_resumed_at", "active_service_request_finished_at",
        "active_service_request_closed_at", "active_service_request_reopened_at",
        "active_service_request_assignee_role", "active_service_request_assignee_id",
        "active_service_request_assignee_name",
        "reporter_id", "reporter_name", "reporter_role",
        "agent_id", "agent_name", "agent_role",
        "request_type_id", "request_type_title", "canonical_issue_id",
    ];

    /// <summary>
    /// Columns beyond the city's 43 that the private table also keeps: the public web address and
    /// the latest "Issue Closed" comment (needed by the closed-beyond-jurisdiction metric).
    /// </summary>
    public static IReadOnlyList<string> ExtraColumns { get; } = ["html_url", "closing_comment"];

    /// <summary>The private table's columns: <see cref="DefaultColumns"/> then <see cref="ExtraColumns"/>.</summary>
    public static IReadOnlyList<string> PrivateColumns { get; } = [.. DefaultColumns, .. ExtraColumns];

    /// <summary>The ISO-8601 format used for timestamps in flat files (offset kept).</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:sszzz";

    /// <summary>Flattens <paramref name="issue"/> into the values of <paramref name="columns"/> (default: <see cref="DefaultColumns"/>).</summary>
    /// <exception cref="ArgumentException">A column name is not a known flat column.</exception>
    public static string?[] ToValues(ServiceRequest issue, IReadOnlyList<string>? columns = null)
    {
        ArgumentNullException.ThrowIfNull(issue);
        columns ??= DefaultColumns;
        var values = new string?[columns.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = GetValue(issue, columns[i]);
        }
        return values;
    }

    /// <summary>The flat value of one column of <paramref name="issue"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="column"/> is not a known flat column.</exception>
    public static string? GetValue(ServiceRequest issue, string column)
    {
        ArgumentNullException.ThrowIfNull(issue);
        var asr = issue.ActiveServiceRequest;
        return column switch
        {
            "id" => Format(issue.Id),
            "status" => issue.Status.ToString(),
            "summary" => issue.Summary,
            "description" => issue.Description,
            "rating" => Format(issue.Rating),
            "lat" => Format(issue.Lat),
            "lng" => Format(issue.Lng),
            "address" => issue.Address,
            "created_at" => Format(issue.CreatedAt),
            "acknowledged_at" => Format(issue.AcknowledgedAt),
            "closed_at" => Format(issue.ClosedAt),
            "reopened_at" => Format(issue.ReopenedAt),
            "updated_at" => Format(issue.UpdatedAt),
            "comments_count" => Format(issue.CommentsCount),
            "vote_count" => Format(issue.VoteCount),
            "report_method" => issue.ReportMethod,
            "url" => issue.Url,
            "priority_code" => Format(issue.PriorityCode),
            "assignee_id" => Format(issue.Assignee?.Id),
            "assignee_role" => issue.Assignee?.Role,
            "assignee_name" => issue.Assignee?.Name,
            "active_service_request_status" => asr?.Status,
            "active_service_request_sla_expires_at" => Format(asr?.SlaExpiresAt),
            "active_service_request_last_assigned_at" => Format(asr?.LastAssignedAt),
            "active_service_request_created_at" => Format(asr?.CreatedAt),
            "active_service_request_accepted_at" => Format(asr?.AcceptedAt),
            "active_service_request_started_at" => Format(asr?.StartedAt),
            "active_service_request_resumed_at" => Format(asr?.ResumedAt),
            "active_service_request_finished_at" => Format(asr?.FinishedAt),
            "active_service_request_closed_at" => Format(asr?.ClosedAt),
            "active_service_request_reopened_at" => Format(asr?.ReopenedAt),
            "active_service_request_assignee_role" => asr?.Assignee?.Role,
            "active_service_request_assignee_id" => Format(asr?.Assignee?.Id),
            "active_service_request_assignee_name" => asr?.Assignee?.Name,
            "reporter_id" => Format(issue.Reporter?.Id),
            "reporter_name" => issue.Reporter?.Name,
            "reporter_role" => issue.Reporter?.Role,
            "agent_id" => Format(issue.Agent?.Id),
            "agent_name" => issue.Agent?.Name,
            "agent_role" => issue.Agent?.Role,
            "request_type_id" => Format(issue.RequestType?.Id),
            "request_type_title" => issue.RequestType?.Title,
            "canonical_issue_id" => Format(issue.CanonicalIssueId),
            "html_url" => issue.HtmlUrl,
            "closing_comment" => issue.ClosingComment,
            _ => throw new ArgumentException($"'{column}' is not a flat issue column; known columns: {string.Join(", ", PrivateColumns)}.", nameof(column)),
        };
    }

    /// <summary>
    /// Rebuilds a <see cref="ServiceRequest"/> from flat values (the inverse of <see cref="ToValues"/>).
    /// Columns not present stay unset; comments, questions and media are not part of the flat form,
    /// except the closing comment, which comes back as one "Issue Closed" comment.
    /// </summary>
    /// <param name="columns">Column names, as in a CSV header.</param>
    /// <param name="values">Values, same order; empty strings count as absent.</param>
    /// <param name="rowLabel">How to name the row in error messages, e.g. <c>"issues.csv row 12"</c>.</param>
    /// <exception cref="FormatException">A value does not parse; the message names the row and the column.</exception>
    public static ServiceRequest FromValues(IReadOnlyList<string> columns, IReadOnlyList<string?> values, string rowLabel = "row")
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(values);
        if (columns.Count != values.Count)
        {
            throw new FormatException($"{rowLabel}: {values.Count} values for {columns.Count} columns.");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            if (!string.IsNullOrEmpty(values[i]))
            {
                map[columns[i]] = values[i]!;
            }
        }

        string? Text(string c) => map.GetValueOrDefault(c);
        long? Long(string c) => map.TryGetValue(c, out var v) ? ParseOr(c, v, s => long.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture)) : null;
        int? Int(string c) => map.TryGetValue(c, out var v) ? ParseOr(c, v, s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture)) : null;
        double? Double(string c) => map.TryGetValue(c, out var v) ? ParseOr(c, v, s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture)) : null;
        DateTimeOffset? Time(string c) => map.TryGetValue(c, out var v) ? ParseOr(c, v, ParseTimestamp) : null;
        T ParseOr<T>(string column, string value, Func<string, T> parse)
        {
            try
            {
                return parse(value);
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                throw new FormatException($"{rowLabel}, column '{column}': cannot read '{Truncate(value)}' ({e.Message})", e);
            }
        }

        Person? PersonOf(string prefix)
        {
            var id = Long(prefix + "_id");
            var name = Text(prefix + "_name");
            var role = Text(prefix + "_role");
            return id is null && name is null && role is null ? null : new Person(id, name, role);
        }

        if (!map.TryGetValue("id", out var idText))
        {
            throw new FormatException($"{rowLabel}: column 'id' is missing or empty.");
        }
        var statusText = Text("status") ?? throw new FormatException($"{rowLabel}, column 'status': missing.");
        if (!Enum.TryParse<IssueStatus>(statusText, ignoreCase: true, out var status) || !Enum.IsDefined(status))
        {
            throw new FormatException($"{rowLabel}, column 'status': '{Truncate(statusText)}' is not one of Open, Acknowledged, Closed, Archived.");
        }

        var asrAssignee = PersonOf("active_service_request_assignee");
        ActiveServiceRequest? asr = new()
        {
            Status = Text("active_service_request_status"),
            SlaExpiresAt = Time("active_service_request_sla_expires_at"),
            LastAssignedAt = Time("active_service_request_last_assigned_at"),
            CreatedAt = Time("active_service_request_created_at"),
            AcceptedAt = Time("active_service_request_accepted_at"),
            StartedAt = Time("active_service_request_started_at"),
            ResumedAt = Time("active_service_request_resumed_at"),
            FinishedAt = Time("active_service_request_finished_at"),
            ClosedAt = Time("active_service_request_closed_at"),
            ReopenedAt = Time("active_service_request_reopened_at"),
            Assignee = asrAssignee,
        };
        if (asr == new ActiveServiceRequest())
        {
            asr = null;
        }

        var typeId = Long("request_type_id");
        var typeTitle = Text("request_type_title");
        var closing = Text("closing_comment");
        var closedAt = Time("closed_at");

        return new ServiceRequest
        {
            Id = ParseOr("id", idText, s => long.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture)),
            Status = status,
            Summary = Text("summary"),
            Description = Text("description"),
            Rating = Int("rating"),
            Lat = Double("lat"),
            Lng = Double("lng"),
            Address = Text("address"),
            CreatedAt = Time("created_at") ?? throw new FormatException($"{rowLabel}, column 'created_at': missing."),
            AcknowledgedAt = Time("acknowledged_at"),
            ClosedAt = closedAt,
            ReopenedAt = Time("reopened_at"),
            UpdatedAt = Time("updated_at") ?? throw new FormatException($"{rowLabel}, column 'updated_at': missing."),
            CommentsCount = Int("comments_count"),
            VoteCount = Int("vote_count"),
            ReportMethod = Text("report_method"),
            Url = Text("url"),
            HtmlUrl = Text("html_url"),
            PriorityCode = Int("priority_code"),
            Assignee = PersonOf("assignee"),
            ActiveServiceRequest = asr,
            Reporter = PersonOf("reporter"),
            Agent = PersonOf("agent"),
            RequestType = typeId is null && typeTitle is null ? null : new RequestTypeRef(typeId, typeTitle),
            CanonicalIssueId = Long("canonical_issue_id"),
            Comments = closing is null ? [] : [new IssueComment(null, closing, IssueComment.IssueClosedType, closedAt)],
        };
    }

    /// <summary>Parses an ISO-8601 timestamp with offset (or <c>Z</c>), as SeeClickFix sends it.</summary>
    /// <exception cref="FormatException">The text is not an ISO-8601 timestamp with an offset.</exception>
    public static DateTimeOffset ParseTimestamp(string text)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value)
            && (text.EndsWith('Z') || text.EndsWith('z') || HasOffset(text)))
        {
            return value;
        }
        throw new FormatException($"'{Truncate(text)}' is not an ISO-8601 timestamp with an offset (e.g. 2017-01-01T04:01:42-05:00).");
    }

    private static bool HasOffset(string text)
    {
        // An offset is a '+' or '-' after the time part: 2017-01-01T04:01:42-05:00.
        var t = text.IndexOf('T');
        return t > 0 && text.AsSpan(t).IndexOfAny('+', '-') > 0;
    }

    private static string? Format(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? Format(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? Format(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);

    private static string? Format(DateTimeOffset? value) => value is { } v ? FormatTimestamp(v) : null;

    /// <summary>
    /// <paramref name="value"/> in <see cref="TimestampFormat"/>, written digit by digit: the same
    /// text as <c>ToString(TimestampFormat, InvariantCulture)</c> at a fraction of the cost (a
    /// flattened issue has up to 15 timestamps).
    /// </summary>
    internal static string FormatTimestamp(DateTimeOffset value) =>
        string.Create(25, value, static (span, v) =>
        {
            var d = v.DateTime;
            static void Two(Span<char> s, int at, int n)
            {
                s[at] = (char)('0' + n / 10);
                s[at + 1] = (char)('0' + n % 10);
            }
            Two(span, 0, d.Year / 100);
            Two(span, 2, d.Year % 100);
            span[4] = '-';
            Two(span, 5, d.Month);
            span[7] = '-';
            Two(span, 8, d.Day);
            span[10] = 'T';
            Two(span, 11, d.Hour);
            span[13] = ':';
            Two(span, 14, d.Minute);
            span[16] = ':';
            Two(span, 17, d.Second);
            var offset = v.Offset;
            span[19] = offset < TimeSpan.Zero ? '-' : '+';
            var minutes = Math.Abs((int)offset.TotalMinutes);
            Two(span, 20, minutes / 60);
            span[22] = ':';
            Two(span, 23, minutes % 60);
        });

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
