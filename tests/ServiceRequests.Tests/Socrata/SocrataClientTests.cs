using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Analysis;
using ServiceRequests.Frames;
using ServiceRequests.Portal;
using ServiceRequests.Socrata;
using ServiceRequests.TestSupport;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Socrata;

public class SocrataClientTests
{
    private const string Token = "app-token-8f3b2c1d-never-shown";
    private readonly FastRetry _retry = new();
    private readonly List<string> _log = [];

    private SocrataClient Client(FakeSocrata fake, int pageSize = 7, string? token = Token, NetworkCredential? credentials = null) =>
        new(fake.Portal, new SocrataClientOptions
        {
            PageSize = pageSize,
            AppToken = token,
            Credentials = credentials,
            Retry = _retry.Options(),
            Log = _log.Add,
        });

    private static JsonObject Row(string id, string? type = null, string? created = null)
    {
        var row = new JsonObject { ["id"] = id, ["status"] = "Open", ["created_at"] = created ?? "2026-01-05T10:00:00.000" };
        if (type is not null)
        {
            row["request_type_title"] = type;
        }
        return row;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(21)]
    [InlineData(22)]
    public async Task Paging_returns_every_row_exactly_once(int rows)
    {
        await using var fake = await FakeSocrata.StartAsync();
        fake.Put(Enumerable.Range(1, rows).Select(i => Row($"{1000 + i}")));
        using var client = Client(fake, pageSize: 7);

        var frame = await client.LoadAsync(FakeSocrata.DatasetId);

        var ids = ((StringDataFrameColumn)frame["id"]).ToList();
        Assert.Equal(rows, ids.Count);
        Assert.Equal(Enumerable.Range(1, rows).Select(i => $"{1000 + i}").Order(), ids.Order());
        // A full page is followed by one more request; a short page ends the load.
        Assert.Equal(rows / 7 + 1, fake.Queries.Count());
        Assert.All(fake.Queries, q => Assert.Contains("$order=:id", q));
        Assert.All(fake.Queries, q => Assert.Contains("$limit=7", q));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("status = 'Open'")]
    public async Task Rows_deleted_and_inserted_by_another_writer_between_pages_lose_no_row_that_stayed(string? where)
    {
        await using var fake = await FakeSocrata.StartAsync();
        fake.Put(Enumerable.Range(1, 200).Select(i => Row($"{i:D4}")));
        var deleted = new List<string>();
        fake.BeforeGet = n =>
        {
            if (n is < 2 or > 6)
            {
                return;
            }
            // Between pages another writer deletes 10 rows the load has already passed (the first
            // ones in :id order) and inserts 6 new ones.
            foreach (var id in fake.SystemIds().Take(10))
            {
                deleted.Add(id.Key);
                fake.Remove(id.Key);
            }
            fake.Put(Enumerable.Range(0, 6).Select(i => Row($"new-{n}-{i}")));
        };
        using var client = Client(fake, pageSize: 25);

        var frame = await client.LoadAsync(FakeSocrata.DatasetId, where is null ? null : new SoqlQuery { Where = where });

        var ids = ((StringDataFrameColumn)frame["id"]).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var stayed = Enumerable.Range(1, 200).Select(i => $"{i:D4}").Except(deleted).ToList();
        Assert.Empty(stayed.Except(ids!));
        Assert.DoesNotContain(":id", frame.Columns.Select(c => c.Name));
        Assert.All(fake.Queries.Skip(1), q => Assert.Contains(":id > 'row-", q));
        Assert.All(fake.Queries, q => Assert.DoesNotContain("$offset", q));
    }

