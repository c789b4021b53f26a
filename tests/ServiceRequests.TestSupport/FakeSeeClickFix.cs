using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ServiceRequests.Sample;
using ServiceRequests.SeeClickFix.Model;

namespace ServiceRequests.TestSupport;

/// <summary>
/// SeeClickFix v2 on 127.0.0.1 over an in-memory set of issues: <c>GET /api/v2/issues?place_url=detroit</c>
/// and <c>GET /api/v2/organizations/507/issues</c> (credentials required), with the documented
/// filters (<c>status</c>, default open,acknowledged,closed; <c>sort</c> created_at|updated_at,
/// default created_at; <c>sort_direction</c>, default DESC; <c>after</c>/<c>before</c> on
/// created_at and <c>updated_at_after</c>/<c>updated_at_before</c> on updated_at, strictly, in
/// <c>YYYY-MM-DDTHH:MM:SSZ</c>; <c>request_types</c>; <c>details</c>), paging (<c>page</c>,
/// <c>per_page</c> default 20, at most 100, 20 with details) and the response
/// <c>{"issues", "metadata": {"pagination"}, "errors"}</c>. It requires a User-Agent (403
/// otherwise), answers 401 to wrong credentials and 404 to unknown places or organizations.
/// The public endpoint leaves out the organization's fields. Faults through <see cref="Intercept"/>
/// and <see cref="BeforeGet"/>.
/// </summary>
internal sealed class FakeSeeClickFix : IAsyncDisposable
{
    public const string Place = "detroit";
    public const long Organization = 507;
    public const string Token = "scf-T0ken-never-printed-9f8e7d";
    public const string User = "data.engineer@detroitmi.example";
    public const string Password = "scf-Pa55-never-printed-1a2b3c";

    private readonly object _lock = new();
    private readonly Dictionary<long, ServiceRequest> _issues = [];
    private LoopbackServer? _server;
    private int _requests;
    private DateTimeOffset _clock;

    private FakeSeeClickFix(IEnumerable<ServiceRequest> issues)
    {
        foreach (var issue in issues)
        {
            _issues[issue.Id] = issue;
        }
        var latest = _issues.Count == 0 ? new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) : _issues.Values.Max(i => i.UpdatedAt);
        _clock = new DateTimeOffset(latest.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
    }

    public Uri BaseAddress => _server!.BaseAddress;

    /// <summary>Runs before a request is served, with its number (from 1); returns true when it answered it itself.</summary>
    public Func<HttpContext, int, Task<bool>>? Intercept { get; set; }

    /// <summary>Called before each list request is answered, with its number: lets a test change issues mid-paging.</summary>
    public Action<int>? BeforeGet { get; set; }

    /// <summary>Every request: decoded path and query, Authorization and User-Agent as received.</summary>
    public ConcurrentQueue<(string Target, string? Authorization, string? UserAgent)> Requests { get; } = new();

    public int RequestCount => Volatile.Read(ref _requests);

    /// <summary>Generated issues (the sample generator's, with reporters, comments and answers).</summary>
    public static IReadOnlyList<ServiceRequest> Generate(int count, int seed = 5) =>
        [.. SampleGenerator.Generate(new SampleOptions { Issues = count, Seed = seed, From = new DateOnly(2026, 1, 4), To = new DateOnly(2026, 10, 31) }).Select(i => i.Request)];

