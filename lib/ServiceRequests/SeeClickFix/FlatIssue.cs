using System.Globalization;
using ServiceRequests.SeeClickFix.Model;

namespace ServiceRequests.SeeClickFix;

/// <summary>
/// The flattened, tabular form of a <see cref="ServiceRequest"/>: nested objects are joined with
/// <c>_</c> (<c>assignee{name}</c> becomes <c>assignee_name</c>), as the city's own exporter did.
/// Values are invariant-culture text; timestamps keep the offset the API sent
/// (<c>2017-01-01T04:01:42-05:00</c>); absent values are <see langword="null"/>.
/// </summary>
internal static class FlatIssue
{
    /// <summary>
    /// Every flat column, in order: the city's 43, then the two the private table adds. Each names
    /// its column once, with how to read its value from an issue and where a parsed value goes.
    /// </summary>
    private static readonly Column[] Table =
    [
        new WholeColumn("id", i => i.Id, (d, v) => d.Id = v),
        new StatusColumn("status"),
        new TextColumn("summary", i => i.Summary, (d, v) => d.Summary = v),
        new TextColumn("description", i => i.Description, (d, v) => d.Description = v),
        new IntColumn("rating", i => i.Rating, (d, v) => d.Rating = v),
        new NumberColumn("lat", i => i.Lat, (d, v) => d.Lat = v),
        new NumberColumn("lng", i => i.Lng, (d, v) => d.Lng = v),
        new TextColumn("address", i => i.Address, (d, v) => d.Address = v),
        new TimeColumn("created_at", i => i.CreatedAt, (d, v) => d.CreatedAt = v),
        new TimeColumn("acknowledged_at", i => i.AcknowledgedAt, (d, v) => d.AcknowledgedAt = v),
        new TimeColumn("closed_at", i => i.ClosedAt, (d, v) => d.ClosedAt = v),
        new TimeColumn("reopened_at", i => i.ReopenedAt, (d, v) => d.ReopenedAt = v),
        new TimeColumn("updated_at", i => i.UpdatedAt, (d, v) => d.UpdatedAt = v),
        new IntColumn("comments_count", i => i.CommentsCount, (d, v) => d.CommentsCount = v),
        new IntColumn("vote_count", i => i.VoteCount, (d, v) => d.VoteCount = v),
        new TextColumn("report_method", i => i.ReportMethod, (d, v) => d.ReportMethod = v),
        new TextColumn("url", i => i.Url, (d, v) => d.Url = v),
        new IntColumn("priority_code", i => i.PriorityCode, (d, v) => d.PriorityCode = v),
        new WholeColumn("assignee_id", i => i.Assignee?.Id, (d, v) => d.Assignee.Id = v),
        new TextColumn("assignee_role", i => i.Assignee?.Role, (d, v) => d.Assignee.Role = v),
        new TextColumn("assignee_name", i => i.Assignee?.Name, (d, v) => d.Assignee.Name = v),
        new TextColumn("active_service_request_status", i => i.ActiveServiceRequest?.Status, (d, v) => d.Asr = d.Asr with { Status = v }),
        new TimeColumn("active_service_request_sla_expires_at", i => i.ActiveServiceRequest?.SlaExpiresAt, (d, v) => d.Asr = d.Asr with { SlaExpiresAt = v }),
        new TimeColumn("active_service_request_last_assigned_at", i => i.ActiveServiceRequest?.LastAssignedAt, (d, v) => d.Asr = d.Asr with { LastAssignedAt = v }),
        new TimeColumn("active_service_request_created_at", i => i.ActiveServiceRequest?.CreatedAt, (d, v) => d.Asr = d.Asr with { CreatedAt = v }),
        new TimeColumn("active_service_request_accepted_at", i => i.ActiveServiceRequest?.AcceptedAt, (d, v) => d.Asr = d.Asr with { AcceptedAt = v }),
        new TimeColumn("active_service_request_started_at", i => i.ActiveServiceRequest?.StartedAt, (d, v) => d.Asr = d.Asr with { StartedAt = v }),
        new TimeColumn("active_service_request_resumed_at", i => i.ActiveServiceRequest?.ResumedAt, (d, v) => d.Asr = d.Asr with { ResumedAt = v }),
        new TimeColumn("active_service_request_finished_at", i => i.ActiveServiceRequest?.FinishedAt, (d, v) => d.Asr = d.Asr with { FinishedAt = v }),
        new TimeColumn("active_service_request_closed_at", i => i.ActiveServiceRequest?.ClosedAt, (d, v) => d.Asr = d.Asr with { ClosedAt = v }),
        new TimeColumn("active_service_request_reopened_at", i => i.ActiveServiceRequest?.ReopenedAt, (d, v) => d.Asr = d.Asr with { ReopenedAt = v }),
        new TextColumn("active_service_request_assignee_role", i => i.ActiveServiceRequest?.Assignee?.Role, (d, v) => d.AsrAssignee.Role = v),
        new WholeColumn("active_service_request_assignee_id", i => i.ActiveServiceRequest?.Assignee?.Id, (d, v) => d.AsrAssignee.Id = v),
        new TextColumn("active_service_request_assignee_name", i => i.ActiveServiceRequest?.Assignee?.Name, (d, v) => d.AsrAssignee.Name = v),
        new WholeColumn("reporter_id", i => i.Reporter?.Id, (d, v) => d.Reporter.Id = v),
        new TextColumn("reporter_name", i => i.Reporter?.Name, (d, v) => d.Reporter.Name = v),
        new TextColumn("reporter_role", i => i.Reporter?.Role, (d, v) => d.Reporter.Role = v),
        new WholeColumn("agent_id", i => i.Agent?.Id, (d, v) => d.Agent.Id = v),
        new TextColumn("agent_name", i => i.Agent?.Name, (d, v) => d.Agent.Name = v),
        new TextColumn("agent_role", i => i.Agent?.Role, (d, v) => d.Agent.Role = v),
        new WholeColumn("request_type_id", i => i.RequestType?.Id, (d, v) => d.RequestTypeId = v),
        new TextColumn("request_type_title", i => i.RequestType?.Title, (d, v) => d.RequestTypeTitle = v),
        new WholeColumn("canonical_issue_id", i => i.CanonicalIssueId, (d, v) => d.CanonicalIssueId = v),
        new TextColumn("html_url", i => i.HtmlUrl, (d, v) => d.HtmlUrl = v),
        new TextColumn("closing_comment", i => i.ClosingComment, (d, v) => d.ClosingComment = v),
    ];