    [Fact]
    public async Task A_query_with_its_own_order_or_offset_pages_by_offset()
    {
        await using var fake = await FakeSocrata.StartAsync();
        fake.Put(Enumerable.Range(1, 20).Select(i => Row($"{i:D3}", created: $"2026-01-{i:D2}T10:00:00.000")));
        using var client = Client(fake, pageSize: 7);

        var frame = await client.LoadAsync(FakeSocrata.DatasetId, new SoqlQuery { Order = "created_at DESC", Offset = 2 });

        Assert.Equal(Enumerable.Range(1, 18).Reverse().Select(i => $"{i:D3}"), ((StringDataFrameColumn)frame["id"]).ToList());
        Assert.Contains(fake.Queries, q => q.Contains("$offset=9", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pages_default_to_50000_rows_and_a_limit_caps_the_whole_result()
    {
        await using var fake = await FakeSocrata.StartAsync();
        fake.Put(Enumerable.Range(1, 30).Select(i => Row($"{i:D3}")));
        using (var client = new SocrataClient(fake.Portal, new SocrataClientOptions { AppToken = null, Retry = _retry.Options() }))
        {
            Assert.Equal(30, (await client.LoadAsync(FakeSocrata.DatasetId)).Rows.Count);
        }
        Assert.Contains("$limit=50000", fake.Queries.Single());

        using var paged = Client(fake, pageSize: 7);
        var frame = await paged.LoadAsync(FakeSocrata.DatasetId, new SoqlQuery { Limit = 10, Offset = 3, Order = "id DESC" });

        Assert.Equal(["027", "026", "025", "024", "023", "022", "021", "020", "019", "018"], ((StringDataFrameColumn)frame["id"]).ToList());
        Assert.Contains("$order=id DESC, :id&$limit=7&$offset=3", fake.Queries.ElementAt(1));
        Assert.Contains("$limit=3&$offset=10", fake.Queries.ElementAt(2));
    }

    [Fact]
    public async Task Portal_columns_are_typed_by_the_schema_and_other_fields_by_their_Socrata_type()
    {
        await using var fake = await FakeSocrata.StartAsync(
        [
            ("id", "text"), ("status", "text"), ("created_at", "floating_timestamp"), ("priority_code", "number"),
            ("location", "point"), ("inspected", "checkbox"), ("fee", "money"), ("info", "url"), ("opened_on", "calendar_date"),
            ("site", "location"), ("boundary", "polygon"), ("counted", "number"),
        ]);
        fake.Put([new JsonObject
        {
            ["id"] = "1", ["status"] = "Open", ["created_at"] = "2026-03-08T02:30:00.000", ["priority_code"] = "2",
            ["location"] = new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(-83.05, 42.33) },
            ["inspected"] = true, ["fee"] = "12.50", ["info"] = new JsonObject { ["url"] = "https://example.org/a", ["description"] = "A" },
            ["opened_on"] = "2026-03-08T00:00:00.000", ["site"] = new JsonObject { ["latitude"] = "42.1", ["longitude"] = "-83.2", ["human_address"] = "{}" },
            ["boundary"] = new JsonObject { ["type"] = "Polygon" }, ["counted"] = "7",
        }, new JsonObject { ["id"] = "2" }]);
        using var client = Client(fake);

        var frame = await client.LoadAsync(FakeSocrata.DatasetId, new SoqlQuery { Select = ":*, *" });

        string[] expected =
        [
            "id", "status", "created_at", "priority_code", "latitude", "longitude",
            ":id", ":created_at", ":updated_at", ":version", "inspected", "fee", "info", "opened_on", "site_latitude", "site_longitude", "counted",
        ];
        Assert.Equal(expected, frame.Columns.Select(c => c.Name));
        Assert.IsType<Int32DataFrameColumn>(frame["priority_code"]);
        Assert.IsType<DateTimeDataFrameColumn>(frame["created_at"]);
        Assert.IsType<BooleanDataFrameColumn>(frame["inspected"]);
        Assert.IsType<DoubleDataFrameColumn>(frame["fee"]);
        Assert.IsType<DoubleDataFrameColumn>(frame["counted"]);
        Assert.IsType<StringDataFrameColumn>(frame["info"]);
        Assert.IsType<DateTimeDataFrameColumn>(frame[":updated_at"]);
        var a = ((StringDataFrameColumn)frame["id"])[0] == "1" ? 0 : 1; // rows come in :id order
        var b = 1 - a;
        Assert.Equal(new DateTime(2026, 3, 8, 2, 30, 0), frame["created_at"][a]); // floating: no zone conversion
        Assert.Equal(2, frame["priority_code"][a]);
        Assert.Equal(42.33, frame["latitude"][a]);
        Assert.Equal(true, frame["inspected"][a]);
        Assert.Equal(12.5, frame["fee"][a]);
        Assert.Equal("https://example.org/a", frame["info"][a]);
        Assert.Equal(-83.2, frame["site_longitude"][a]);
        Assert.Equal(new DateTime(2025, 12, 31, 19, 0, 1), frame[":created_at"][a]); // an instant, in Detroit time
        // The JSON endpoint leaves out null fields: they are nulls, never empty strings or zeros.
        Assert.Null(frame["status"][b]);
        Assert.Null(frame["priority_code"][b]);
        Assert.Null(frame["inspected"][b]);
        Assert.Null(frame["latitude"][b]);
    }

    [Fact]
    public async Task Without_type_headers_the_portal_schema_types_the_columns()
    {
        await using var fake = await FakeSocrata.StartAsync();
        fake.SendTypeHeaders = false;
        fake.Put(FakeRows.Sample(20).Select(FakeRows.Json));
        using var client = Client(fake);

        var frame = await client.LoadAsync(FakeSocrata.DatasetId);

        Assert.Equal(PortalSchema.FrameColumnNames, frame.Columns.Select(c => c.Name));
        Assert.Equal(20, frame.Rows.Count);
        Assert.IsType<Int64DataFrameColumn>(frame["canonical_issue_id"]);
    }

    [Fact]
    public async Task A_fixed_shape_refuses_a_field_whose_type_does_not_fit()
    {
        await using var fake = await FakeSocrata.StartAsync([("id", "text"), ("council_district", "text")]);
        fake.Put([new JsonObject { ["id"] = "1", ["council_district"] = "District 5" }]);
        using var client = Client(fake);

        var error = await Assert.ThrowsAsync<ServiceRequestsException>(() => client.LoadAsync(FakeSocrata.DatasetId, null, PortalSchema.FrameColumns));

        Assert.Contains("council_district", error.Message);
        Assert.Contains("'text'", error.Message);
        Assert.Contains("Integer", error.Message);
    }

    [Theory]
    [InlineData("O'Brien's pothole")]
    [InlineData("' OR 1=1 --")]
    [InlineData("x' OR request_type_title = 'Potholes")]
    [InlineData("\"double\" and 'single' quotes, back\\slash, ünïcødé, 100%&$where=")]
    public async Task A_value_with_quotes_or_an_injection_stays_a_literal(string hostile)
    {
        await using var fake = await FakeSocrata.StartAsync();
        fake.Put([Row("1", "Potholes"), Row("2", hostile), Row("3", "Tree Issue")]);
        using var client = Client(fake);

        var frame = await client.LoadAsync(FakeSocrata.DatasetId, new SoqlQuery().RequestTypeIn(hostile));

        Assert.Equal(["2"], ((StringDataFrameColumn)frame["id"]).ToList());
        Assert.Equal(hostile, frame["request_type_title"][0]);
    }

    [Fact]
    public async Task Typed_helpers_filter_on_the_server()
    {
        await using var fake = await FakeSocrata.StartAsync();
        fake.Put(
        [
            Row("1", "Potholes", "2026-01-31T23:59:59.999"), Row("2", "Potholes", "2026-02-01T00:00:00.000"),
            Row("3", "Tree Issue", "2026-02-14T12:00:00.000"), Row("4", "Potholes", "2026-03-01T00:00:00.000"),
            Row("5", "Graffiti", "2026-02-10T00:00:00.000"),
        ]);
        using var client = Client(fake);

        var query = new SoqlQuery()
            .CreatedBetween(new DateTime(2026, 2, 1), new DateTime(2026, 3, 1))
            .RequestTypeIn("Potholes", "Tree Issue");
        var frame = await client.LoadAsync(FakeSocrata.DatasetId, query);

        Assert.Equal(["2", "3"], ((StringDataFrameColumn)frame["id"]).Order());
    }

    [Fact]
    public async Task A_bad_query_shows_Socratas_code_message_and_the_query()
    {
        await using var fake = await FakeSocrata.StartAsync();
        using var client = Client(fake);

        var error = await Assert.ThrowsAsync<SocrataException>(() =>
            client.LoadAsync(FakeSocrata.DatasetId, new SoqlQuery { Where = "status LIKE 'Open%'" }));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("query.compiler.malformed", error.Code);
        Assert.Contains("query.compiler.malformed", error.Message);
        Assert.Contains("Could not parse SoQL query", error.Message);
        Assert.Contains("$where=status LIKE 'Open%'", error.Message);
        Assert.Single(fake.Queries); // a 400 is not retried

        var unknown = await Assert.ThrowsAsync<SocrataException>(() =>
            client.LoadAsync(FakeSocrata.DatasetId, new SoqlQuery { Where = "no_such_field = 'x'" }));
        Assert.Equal("query.soql.no-such-column", unknown.Code);
    }

    [Fact]
    public async Task An_unknown_dataset_says_to_check_the_id()
    {
        await using var fake = await FakeSocrata.StartAsync();
        using var client = Client(fake);

        var error = await Assert.ThrowsAsync<SocrataException>(() => client.LoadAsync("zzzz-9999"));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("dataset id", error.Message);
        Assert.Throws<ArgumentException>(() => client.ResourceUri("not an id"));
    }

    [Fact]
    public async Task Throttling_and_server_errors_are_retried_honouring_Retry_After()
    {
        await using var fake = await FakeSocrata.StartAsync();
        fake.Put(Enumerable.Range(1, 10).Select(i => Row($"{i:D2}")));
        fake.Intercept = async (context, n) =>
        {
            switch (n)
            {
                case 2:
                    await FakeSocrata.Error(context, 429, "too_many_requests", "Slow down", retryAfter: "17");
                    return true;
                case 3:
                    await FakeSocrata.Error(context, 500, "internal_error", "Oops");
                    return true;
                default:
                    return false;
            }
        };
        using var client = Client(fake, pageSize: 7);

        var frame = await client.LoadAsync(FakeSocrata.DatasetId);

        Assert.Equal(10, frame.Rows.Count);
        Assert.Equal(10, ((StringDataFrameColumn)frame["id"]).Distinct().Count());
        Assert.Equal(TimeSpan.FromSeconds(17), _retry.Waits[0]);
        Assert.Equal(2, _retry.Waits.Count);
    }

    [Fact]
    public async Task A_202_request_processing_is_retried_honouring_Retry_After_and_never_read_as_rows()
    {
        await using var fake = await FakeSocrata.StartAsync();
        fake.Put(Enumerable.Range(1, 10).Select(i => Row($"{i:D3}")));
        // The first page's request is still processing twice (once asking for 3 s), then comes; the second page's once.
        fake.Processing = n => n switch { 1 => "3", 2 => "", 4 => "1", _ => null };
        using var client = Client(fake, pageSize: 7);

        var frame = await client.LoadAsync(FakeSocrata.DatasetId);

        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"{i:D3}"), ((StringDataFrameColumn)frame["id"]).Order());
        Assert.Equal(5, fake.Queries.Count());
        Assert.Equal(TimeSpan.FromSeconds(3), _retry.Waits[0]);
        Assert.Equal(TimeSpan.FromSeconds(1), _retry.Waits[2]);
    }