    public static async Task<FakeSeeClickFix> StartAsync(IEnumerable<ServiceRequest> issues)
    {
        var fake = new FakeSeeClickFix(issues);
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync);
        return fake;
    }

    /// <summary>Changes an issue as the city would: a new updated_at, one minute after the last change.</summary>
    public ServiceRequest Change(long id, Func<ServiceRequest, ServiceRequest> change)
    {
        lock (_lock)
        {
            _clock = _clock.AddMinutes(1);
            var changed = change(_issues[id]) with { UpdatedAt = _clock };
            _issues[id] = changed;
            return changed;
        }
    }

    /// <summary>Serves <paramref name="issue"/> exactly as given, its <c>updated_at</c> included (the API's own mistakes, such as a date in 2099).</summary>
    public void Put(ServiceRequest issue)
    {
        lock (_lock)
        {
            _issues[issue.Id] = issue;
        }
    }

    /// <summary>The server's clock: the <c>updated_at</c> of its latest change.</summary>
    public DateTimeOffset Clock
    {
        get
        {
            lock (_lock)
            {
                return _clock;
            }
        }
    }

    public void Add(ServiceRequest issue)
    {
        lock (_lock)
        {
            _clock = _clock.AddMinutes(1);
            _issues[issue.Id] = issue with { CreatedAt = _clock, UpdatedAt = _clock };
        }
    }

    public void Delete(long id)
    {
        lock (_lock)
        {
            _issues.Remove(id);
        }
    }

    /// <summary>The issues as the endpoint serves them, by id.</summary>
    public SortedDictionary<long, ServiceRequest> Truth(bool organization = false, bool details = false)
    {
        lock (_lock)
        {
            return new SortedDictionary<long, ServiceRequest>(_issues.ToDictionary(i => i.Key, i => Served(i.Value, organization, details)));
        }
    }

    public IEnumerable<long> Ids()
    {
        lock (_lock)
        {
            return [.. _issues.Keys.Order()];
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>What an endpoint shows of an issue.</summary>
    public static ServiceRequest Served(ServiceRequest issue, bool organization, bool details)
    {
        var served = details ? issue : issue with { Comments = [], Questions = [] };
        if (!organization)
        {
            served = served with
            {
                Assignee = null,
                Agent = null,
                ActiveServiceRequest = null,
                PriorityCode = null,
                CanonicalIssueId = null,
                Reporter = issue.Reporter is { } r ? new Person(r.Id, r.Name, r.Role) : null,
                Comments = [.. served.Comments.Select(c => c with { Commenter = c.Commenter is { } p ? new Person(p.Id, p.Name, p.Role) : null })],
            };
        }
        return served;
    }

    private static Task Error(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var number = Interlocked.Increment(ref _requests);
        var request = context.Request;
        Requests.Enqueue((Uri.UnescapeDataString(request.Path + request.QueryString), request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null,
            request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null));
        if (Intercept is { } intercept && await intercept(context, number))
        {
            return;
        }
        if (request.Headers.UserAgent.Count == 0)
        {
            await Error(context, 403, """{"errors":{"base":["Requests must have a User-Agent header"]}}""");
            return;
        }
        var path = request.Path.Value ?? "";
        bool organization;
        if (path == "/api/v2/issues")
        {
            organization = false;
            if (!string.Equals(request.Query["place_url"], Place, StringComparison.Ordinal))
            {
                await Error(context, 404, """{"errors":{"place_url":["not found"]}}""");
                return;
            }
        }
        else if (path.StartsWith("/api/v2/organizations/", StringComparison.Ordinal) && path.EndsWith("/issues", StringComparison.Ordinal))
        {
            organization = true;
        }
        else
        {
            await Error(context, 404, """{"errors":{"base":["not found"]}}""");
            return;
        }
        var auth = request.Headers.Authorization.ToString();
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        var valid = auth == "Bearer " + Token || auth == basic;
        if ((auth.Length > 0 && !valid) || (organization && !valid))
        {
            await Error(context, 401, """{"errors":{"base":["You must be logged in to do that."]}}""");
            return;
        }
        if (organization && path != $"/api/v2/organizations/{Organization}/issues")
        {
            await Error(context, 404, """{"errors":{"base":["Organization not found"]}}""");
            return;
        }

        var q = request.Query;
        DateTimeOffset? Time(string name)
        {
            var text = q[name].ToString();
            if (text.Length == 0)
            {
                return null;
            }
            return DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        }
        DateTimeOffset? after, before, updatedAfter, updatedBefore;
        try
        {
            (after, before, updatedAfter, updatedBefore) = (Time("after"), Time("before"), Time("updated_at_after"), Time("updated_at_before"));
        }
        catch (FormatException)
        {
            await Error(context, 422, """{"errors":{"base":["times must be YYYY-MM-DDTHH:MM:SSZ"]}}""");
            return;
        }
        var statuses = (q["status"].ToString() is { Length: > 0 } s ? s : "open,acknowledged,closed").Split(',').Select(x => x.Trim().ToLowerInvariant()).ToHashSet();
        var byUpdated = q["sort"] == "updated_at";
        var ascending = string.Equals(q["sort_direction"], "ASC", StringComparison.OrdinalIgnoreCase);
        var details = q["details"] == "true";
        var types = q["request_types"].ToString() is { Length: > 0 } t ? t.Split(',').Select(long.Parse).ToHashSet() : null;
        var page = int.TryParse(q["page"], out var p) && p > 0 ? p : 1;
        var perPage = int.TryParse(q["per_page"], out var pp) && pp > 0 ? pp : 20;
        perPage = Math.Min(perPage, details ? 20 : 100);

        BeforeGet?.Invoke(number);
        List<ServiceRequest> matching;
        lock (_lock)
        {
            var query = _issues.Values.Where(i => statuses.Contains(i.Status.ToString().ToLowerInvariant())
                && (after is null || i.CreatedAt > after) && (before is null || i.CreatedAt < before)
                && (updatedAfter is null || i.UpdatedAt > updatedAfter) && (updatedBefore is null || i.UpdatedAt < updatedBefore)
                && (types is null || (i.RequestType?.Id is { } id && types.Contains(id))));
            Func<ServiceRequest, DateTimeOffset> key = byUpdated ? i => i.UpdatedAt : i => i.CreatedAt;
            matching = ascending ? [.. query.OrderBy(key).ThenBy(i => i.Id)] : [.. query.OrderByDescending(key).ThenByDescending(i => i.Id)];
        }
        var pages = (matching.Count + perPage - 1) / perPage;
        var items = matching.Skip((page - 1) * perPage).Take(perPage).Select(i => Served(i, organization, details)).ToList();

        string PageUrl(int n)
        {
            var parts = q.Where(kv => kv.Key is not "page" and not "per_page").Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value.ToString())}")
                .Append($"page={n}").Append($"per_page={perPage}");
            return new Uri(BaseAddress, path.TrimStart('/') + "?" + string.Join('&', parts)).ToString();
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("issues");
            foreach (var issue in items)
            {
                WriteIssue(json, issue);
            }
            json.WriteEndArray();
            json.WriteStartObject("metadata");
            json.WriteStartObject("pagination");
            json.WriteNumber("entries", matching.Count);
            json.WriteNumber("page", page);
            json.WriteNumber("per_page", perPage);
            json.WriteNumber("pages", pages);
            if (page < pages)
            {
                json.WriteNumber("next_page", page + 1);
                json.WriteString("next_page_url", PageUrl(page + 1));
            }
            else
            {
                json.WriteNull("next_page");
                json.WriteNull("next_page_url");
            }
            if (page > 1)
            {
                json.WriteNumber("previous_page", page - 1);
                json.WriteString("previous_page_url", PageUrl(page - 1));
            }
            else
            {
                json.WriteNull("previous_page");
                json.WriteNull("previous_page_url");
            }
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartObject("errors");
            json.WriteEndObject();
            json.WriteEndObject();
        }
        await context.Response.Body.WriteAsync(buffer.ToArray());
    }

    private static string T(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>Writes an issue in SeeClickFix's JSON shape (numbers as the API sends them, rating as a string as in its docs).</summary>
    public static void WriteIssue(Utf8JsonWriter json, ServiceRequest i)
    {
        void Time(string name, DateTimeOffset? t)
        {
            if (t is { } v)
            {
                json.WriteString(name, T(v));
            }
            else
            {
                json.WriteNull(name);
            }
        }
        void Person(string name, Person? p)
        {
            if (p is null)
            {
                return;
            }
            json.WriteStartObject(name);
            if (p.Id is { } id)
            {
                json.WriteNumber("id", id);
            }
            json.WriteString("name", p.Name);
            json.WriteString("role", p.Role);
            if (p.Email is not null)
            {
                json.WriteString("email", p.Email);
            }
            if (p.Phone is not null)
            {
                json.WriteString("phone", p.Phone);
            }
            json.WriteEndObject();
        }
        json.WriteStartObject();
        json.WriteNumber("id", i.Id);
        json.WriteString("status", i.Status.ToString());
        json.WriteString("summary", i.Summary);
        json.WriteString("description", i.Description);
        if (i.Rating is { } rating)
        {
            json.WriteString("rating", rating.ToString(CultureInfo.InvariantCulture));
        }
        if (i.Lat is { } lat && i.Lng is { } lng)
        {
            json.WriteNumber("lat", lat);
            json.WriteNumber("lng", lng);
            json.WriteStartObject("point");
            json.WriteString("type", "Point");
            json.WriteStartArray("coordinates");
            json.WriteNumberValue(lng);
            json.WriteNumberValue(lat);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteString("address", i.Address);
        Time("created_at", i.CreatedAt);
        Time("acknowledged_at", i.AcknowledgedAt);
        Time("closed_at", i.ClosedAt);
        Time("reopened_at", i.ReopenedAt);
        Time("updated_at", i.UpdatedAt);
        if (i.CommentsCount is { } cc)
        {
            json.WriteNumber("comment_count", cc);
        }
        if (i.VoteCount is { } vc)
        {
            json.WriteNumber("vote_count", vc);
        }
        if (i.ReportMethod is not null)
        {
            json.WriteString("report_method", i.ReportMethod);
        }
        json.WriteString("url", i.Url);
        json.WriteString("html_url", i.HtmlUrl);
        json.WriteString("shortened_url", $"http://scf.cm/i/{i.Id}");
        if (i.PriorityCode is { } priority)
        {
            json.WriteStartObject("priority");
            json.WriteNumber("code", priority);
            json.WriteEndObject();
        }
        Person("assignee", i.Assignee);
        if (i.ActiveServiceRequest is { } asr)
        {
            json.WriteStartObject("active_service_request");
            json.WriteString("status", asr.Status);
            Time("sla_expires_at", asr.SlaExpiresAt);
            Time("last_assigned_at", asr.LastAssignedAt);
            Time("created_at", asr.CreatedAt);
            Time("accepted_at", asr.AcceptedAt);
            Time("started_at", asr.StartedAt);
            Time("resumed_at", asr.ResumedAt);
            Time("finished_at", asr.FinishedAt);
            Time("closed_at", asr.ClosedAt);
            Time("reopened_at", asr.ReopenedAt);
            Person("assignee", asr.Assignee);
            json.WriteEndObject();
        }
        Person("reporter", i.Reporter);
        Person("agent", i.Agent);
        if (i.RequestType is { } rt)
        {
            json.WriteStartObject("request_type");
            if (rt.Id is { } rtId)
            {
                json.WriteNumber("id", rtId);
            }
            json.WriteString("title", rt.Title);
            json.WriteString("organization", rt.Organization);
            json.WriteEndObject();
        }
        if (i.CanonicalIssueId is { } canonical)
        {
            json.WriteStartObject("canonical_issue");
            json.WriteNumber("id", canonical);
            json.WriteEndObject();
        }
        if (i.Comments.Count > 0)
        {
            json.WriteStartArray("comments");
            foreach (var c in i.Comments)
            {
                json.WriteStartObject();
                if (c.Id is { } cid)
                {
                    json.WriteNumber("id", cid);
                }
                json.WriteString("comment", c.Comment);
                json.WriteString("comment_type", c.CommentType);
                Time("created_at", c.CreatedAt);
                Person("commenter", c.Commenter);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        if (i.Questions.Count > 0)
        {
            json.WriteStartArray("questions");
            foreach (var qa in i.Questions)
            {
                json.WriteStartObject();
                json.WriteString("question", qa.Question);
                json.WriteString("answer", qa.Answer);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        if (i.Media is { } m)
        {
            json.WriteStartObject("media");
            json.WriteString("image_full", m.ImageFull);
            json.WriteString("image_square_100x100", m.ImageSquare100);
            json.WriteString("video_url", m.VideoUrl);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }
}
