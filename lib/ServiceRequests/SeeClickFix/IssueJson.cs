using System.Globalization;
using System.Text.Json;
using ServiceRequests.Http;
using ServiceRequests.SeeClickFix.Model;
using ServiceRequests.IO;

namespace ServiceRequests.SeeClickFix;

/// <summary>
/// Reads a page of the SeeClickFix v2 issues list (<c>{"issues": [...], "metadata": {"pagination":
/// {...}}, "errors": {}}</c>) into <see cref="ServiceRequest"/>s. Accepts what the API is known to
/// vary: numbers sent as strings (<c>"rating": "5"</c>), <c>comment_count</c> or
/// <c>comments_count</c>, <c>url</c> or <c>api_url</c>, <c>point{coordinates}</c> when
/// <c>lat</c>/<c>lng</c> are absent, <c>priority{code}</c> and <c>canonical_issue{id}</c>. Anything
/// else that does not fit is a <see cref="ServiceRequestsException"/> naming the page, and the byte offset
/// (malformed JSON) or the issue and field (a value of the wrong kind).
/// </summary>
internal static class IssueJson
{
    /// <summary>Parses one page body.</summary>
    /// <exception cref="ServiceRequestsException">The body is not a page of issues; the message names the page and where.</exception>
    public static IssuePage ParsePage(byte[] body, Uri address, int pageNumber)
    {
        var where = $"page {pageNumber} ({SafeUri.Of(address)})";
        using (var document = JsonInput.Parse(body, e =>
            $"{where}: malformed JSON at byte {ErrorOffset(body)} of {body.Length} ({e.Message.Split(" Path:")[0].Split(" LineNumber:")[0].TrimEnd('.')}). " +
            "The response was cut or is not the API's; run the sync again (it resumes).", new JsonDocumentOptions { MaxDepth = 64 }))
        {
            try
            {
                return ReadPage(document.RootElement, address, pageNumber, where);
            }
            catch (InvalidOperationException e)
            {
                // A string that is not valid UTF-8 is found only when it is read.
                throw new ServiceRequestsException($"{where}: text that is not valid UTF-8 ({e.Message}) in a response of {body.Length} bytes.", e);
            }
        }
    }