    [Fact]
    public async Task A_result_still_processing_after_every_attempt_is_an_error_not_an_empty_page()
    {
        await using var fake = await FakeSocrata.StartAsync();
        fake.Put(Enumerable.Range(1, 3).Select(i => Row($"{i:D3}")));
        fake.Processing = _ => "";
        using var client = Client(fake);

        var error = await Assert.ThrowsAsync<SocrataException>(() => client.LoadAsync(FakeSocrata.DatasetId));

        Assert.Equal(HttpStatusCode.Accepted, error.StatusCode);
        Assert.Contains("Socrata answered HTTP 202", error.Message);
        Assert.Contains("still preparing", error.Message);
        Assert.Equal(4, fake.Queries.Count());
    }

    [Fact]
    public async Task Throttling_that_never_ends_fails_with_advice_about_the_app_token()
    {
        await using var fake = await FakeSocrata.StartAsync();
        fake.Intercept = async (context, _) =>
        {
            await FakeSocrata.Error(context, 429, "too_many_requests", "Too many requests", retryAfter: "1");
            return true;
        };
        using var client = Client(fake);

        var error = await Assert.ThrowsAsync<SocrataException>(() => client.LoadAsync(FakeSocrata.DatasetId));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Contains("SOCRATA_APP_TOKEN", error.Message);
        Assert.Equal(4, fake.Requests.Count);
    }