    /// <summary>How many of <see cref="Table"/>'s columns are the city's.</summary>
    private const int CityColumns = 43;

    private static readonly Dictionary<string, Column> ByName = Table.ToDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>
    /// The 43 columns the city's exporter kept, in its order: the default column set of every CSV
    /// this project writes, so existing users' files stay compatible.
    /// </summary>
    public static IReadOnlyList<string> DefaultColumns { get; } = [.. Table[..CityColumns].Select(c => c.Name)];

    /// <summary>
    /// Columns beyond the city's 43 that the private table also keeps: the public web address and
    /// the latest "Issue Closed" comment (needed by the closed-beyond-jurisdiction metric).
    /// </summary>
    public static IReadOnlyList<string> ExtraColumns { get; } = [.. Table[CityColumns..].Select(c => c.Name)];

    /// <summary>The private table's columns: <see cref="DefaultColumns"/> then <see cref="ExtraColumns"/>.</summary>
    public static IReadOnlyList<string> PrivateColumns { get; } = [.. Table.Select(c => c.Name)];

    /// <summary>The ISO-8601 format used for timestamps in flat files (offset kept).</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:sszzz";

    /// <summary>Which of <paramref name="columns"/> hold free text (the others hold numbers or timestamps).</summary>
    /// <exception cref="ArgumentException">A column name is not a known flat column.</exception>
    public static bool[] IsText(IReadOnlyList<string> columns) => [.. Resolve(columns).Select(c => c is TextColumn or StatusColumn)];

    /// <summary>Flattens <paramref name="issue"/> into the values of <paramref name="columns"/> (default: <see cref="DefaultColumns"/>).</summary>
    /// <exception cref="ArgumentException">A column name is not a known flat column.</exception>
    public static string?[] ToValues(ServiceRequest issue, IReadOnlyList<string>? columns = null)
    {
        ArgumentNullException.ThrowIfNull(issue);
        var resolved = Resolve(columns ?? DefaultColumns);
        var values = new string?[resolved.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = resolved[i].Format(issue);
        }
        return values;
    }

    /// <summary>The flat value of one column of <paramref name="issue"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="column"/> is not a known flat column.</exception>
    public static string? GetValue(ServiceRequest issue, string column)
    {
        ArgumentNullException.ThrowIfNull(issue);
        return Find(column).Format(issue);
    }