    private static IssuePage ReadPage(JsonElement root, Uri address, int pageNumber, string where)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ServiceRequestsException($"{where}: expected a JSON object with 'issues' and 'metadata', found {root.ValueKind}.");
        }
        if (!root.TryGetProperty("issues", out var issues) || issues.ValueKind != JsonValueKind.Array)
        {
            throw new ServiceRequestsException($"{where}: the body has no 'issues' array.");
        }
        if (!root.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object
            || !metadata.TryGetProperty("pagination", out var pagination) || pagination.ValueKind != JsonValueKind.Object)
        {
            throw new ServiceRequestsException($"{where}: the body has no 'metadata.pagination' object.");
        }
        var meta = new Reader(where + ", metadata.pagination");
        var entries = meta.Long(pagination, "entries") ?? throw new ServiceRequestsException($"{where}: metadata.pagination has no 'entries'.");
        var page = (int)(meta.Long(pagination, "page") ?? pageNumber);
        var perPage = (int)(meta.Long(pagination, "per_page") ?? throw new ServiceRequestsException($"{where}: metadata.pagination has no 'per_page'."));
        var pages = (int)(meta.Long(pagination, "pages") ?? 0);
        var nextText = meta.Text(pagination, "next_page_url");
        Uri? next = null;
        if (!string.IsNullOrEmpty(nextText) && !Uri.TryCreate(address, nextText, out next))
        {
            throw new ServiceRequestsException($"{where}: metadata.pagination.next_page_url is not an address.");
        }
        if (entries < 0 || perPage < 1 || page < 1)
        {
            throw new ServiceRequestsException($"{where}: metadata.pagination is inconsistent (entries {entries}, page {page}, per_page {perPage}).");
        }

        var list = new List<ServiceRequest>(issues.GetArrayLength());
        var index = 0;
        foreach (var issue in issues.EnumerateArray())
        {
            index++;
            list.Add(ReadIssue(issue, $"{where}, issue {index}"));
        }
        return new IssuePage(address, list, entries, page, perPage, pages, next);
    }

    /// <summary>The byte offset where <paramref name="body"/> stops being valid JSON.</summary>
    internal static long ErrorOffset(byte[] body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            while (reader.Read())
            {
            }
            return reader.BytesConsumed;
        }
        catch (JsonException)
        {
            return reader.BytesConsumed;
        }
    }

    private static ServiceRequest ReadIssue(JsonElement issue, string where)
    {
        if (issue.ValueKind != JsonValueKind.Object)
        {
            throw new ServiceRequestsException($"{where}: expected an object, found {issue.ValueKind}.");
        }
        var r = new Reader(where);
        var id = r.Long(issue, "id") ?? throw new ServiceRequestsException($"{where}: no 'id'.");
        r = new Reader($"{where} (id {id.ToString(CultureInfo.InvariantCulture)})");
        var statusText = r.Text(issue, "status") ?? throw new ServiceRequestsException($"{r.Where}: no 'status'.");
        if (!Enum.TryParse<IssueStatus>(statusText, ignoreCase: true, out var status) || !Enum.IsDefined(status) || int.TryParse(statusText, out _))
        {
            throw new ServiceRequestsException($"{r.Where}, field 'status': '{Short(statusText)}' is not Open, Acknowledged, Closed or Archived.");
        }
        double? lat = r.Double(issue, "lat"), lng = r.Double(issue, "lng");
        if ((lat is null || lng is null) && r.Object(issue, "point") is { } point
            && point.TryGetProperty("coordinates", out var coordinates) && coordinates.ValueKind == JsonValueKind.Array && coordinates.GetArrayLength() >= 2)
        {
            lng = r.Number(coordinates[0], "point.coordinates[0]");
            lat = r.Number(coordinates[1], "point.coordinates[1]");
        }
        long? canonical = r.Long(issue, "canonical_issue_id");
        if (canonical is null && r.Object(issue, "canonical_issue") is { } canonicalIssue)
        {
            canonical = r.Long(canonicalIssue, "id");
        }
        int? priority = r.Int(issue, "priority_code");
        if (priority is null && r.Object(issue, "priority") is { } priorityObject)
        {
            priority = r.Int(priorityObject, "code");
        }
        RequestTypeRef? type = null;
        if (r.Object(issue, "request_type") is { } rt)
        {
            type = new RequestTypeRef(r.Long(rt, "id"), r.Text(rt, "title"), r.Text(rt, "organization"));
        }
        ActiveServiceRequest? asr = null;
        if (r.Object(issue, "active_service_request") is { } a)
        {
            var ar = new Reader(r.Where + ", active_service_request");
            asr = new ActiveServiceRequest
            {
                Status = ar.Text(a, "status"),
                SlaExpiresAt = ar.Time(a, "sla_expires_at"),
                LastAssignedAt = ar.Time(a, "last_assigned_at"),
                CreatedAt = ar.Time(a, "created_at"),
                AcceptedAt = ar.Time(a, "accepted_at"),
                StartedAt = ar.Time(a, "started_at"),
                ResumedAt = ar.Time(a, "resumed_at"),
                FinishedAt = ar.Time(a, "finished_at"),
                ClosedAt = ar.Time(a, "closed_at"),
                ReopenedAt = ar.Time(a, "reopened_at"),
                Assignee = ar.Person(a, "assignee"),
            };
        }
        var comments = new List<IssueComment>();
        if (r.Array(issue, "comments") is { } commentArray)
        {
            var n = 0;
            foreach (var c in commentArray.EnumerateArray())
            {
                n++;
                var cr = new Reader($"{r.Where}, comments[{n}]");
                if (c.ValueKind != JsonValueKind.Object)
                {
                    throw new ServiceRequestsException($"{cr.Where}: expected an object, found {c.ValueKind}.");
                }
                comments.Add(new IssueComment(cr.Long(c, "id"), cr.Text(c, "comment"), cr.Text(c, "comment_type"), cr.Time(c, "created_at"), cr.Person(c, "commenter")));
            }
        }
        var questions = new List<QuestionAnswer>();
        if (r.Array(issue, "questions") is { } questionArray)
        {
            var n = 0;
            foreach (var q in questionArray.EnumerateArray())
            {
                n++;
                var qr = new Reader($"{r.Where}, questions[{n}]");
                if (q.ValueKind != JsonValueKind.Object)
                {
                    throw new ServiceRequestsException($"{qr.Where}: expected an object, found {q.ValueKind}.");
                }
                questions.Add(new QuestionAnswer(qr.Text(q, "question"), qr.Text(q, "answer")));
            }
        }
        IssueMedia? media = null;
        if (r.Object(issue, "media") is { } m)
        {
            var mr = new Reader(r.Where + ", media");
            media = new IssueMedia(mr.Text(m, "image_full"), mr.Text(m, "image_square_100x100"), mr.Text(m, "video_url"));
        }
        return new ServiceRequest
        {
            Id = id,
            Status = status,
            Summary = r.Text(issue, "summary"),
            Description = r.Text(issue, "description"),
            Rating = r.Int(issue, "rating"),
            Lat = lat,
            Lng = lng,
            Address = r.Text(issue, "address"),
            CreatedAt = r.Time(issue, "created_at") ?? throw new ServiceRequestsException($"{r.Where}: no 'created_at'."),
            AcknowledgedAt = r.Time(issue, "acknowledged_at"),
            ClosedAt = r.Time(issue, "closed_at"),
            ReopenedAt = r.Time(issue, "reopened_at"),
            UpdatedAt = r.Time(issue, "updated_at") ?? throw new ServiceRequestsException($"{r.Where}: no 'updated_at'."),
            CommentsCount = r.Int(issue, "comments_count") ?? r.Int(issue, "comment_count"),
            VoteCount = r.Int(issue, "vote_count"),
            ReportMethod = r.Text(issue, "report_method"),
            Url = r.Text(issue, "url") ?? r.Text(issue, "api_url"),
            HtmlUrl = r.Text(issue, "html_url"),
            PriorityCode = priority,
            Assignee = r.Person(issue, "assignee"),
            ActiveServiceRequest = asr,
            Reporter = r.Person(issue, "reporter"),
            Agent = r.Person(issue, "agent"),
            RequestType = type,
            CanonicalIssueId = canonical,
            Comments = comments,
            Questions = questions,
            Media = media,
        };
    }

    private static string Short(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>Typed field access that names the page, issue and field in every error.</summary>
    private readonly struct Reader(string where)
    {
        public string Where { get; } = where;

        private static JsonElement? Get(JsonElement obj, string name) =>
            obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

        private ServiceRequestsException Wrong(string name, JsonElement value, string expected) =>
            new($"{Where}, field '{name}': expected {expected}, found {value.ValueKind}{(value.ValueKind == JsonValueKind.String ? $" '{Short(value.GetString()!)}'" : "")}.");

        public string? Text(JsonElement obj, string name) => Get(obj, name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } v => v.GetString(),
            { ValueKind: JsonValueKind.Number } v => v.GetRawText(),
            { } v => throw Wrong(name, v, "text"),
        };

        public long? Long(JsonElement obj, string name)
        {
            switch (Get(obj, name))
            {
                case null:
                    return null;
                case { ValueKind: JsonValueKind.Number } v when v.TryGetInt64(out var n):
                    return n;
                case { ValueKind: JsonValueKind.String } v when long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n):
                    return n;
                case { ValueKind: JsonValueKind.String } v when string.IsNullOrWhiteSpace(v.GetString()):
                    return null;
                case { } v:
                    throw Wrong(name, v, "a whole number");
            }
        }

        public int? Int(JsonElement obj, string name)
        {
            var value = Long(obj, name);
            if (value is < int.MinValue or > int.MaxValue)
            {
                throw new ServiceRequestsException($"{Where}, field '{name}': {value} is out of range.");
            }
            return (int?)value;
        }

        public double? Double(JsonElement obj, string name) => Get(obj, name) is { } v ? Number(v, name) : null;

        public double? Number(JsonElement value, string name)
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d))
            {
                return d;
            }
            if (value.ValueKind == JsonValueKind.String)
            {
                var text = value.GetString();
                if (string.IsNullOrWhiteSpace(text))
                {
                    return null;
                }
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out d) && double.IsFinite(d))
                {
                    return d;
                }
            }
            if (value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            throw Wrong(name, value, "a number");
        }

        public DateTimeOffset? Time(JsonElement obj, string name)
        {
            switch (Get(obj, name))
            {
                case null:
                    return null;
                case { ValueKind: JsonValueKind.String } v:
                    var text = v.GetString()!;
                    if (text.Length == 0)
                    {
                        return null;
                    }
                    try
                    {
                        return FlatIssue.ParseTimestamp(text);
                    }
                    catch (ServiceRequestsException e)
                    {
                        throw new ServiceRequestsException($"{Where}, field '{name}': {e.Message}", e);
                    }
                case { } v:
                    throw Wrong(name, v, "an ISO-8601 timestamp");
            }
        }

        public JsonElement? Object(JsonElement obj, string name) => Get(obj, name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.Object } v => v,
            { } v => throw Wrong(name, v, "an object"),
        };

        public JsonElement? Array(JsonElement obj, string name) => Get(obj, name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.Array } v => v,
            { } v => throw Wrong(name, v, "an array"),
        };

        public Person? Person(JsonElement obj, string name)
        {
            if (Object(obj, name) is not { } p)
            {
                return null;
            }
            var pr = new Reader($"{Where}, {name}");
            return new Person(pr.Long(p, "id"), pr.Text(p, "name"), pr.Text(p, "role"), pr.Text(p, "email"), pr.Text(p, "phone"));
        }
    }
}