    [Fact]
    public async Task The_app_token_is_sent_as_a_header_and_never_appears_in_addresses_logs_or_errors()
    {
        await using var fake = await FakeSocrata.StartAsync();
        fake.Put([Row("1")]);
        // A server that echoes what it was sent must not get the token into a message either.
        fake.Intercept = async (context, n) =>
        {
            if (n != 2)
            {
                return false;
            }
            await FakeSocrata.Error(context, 403, "permission_denied", $"Invalid app token {context.Request.Headers["X-App-Token"]}");
            return true;
        };
        using var client = Client(fake);

        await client.LoadAsync(FakeSocrata.DatasetId);
        var error = await Assert.ThrowsAsync<SocrataException>(() => client.LoadAsync(FakeSocrata.DatasetId));

        Assert.All(fake.Requests, r => Assert.Equal(Token, r.AppToken));
        Assert.All(fake.Requests, r => Assert.DoesNotContain(Token, r.Target));
        Assert.DoesNotContain(Token, error.Message);
        Assert.DoesNotContain(Token, error.ServerMessage);
        Assert.Contains("***", error.Message);
        Assert.NotEmpty(_log);
        Assert.All(_log, line => Assert.DoesNotContain(Token, line));
        Assert.DoesNotContain(Token, client.Options.ToString());
    }