    /// <summary>
    /// Rebuilds a <see cref="ServiceRequest"/> from flat values (the inverse of <see cref="ToValues"/>).
    /// Columns not present stay unset, and names that are not flat columns are ignored; comments,
    /// questions and media are not part of the flat form, except the closing comment, which comes
    /// back as one "Issue Closed" comment.
    /// </summary>
    /// <param name="columns">Column names, as in a CSV header.</param>
    /// <param name="values">Values, same order; empty strings count as absent.</param>
    /// <param name="rowLabel">How to name the row in error messages, e.g. <c>"issues.csv row 12"</c>.</param>
    /// <exception cref="ServiceRequestsException">A value does not parse, or id, status, created_at or updated_at is missing; the message names the row and the column.</exception>
    public static ServiceRequest FromValues(IReadOnlyList<string> columns, IReadOnlyList<string?> values, string rowLabel = "row")
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(values);
        if (columns.Count != values.Count)
        {
            throw new ServiceRequestsException($"{rowLabel}: {values.Count} values for {columns.Count} columns.");
        }
        var draft = new Draft();
        for (var i = 0; i < columns.Count; i++)
        {
            if (!string.IsNullOrEmpty(values[i]) && ByName.TryGetValue(columns[i], out var column))
            {
                column.Parse(draft, values[i]!, rowLabel);
            }
        }
        return draft.ToIssue(rowLabel);
    }

    private static Column Find(string column) => ByName.TryGetValue(column, out var found)
        ? found
        : throw new ArgumentException($"'{column}' is not a flat issue column; known columns: {string.Join(", ", PrivateColumns)}.", nameof(column));

    /// <summary>The columns named, in order (the whole table without a lookup when it is asked for whole).</summary>
    private static Column[] Resolve(IReadOnlyList<string> columns) =>
        ReferenceEquals(columns, PrivateColumns) ? Table
        : ReferenceEquals(columns, DefaultColumns) ? Table[..CityColumns]
        : [.. columns.Select(Find)];

    /// <summary>Parses an ISO-8601 timestamp with offset (or <c>Z</c>), as SeeClickFix sends it.</summary>
    /// <exception cref="ServiceRequestsException">The text is not an ISO-8601 timestamp with an offset.</exception>
    public static DateTimeOffset ParseTimestamp(string text)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value)
            && (text.EndsWith('Z') || text.EndsWith('z') || HasOffset(text)))
        {
            return value;
        }
        throw new ServiceRequestsException($"'{Truncate(text)}' is not an ISO-8601 timestamp with an offset (e.g. 2017-01-01T04:01:42-05:00).");
    }

    private static bool HasOffset(string text)
    {
        // An offset is a '+' or '-' after the time part: 2017-01-01T04:01:42-05:00.
        var t = text.IndexOf('T');
        return t > 0 && text.AsSpan(t).IndexOfAny('+', '-') > 0;
    }

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

    /// <summary>A flat column: its name, its text from an issue, and where its parsed value goes.</summary>
    private abstract class Column(string name)
    {
        public string Name { get; } = name;

        /// <summary>The column's invariant-culture text for <paramref name="issue"/>, or null when absent.</summary>
        public abstract string? Format(ServiceRequest issue);

        /// <summary>Parses <paramref name="text"/> (not empty) into <paramref name="draft"/>.</summary>
        /// <exception cref="ServiceRequestsException">The text does not parse; the message names the row and the column.</exception>
        public abstract void Parse(Draft draft, string text, string rowLabel);

        protected T Read<T>(string text, string rowLabel, Func<string, T> parse)
        {
            try
            {
                return parse(text);
            }
            catch (Exception e) when (e is ServiceRequestsException or FormatException or OverflowException)
            {
                throw new ServiceRequestsException($"{rowLabel}, column '{Name}': cannot read '{Truncate(text)}' ({e.Message})", e);
            }
        }
    }

    private sealed class TextColumn(string name, Func<ServiceRequest, string?> get, Action<Draft, string> set) : Column(name)
    {
        public override string? Format(ServiceRequest issue) => get(issue);

        public override void Parse(Draft draft, string text, string rowLabel) => set(draft, text);
    }

    private sealed class WholeColumn(string name, Func<ServiceRequest, long?> get, Action<Draft, long> set) : Column(name)
    {
        public override string? Format(ServiceRequest issue) => get(issue)?.ToString(CultureInfo.InvariantCulture);

        public override void Parse(Draft draft, string text, string rowLabel) =>
            set(draft, Read(text, rowLabel, s => long.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture)));
    }

    private sealed class IntColumn(string name, Func<ServiceRequest, int?> get, Action<Draft, int> set) : Column(name)
    {
        public override string? Format(ServiceRequest issue) => get(issue)?.ToString(CultureInfo.InvariantCulture);

        public override void Parse(Draft draft, string text, string rowLabel) =>
            set(draft, Read(text, rowLabel, s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture)));
    }

    private sealed class NumberColumn(string name, Func<ServiceRequest, double?> get, Action<Draft, double> set) : Column(name)
    {
        public override string? Format(ServiceRequest issue) => get(issue)?.ToString("R", CultureInfo.InvariantCulture);

        public override void Parse(Draft draft, string text, string rowLabel) =>
            set(draft, Read(text, rowLabel, s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture)));
    }

    private sealed class TimeColumn(string name, Func<ServiceRequest, DateTimeOffset?> get, Action<Draft, DateTimeOffset> set) : Column(name)
    {
        public override string? Format(ServiceRequest issue) => get(issue) is { } value ? FormatTimestamp(value) : null;

        public override void Parse(Draft draft, string text, string rowLabel) => set(draft, Read(text, rowLabel, ParseTimestamp));
    }

    /// <summary>The status: its name, read back case-insensitively and only as one of the four.</summary>
    private sealed class StatusColumn(string name) : Column(name)
    {
        public override string? Format(ServiceRequest issue) => issue.Status.ToString();

        public override void Parse(Draft draft, string text, string rowLabel) =>
            draft.Status = Enum.TryParse<IssueStatus>(text, ignoreCase: true, out var status) && Enum.IsDefined(status)
                ? status
                : throw new ServiceRequestsException($"{rowLabel}, column '{Name}': '{Truncate(text)}' is not one of Open, Acknowledged, Closed, Archived.");
    }

    /// <summary>A person's flat values (id, name, role) on their way back; null when none is set.</summary>
    private sealed class PersonDraft
    {
        public long? Id { get; set; }
        public string? Name { get; set; }
        public string? Role { get; set; }

        public Person? ToPerson() => Id is null && Name is null && Role is null ? null : new Person(Id, Name, Role);
    }

    /// <summary>The values of one flat row on their way back to a <see cref="ServiceRequest"/>.</summary>
    private sealed class Draft
    {
        public long? Id { get; set; }
        public IssueStatus? Status { get; set; }
        public string? Summary { get; set; }
        public string? Description { get; set; }
        public int? Rating { get; set; }
        public double? Lat { get; set; }
        public double? Lng { get; set; }
        public string? Address { get; set; }
        public DateTimeOffset? CreatedAt { get; set; }
        public DateTimeOffset? AcknowledgedAt { get; set; }
        public DateTimeOffset? ClosedAt { get; set; }
        public DateTimeOffset? ReopenedAt { get; set; }
        public DateTimeOffset? UpdatedAt { get; set; }
        public int? CommentsCount { get; set; }
        public int? VoteCount { get; set; }
        public string? ReportMethod { get; set; }
        public string? Url { get; set; }
        public string? HtmlUrl { get; set; }
        public int? PriorityCode { get; set; }
        public PersonDraft Assignee { get; } = new();
        /// <summary>The work order's values (rarely set: only the organization endpoint has them).</summary>
        public ActiveServiceRequest Asr { get; set; } = new();
        public PersonDraft AsrAssignee { get; } = new();
        public PersonDraft Reporter { get; } = new();
        public PersonDraft Agent { get; } = new();
        public long? RequestTypeId { get; set; }
        public string? RequestTypeTitle { get; set; }
        public long? CanonicalIssueId { get; set; }
        public string? ClosingComment { get; set; }

        public ServiceRequest ToIssue(string rowLabel) =>
            new()
            {
                Id = Id ?? throw new ServiceRequestsException($"{rowLabel}: column 'id' is missing or empty."),
                Status = Status ?? throw new ServiceRequestsException($"{rowLabel}, column 'status': missing."),
                Summary = Summary,
                Description = Description,
                Rating = Rating,
                Lat = Lat,
                Lng = Lng,
                Address = Address,
                CreatedAt = CreatedAt ?? throw new ServiceRequestsException($"{rowLabel}, column 'created_at': missing."),
                AcknowledgedAt = AcknowledgedAt,
                ClosedAt = ClosedAt,
                ReopenedAt = ReopenedAt,
                UpdatedAt = UpdatedAt ?? throw new ServiceRequestsException($"{rowLabel}, column 'updated_at': missing."),
                CommentsCount = CommentsCount,
                VoteCount = VoteCount,
                ReportMethod = ReportMethod,
                Url = Url,
                HtmlUrl = HtmlUrl,
                PriorityCode = PriorityCode,
                Assignee = Assignee.ToPerson(),
                ActiveServiceRequest = Asr with { Assignee = AsrAssignee.ToPerson() } is var asr && asr != new ActiveServiceRequest() ? asr : null,
                Reporter = Reporter.ToPerson(),
                Agent = Agent.ToPerson(),
                RequestType = RequestTypeId is null && RequestTypeTitle is null ? null : new RequestTypeRef(RequestTypeId, RequestTypeTitle),
                CanonicalIssueId = CanonicalIssueId,
                Comments = ClosingComment is null ? [] : [new IssueComment(null, ClosingComment, IssueComment.IssueClosedType, ClosedAt)],
            };
    }
}
