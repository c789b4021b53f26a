using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Analysis;
using ServiceRequests.ArcGis;
using ServiceRequests.Portal;
using ServiceRequests.TestSupport;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.ArcGis;

public class FeatureLayerClientTests
{
    private const string Token = "esri-token-5d1c9a77-never-shown";
    private readonly FastRetry _retry = new();
    private readonly List<string> _log = [];

    private FeatureLayerClient Client(FakeFeatureServer fake, int? pageSize = null, string? token = null, FeatureFieldMapping? fields = null) =>
        new(fake.Layer, new FeatureLayerOptions
        {
            PageSize = pageSize,
            Token = token,
            Fields = fields ?? FeatureFieldMapping.Detroit,
            Retry = _retry.Options(),
            Log = _log.Add,
        });

    private static Dictionary<string, object?> Feature(long id, DateTimeOffset? created = null, string type = "Potholes") => new()
    {
        ["issue_id"] = id,
        ["request_type"] = type,
        ["status"] = "Open",
        ["created_at"] = created ?? new DateTimeOffset(2026, 1, 5, 15, 0, 0, TimeSpan.Zero),
        ["updated_at"] = created ?? new DateTimeOffset(2026, 1, 5, 15, 0, 0, TimeSpan.Zero),
    };

    private static List<string?> Ids(DataFrame frame) => [.. ((StringDataFrameColumn)frame[PortalSchema.Id])];

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(4, 1)]
    [InlineData(5, 1)]
    [InlineData(6, 2)]
    [InlineData(15, 3)]
    [InlineData(16, 4)]
    public async Task Paging_returns_every_feature_exactly_once(int features, int pages)
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        fake.MaxRecordCount = 5;
        // Added in an order unlike the ids, so that only the object id order keeps pages stable.
        fake.Add(Enumerable.Range(1, features).Select(i => Feature(1000 + (i * 7 % Math.Max(features, 1)) + features * 10)));
        using var client = Client(fake);

        var frame = await client.LoadAsync();

        Assert.Equal(frame.Columns.Select(c => c.Name), PortalSchema.FrameColumnNames);
        var ids = Ids(frame);
        Assert.Equal(features, ids.Count);
        Assert.Equal(features, ids.Distinct().Count());
        var queries = fake.FeatureQueries.ToList();
        Assert.Equal(pages, queries.Count);
        Assert.Equal(Enumerable.Range(0, pages).Select(p => (p * 5).ToString(CultureInfo.InvariantCulture)), queries.Select(q => q["resultOffset"]));
        Assert.All(queries, q => Assert.Equal("5", q["resultRecordCount"]));
        Assert.All(queries, q => Assert.Equal("ObjectId ASC", q["orderByFields"]));
        Assert.All(queries, q => Assert.Equal("1=1", q["where"]));
        Assert.All(queries, q => Assert.Equal("json", q["f"]));
    }

    [Fact]
    public async Task Rows_arrive_in_object_id_order_with_their_values()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        fake.MaxRecordCount = 2;
        fake.Add([Feature(30), Feature(10), Feature(20)]);
        using var client = Client(fake);

        var frame = await client.LoadAsync();

        Assert.Equal(["30", "10", "20"], Ids(frame));
        Assert.Equal("Potholes", frame[PortalSchema.RequestTypeTitle][0]);
        Assert.Equal(new DateTime(2026, 1, 5, 10, 0, 0), frame[PortalSchema.CreatedAt][0]);
        Assert.Null(frame[PortalSchema.ClosedAt][0]);
        Assert.Null(frame[PortalSchema.Description][0]);
    }

    [Fact]
    public async Task A_page_size_above_maxRecordCount_is_capped_and_a_smaller_one_is_used()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        fake.MaxRecordCount = 4;
        fake.Add(Enumerable.Range(1, 9).Select(i => Feature(i)));

        using (var big = Client(fake, pageSize: 50))
        {
            Assert.Equal(9, (await big.LoadAsync()).Rows.Count);
        }
        Assert.All(fake.FeatureQueries, q => Assert.Equal("4", q["resultRecordCount"]));

        using var small = Client(fake, pageSize: 2);
        Assert.Equal(9, (await small.LoadAsync()).Rows.Count);
        Assert.Equal(5, fake.FeatureQueries.Count(q => q["resultRecordCount"] == "2"));
    }

    [Fact]
    public async Task A_server_that_sends_fewer_than_asked_is_followed_by_exceededTransferLimit_without_gaps()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        fake.AdvertisedMaxRecordCount = 10;
        fake.MaxRecordCount = 3;
        fake.Add(Enumerable.Range(1, 8).Select(i => Feature(i)));
        using var client = Client(fake);

        var frame = await client.LoadAsync();

        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"{i}"), Ids(frame));
        Assert.Equal(["0", "3", "6"], fake.FeatureQueries.Select(q => q["resultOffset"]));
    }

    [Theory]
    // Spring forward, 2026-03-08: 06:59:59.999Z is 01:59:59.999 EST; 07:00Z is 03:00 EDT.
    [InlineData("2026-03-08T06:59:59.999Z", "2026-03-08T01:59:59.999")]
    [InlineData("2026-03-08T07:00:00.000Z", "2026-03-08T03:00:00.000")]
    // Fall back, 2026-11-01: 05:30Z is 01:30 EDT, 06:30Z is 01:30 EST again, 07:00Z is 02:00 EST.
    [InlineData("2026-11-01T05:30:00.000Z", "2026-11-01T01:30:00.000")]
    [InlineData("2026-11-01T06:30:00.000Z", "2026-11-01T01:30:00.000")]
    [InlineData("2026-11-01T07:00:00.000Z", "2026-11-01T02:00:00.000")]
    [InlineData("2026-07-01T03:59:00.000Z", "2026-06-30T23:59:00.000")]
    public async Task Epoch_millisecond_dates_become_Detroit_wall_clock_time_across_DST(string utc, string local)
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        var instant = DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture);
        fake.Add([new Dictionary<string, object?> { ["issue_id"] = 1, ["status"] = "Closed", ["created_at"] = instant, ["closed_at"] = instant }]);
        using var client = Client(fake);

        var frame = await client.LoadAsync();

        var expected = DateTime.ParseExact(local, "yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture);
        var created = (DateTime)frame[PortalSchema.CreatedAt][0]!;
        Assert.Equal(expected, created);
        Assert.Equal(DateTimeKind.Unspecified, created.Kind);
        Assert.Equal(expected, frame[PortalSchema.ClosedAt][0]);
    }

    [Fact]
    public async Task A_bad_where_becomes_an_exception_naming_layer_query_and_what_to_do()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        using var client = Client(fake);

        var error = await Assert.ThrowsAsync<ArcGisException>(() => client.LoadAsync(new FeatureQuery { Where = "no_such_field = 3" }));

        Assert.Equal(400, error.Code);
        Assert.Equal(["'where' parameter is invalid"], error.Details);
        Assert.Contains(FakeFeatureServer.LayerPath, error.Message);
        Assert.Contains("Where: no_such_field = 3", error.Message);
        Assert.Contains("FeatureQuery.Text", error.Message);
    }

    [Fact]
    public async Task An_error_body_on_a_later_page_names_the_page()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        fake.MaxRecordCount = 2;
        fake.Add(Enumerable.Range(1, 5).Select(i => Feature(i)));
        // Requests: 1 metadata, 2 count, 3 page 1, 4 page 2.
        fake.Intercept = async (context, number) =>
        {
            if (number != 4)
            {
                return false;
            }
            await context.Response.WriteAsync("""{"error":{"code":500,"message":"Error performing query operation","details":[]}}""");
            return true;
        };
        using var client = Client(fake);

        var error = await Assert.ThrowsAsync<ArcGisException>(() => client.LoadAsync());

        Assert.Equal(500, error.Code);
        Assert.Equal(System.Net.HttpStatusCode.OK, error.StatusCode);
        Assert.Contains("(page 2)", error.Message);
        Assert.Contains("Error performing query operation", error.Message);
    }

    [Fact]
    public async Task Throttling_and_server_errors_are_retried_honouring_Retry_After()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        fake.MaxRecordCount = 3;
        fake.Add(Enumerable.Range(1, 7).Select(i => Feature(i)));
        fake.Intercept = async (context, number) =>
        {
            switch (number)
            {
                case 3:
                    context.Response.StatusCode = 429;
                    context.Response.Headers.RetryAfter = "3";
                    await context.Response.WriteAsync("slow down");
                    return true;
                case 5 or 6:
                    context.Response.StatusCode = 500;
                    return true;
                default:
                    return false;
            }
        };
        using var client = Client(fake);

        var frame = await client.LoadAsync();

        Assert.Equal(Enumerable.Range(1, 7).Select(i => $"{i}"), Ids(frame));
        Assert.Equal(3, _retry.Waits.Count);
        Assert.Equal(TimeSpan.FromSeconds(3), _retry.Waits[0]);
    }

    [Fact]
    public async Task A_server_that_keeps_failing_gives_an_exception_after_the_retries()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        fake.Intercept = (context, _) =>
        {
            context.Response.StatusCode = 503;
            return Task.FromResult(true);
        };
        using var client = Client(fake);

        var error = await Assert.ThrowsAsync<ArcGisException>(() => client.LoadAsync());

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Contains("HTTP 503", error.Message);
        Assert.Contains("metadata request", error.Message);
        Assert.Equal(4, fake.Requests.Count);
    }

    [Fact]
    public async Task The_token_goes_only_in_the_header_and_never_into_messages()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        fake.RequiredToken = Token;
        fake.Add([Feature(1)]);

        using (var client = Client(fake, token: Token))
        {
            Assert.Single(Ids(await client.LoadAsync()));
        }
        Assert.All(fake.Requests, r => Assert.Equal("Bearer " + Token, r.Authorization));
        Assert.All(fake.Requests, r => Assert.DoesNotContain(Token, r.Target));
        Assert.All(_log, line => Assert.DoesNotContain(Token, line));

        using var wrong = Client(fake, token: "wrong-" + Token);
        var error = await Assert.ThrowsAsync<ArcGisException>(() => wrong.LoadAsync());
        Assert.Equal(498, error.Code);
        Assert.Contains(FeatureLayerOptions.TokenVariable, error.Message);
        Assert.DoesNotContain(Token, error.ToString());

        using var none = Client(fake);
        Assert.Equal(499, (await Assert.ThrowsAsync<ArcGisException>(() => none.LoadAsync())).Code);
    }

    [Fact]
    public async Task A_token_the_server_echoes_back_is_scrubbed()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        fake.Intercept = async (context, _) =>
        {
            await context.Response.WriteAsync(
                $$$"""{"error":{"code":498,"message":"Invalid token {{{Token}}}","details":["token {{{Token}}} expired"]}}""");
            return true;
        };
        using var client = Client(fake, token: Token);

        var error = await Assert.ThrowsAsync<ArcGisException>(() => client.LoadAsync());

        Assert.DoesNotContain(Token, error.ToString());
        Assert.DoesNotContain(Token, error.ServerMessage);
        Assert.All(error.Details, d => Assert.DoesNotContain(Token, d));
        Assert.Contains("***", error.Message);
    }

    [Theory]
    [InlineData("https://services.example.com/arcgis/rest/services/x/FeatureServer/0?token=sekrit-123")]
    [InlineData("https://user:sekrit-123@services.example.com/arcgis/rest/services/x/FeatureServer/0")]
    public void Credentials_in_the_address_are_refused_without_repeating_them(string address)
    {
        var error = Assert.Throws<ArgumentException>(() => new FeatureLayerClient(new Uri(address)));

        Assert.Contains(FeatureLayerOptions.TokenVariable, error.Message);
        Assert.DoesNotContain("sekrit-123", error.Message);
    }

    [Fact]
    public void A_token_is_never_sent_unencrypted_to_another_machine()
    {
        var options = new FeatureLayerOptions { Token = Token };

        var error = Assert.Throws<ArgumentException>(() => new FeatureLayerClient(new Uri("http://services.example.com/arcgis/rest/services/x/FeatureServer/0"), options));

        Assert.Contains("https://", error.Message);
        Assert.DoesNotContain(Token, error.Message);
        using var https = new FeatureLayerClient(new Uri("https://services.example.com/arcgis/rest/services/x/FeatureServer/0"), options);
        using var publicLayer = new FeatureLayerClient(new Uri("http://services.example.com/arcgis/rest/services/x/FeatureServer/0"), new FeatureLayerOptions { Token = null });
    }

    [Theory]
    [InlineData("https://services2.arcgis.com/abc/arcgis/rest/services/improve_detroit/FeatureServer/0", true)]
    [InlineData("https://services2.arcgis.com/abc/arcgis/rest/services/improve_detroit/FeatureServer/12/", true)]
    [InlineData("https://services2.arcgis.com/abc/arcgis/rest/services/improve_detroit/FeatureServer/0/query?where=1%3D1", true)]
    [InlineData("https://services2.arcgis.com/abc/arcgis/rest/services/improve_detroit/FeatureServer", false)]
    [InlineData("https://services2.arcgis.com/abc/arcgis/rest/services/improve_detroit/MapServer/0", false)]
    [InlineData("ftp://host/x/FeatureServer/0", false)]
    [InlineData("data/x/FeatureServer/0", false)]
    public void Layer_addresses_are_recognised(string address, bool isLayer)
    {
        Assert.Equal(isLayer, FeatureLayerClient.IsLayerAddress(address));
    }

    [Fact]
    public void A_layer_address_keeps_its_where_and_loses_the_rest()
    {
        var (layer, query) = FeatureLayerClient.ParseAddress(
            "https://host/arcgis/rest/services/improve_detroit/FeatureServer/0/query?where=status%20%3D%20%27Open%27&outFields=*");

        Assert.Equal("https://host/arcgis/rest/services/improve_detroit/FeatureServer/0", layer.ToString());
        Assert.Equal("status = 'Open'", query.Where);
    }

    [Fact]
    public async Task Progress_reports_each_page_against_the_total()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        fake.MaxRecordCount = 4;
        fake.Add(Enumerable.Range(1, 10).Select(i => Feature(i)));
        using var client = Client(fake);

        await client.LoadAsync();

        Assert.Equal(["page 1: 4 features (4 of 10)", "page 2: 4 features (8 of 10)", "page 3: 2 features (10 of 10)"],
            _log.Select(l => l[(l.IndexOf("page", StringComparison.Ordinal))..]));
        Assert.Equal(10, await client.CountAsync());
    }

    [Fact]
    public async Task UpdatedSince_pulls_only_features_changed_at_or_after_the_point()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        var start = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        fake.Add(Enumerable.Range(0, 6).Select(i => Feature(i + 1, start.AddHours(i))));
        using var client = Client(fake);

        var frame = await client.LoadAsync(new FeatureQuery().UpdatedSince(start.AddHours(3)));

        Assert.Equal(["4", "5", "6"], Ids(frame));
        Assert.All(fake.FeatureQueries, q => Assert.Equal("updated_at >= timestamp '2026-03-01 15:00:00'", q["where"]));
    }

    [Fact]
    public async Task Mapped_fields_the_layer_lacks_stay_null_and_are_not_asked_for()
    {
        await using var fake = await FakeFeatureServer.StartAsync(
            [.. FakeFeatureServer.DetroitFields.Where(f => f.Name is not ("neighborhood" or "reopened_at"))]);
        fake.Add([Feature(1)]);
        using var client = Client(fake);

        var frame = await client.LoadAsync();

        Assert.Equal(PortalSchema.FrameColumnNames, frame.Columns.Select(c => c.Name));
        Assert.Null(frame[PortalSchema.Neighborhood][0]);
        Assert.DoesNotContain("neighborhood", fake.FeatureQueries.Single()["outFields"]);
        Assert.Contains(_log, l => l.Contains("no field reopened_at, neighborhood", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_citys_layer_is_read_through_its_own_mapping()
    {
        await using var fake = await FakeFeatureServer.StartAsync(
            [("ticket", "esriFieldTypeString"), ("category", "esriFieldTypeString"), ("state", "esriFieldTypeString"),
             ("opened", "esriFieldTypeDate"), ("duplicate_of", "esriFieldTypeDouble")]);
        fake.Add([new Dictionary<string, object?> { ["ticket"] = "A-1", ["category"] = "Graffiti", ["state"] = "Open",
            ["opened"] = new DateTimeOffset(2026, 2, 1, 17, 0, 0, TimeSpan.Zero), ["duplicate_of"] = 42.0 }]);
        var mapping = new FeatureFieldMapping(new Dictionary<string, string>
        {
            [PortalSchema.Id] = "ticket",
            [PortalSchema.RequestTypeTitle] = "category",
            [PortalSchema.Status] = "state",
            [PortalSchema.CreatedAt] = "OPENED",
            [PortalSchema.CanonicalIssueId] = "duplicate_of",
        });
        using var client = Client(fake, fields: mapping);

        var frame = await client.LoadAsync();

        Assert.Equal("A-1", frame[PortalSchema.Id][0]);
        Assert.Equal("Graffiti", frame[PortalSchema.RequestTypeTitle][0]);
        Assert.Equal(new DateTime(2026, 2, 1, 12, 0, 0), frame[PortalSchema.CreatedAt][0]);
        Assert.Equal(42L, frame[PortalSchema.CanonicalIssueId][0]);
        Assert.Equal("ObjectId,ticket,state,category,opened,duplicate_of", fake.FeatureQueries.Single()["outFields"]);
    }

    [Fact]
    public async Task A_field_whose_type_cannot_fill_its_column_is_named()
    {
        await using var fake = await FakeFeatureServer.StartAsync([("issue_id", "esriFieldTypeInteger"), ("created_at", "esriFieldTypeString")]);
        using var client = Client(fake);

        var error = await Assert.ThrowsAsync<ServiceRequestsException>(() => client.LoadAsync());

        Assert.Contains("'created_at' is esriFieldTypeString", error.Message);
        Assert.Contains("FeatureFieldMapping.With", error.Message);
    }

    [Fact]
    public async Task An_answer_that_is_not_JSON_names_the_page()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        fake.Add([Feature(1)]);
        fake.Intercept = async (context, number) =>
        {
            if (number != 3)
            {
                return false;
            }
            await context.Response.WriteAsync("<html>maintenance</html>");
            return true;
        };
        using var client = Client(fake);

        var error = await Assert.ThrowsAsync<ServiceRequestsException>(() => client.LoadAsync());

        Assert.Contains("(page 1, offset 0)", error.Message);
        Assert.Contains("byte 0", error.Message);
    }

    [Fact]
    public async Task A_service_address_instead_of_a_layer_gets_advice()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        fake.Intercept = async (context, _) =>
        {
            await context.Response.WriteAsync("""{"currentVersion":11.3,"layers":[{"id":0,"name":"improve_detroit"}]}""");
            return true;
        };
        using var client = Client(fake);

        var error = await Assert.ThrowsAsync<ServiceRequestsException>(() => client.GetInfoAsync());

        Assert.Contains("no 'fields' list", error.Message);
    }
}