    [Fact]
    public async Task Upsert_reports_the_portals_counts_and_sends_basic_auth()
    {
        await using var fake = await FakeSocrata.StartAsync();
        fake.Put([Row("1")]);
        using var client = Client(fake, credentials: new NetworkCredential(FakeSocrata.User, FakeSocrata.Password));

        var result = await client.UpsertAsync(FakeSocrata.DatasetId, """
            [{"id": "1", "status": "Closed"}, {"id": "2", "status": "Open"}, {"id": "1", ":deleted": true}, {"id": "9", ":deleted": true}]
            """u8.ToArray());

        Assert.Equal(new UpsertResult(1, 1, 1, 1), result);
        Assert.Equal(["2"], fake.Table().Keys);
        Assert.StartsWith("Basic ", fake.Requests.Single(r => r.Method == "POST").Authorization);
    }

    [Fact]
    public async Task Upsert_without_credentials_or_with_wrong_ones_fails_without_showing_the_password()
    {
        await using var fake = await FakeSocrata.StartAsync();
        using (var none = Client(fake))
        {
            var missing = await Assert.ThrowsAsync<ServiceRequestsException>(() => none.UpsertAsync(FakeSocrata.DatasetId, "[]"u8.ToArray()));
            Assert.Contains("SOCRATA_USERNAME", missing.Message);
        }
        Assert.Empty(fake.Requests);

        const string wrong = "wrong-password-123456";
        using var client = Client(fake, credentials: new NetworkCredential(FakeSocrata.User, wrong));
        var error = await Assert.ThrowsAsync<SocrataException>(() => client.UpsertAsync(FakeSocrata.DatasetId, "[]"u8.ToArray()));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Contains("permission_denied", error.Message);
        Assert.DoesNotContain(wrong, error.Message);
        Assert.DoesNotContain(wrong, client.Options.ToString());
    }

    [Fact]
    public async Task The_password_is_never_sent_over_plain_http_to_another_machine()
    {
        using var client = new SocrataClient(new Uri("http://data.example.org/"),
            new SocrataClientOptions { Credentials = new NetworkCredential("u", "p"), Retry = _retry.Options() });

        var error = await Assert.ThrowsAsync<ServiceRequestsException>(() => client.UpsertAsync(FakeSocrata.DatasetId, "[]"u8.ToArray()));

        Assert.Contains("https", error.Message);
    }

    [Fact]
    public void Bad_addresses_and_page_sizes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new SocrataClient(new Uri("ftp://example.org/")));
        Assert.Throws<ArgumentException>(() => new SocrataClient(new Uri("https://user:secret@example.org/")));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SocrataClient(new Uri("https://example.org/"), new SocrataClientOptions { PageSize = 50_001 }));
        using var client = new SocrataClient(new Uri("https://data.example.org/base"));
        Assert.Equal("https://data.example.org/base/resource/abcd-1234.json", client.ResourceUri("abcd-1234").ToString());
    }

    [Fact]
    public async Task A_page_that_is_not_rows_names_the_page()
    {
        await using var fake = await FakeSocrata.StartAsync();
        fake.Intercept = async (context, _) =>
        {
            await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, """[{"id": "1"}, {"id": 2""");
            return true;
        };
        using var client = Client(fake);

        var error = await Assert.ThrowsAsync<ServiceRequestsException>(() => client.LoadAsync(FakeSocrata.DatasetId, null, [new ColumnSpec("id", ColumnType.Text)]));

        Assert.Contains("page 1", error.Message);
        Assert.Contains("byte", error.Message);
    }
}
