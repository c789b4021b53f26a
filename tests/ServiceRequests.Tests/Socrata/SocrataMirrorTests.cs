using System.Text.Json.Nodes;
using Microsoft.Data.Analysis;
using ServiceRequests.Portal;
using ServiceRequests.Socrata;
using ServiceRequests.TestSupport;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Socrata;

public class SocrataMirrorTests
{
    private readonly FastRetry _retry = new();

    private SocrataClient Client(FakeSocrata fake, int pageSize = 7) =>
        new(fake.Portal, new SocrataClientOptions { PageSize = pageSize, AppToken = null, Retry = _retry.Options() });

    private static Dictionary<string, object?> Column(DataFrame frame, string column)
    {
        var ids = (StringDataFrameColumn)frame[PortalSchema.Id];
        return Enumerable.Range(0, (int)frame.Rows.Count).ToDictionary(i => ids[i], i => (object?)frame[column][i]);
    }

    [Fact]
    public async Task A_refresh_fetches_only_changed_rows_and_merges_them_by_id()
    {
        await using var fake = await FakeSocrata.StartAsync();
        var rows = FakeRows.Sample(30);
        fake.Put(rows.Select(FakeRows.Json));
        using var folder = new TempFolder();
        using var client = Client(fake);
        var mirror = new SocrataMirror(client, FakeSocrata.DatasetId, folder.Path) { Lookback = TimeSpan.Zero };

        var first = await mirror.RefreshAsync();
        Assert.True(first.Full);
        Assert.Equal(30, first.RowsFetched);
        Assert.Equal(30, first.Frame.Rows.Count);
        Assert.Equal(PortalSchema.FrameColumnNames, first.Frame.Columns.Select(c => c.Name));
        Assert.All(fake.Queries, q => Assert.Contains("$select=:*, *", q));
        Assert.All(fake.Queries, q => Assert.Contains("$order=:updated_at, :id", q));

        fake.Touch(rows[3].Id, r => r["status"] = "Closed");
        fake.Touch(rows[17].Id, r => r.Remove("description"));
        fake.Put([FakeRows.Json(rows[0] with { Id = "99999999", Status = "Open" })]);
        var queriesBefore = fake.Queries.Count();

        var second = await mirror.RefreshAsync();

        Assert.False(second.Full);
        Assert.Equal(3, second.RowsFetched);
        Assert.Equal(31, second.Frame.Rows.Count);
        var newQueries = fake.Queries.Skip(queriesBefore).ToList();
        Assert.Single(newQueries);
        Assert.Contains($":updated_at > '{first.Cursor!.Value.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff}Z'", newQueries[0]);
        var status = Column(second.Frame, PortalSchema.Status);
        Assert.Equal("Closed", status[rows[3].Id]);
        Assert.Equal("Open", status["99999999"]);
        Assert.Null(Column(second.Frame, PortalSchema.Description)[rows[17].Id]);
        Assert.Equal(rows[5].Status, status[rows[5].Id]);
        Assert.True(second.Cursor > first.Cursor);

        // The copy on disk is the merged table: a refresh with no changes loads it without downloading rows.
        var third = await new SocrataMirror(client, FakeSocrata.DatasetId, folder.Path) { Lookback = TimeSpan.Zero }.RefreshAsync();
        Assert.Equal(0, third.RowsFetched);
        Assert.Equal(Column(second.Frame, PortalSchema.Status), Column(third.Frame, PortalSchema.Status));
        Assert.Equal(Column(second.Frame, PortalSchema.CreatedAt), Column(third.Frame, PortalSchema.CreatedAt));
        Assert.Equal(Column(second.Frame, PortalSchema.Latitude), Column(third.Frame, PortalSchema.Latitude));
    }

    [Fact]
    public async Task A_row_changed_during_the_pull_is_neither_lost_nor_duplicated()
    {
        await using var fake = await FakeSocrata.StartAsync();
        var rows = FakeRows.Sample(20);
        fake.Put(rows.Select(FakeRows.Json));
        // Before the second page, a row of the first page changes and moves to the end of the
        // :updated_at order. Offset paging would then skip the first row of the second page.
        var touched = rows[2].Id;
        fake.BeforeGet = n =>
        {
            if (n == 2)
            {
                fake.Touch(touched, r => r["status"] = "Acknowledged");
            }
        };
        using var folder = new TempFolder();
        using var client = Client(fake, pageSize: 7);

        var result = await new SocrataMirror(client, FakeSocrata.DatasetId, folder.Path).RefreshAsync();

        var ids = ((StringDataFrameColumn)result.Frame[PortalSchema.Id]).ToList();
        Assert.Equal(rows.Select(r => r.Id).Order(), ids.Order());
        Assert.Equal("Acknowledged", Column(result.Frame, PortalSchema.Status)[touched]);
    }

    [Fact]
    public async Task Rows_deleted_on_the_portal_go_at_the_next_full_refresh()
    {
        await using var fake = await FakeSocrata.StartAsync();
        var rows = FakeRows.Sample(10);
        fake.Put(rows.Select(FakeRows.Json));
        using var folder = new TempFolder();
        using var client = Client(fake);
        await new SocrataMirror(client, FakeSocrata.DatasetId, folder.Path).RefreshAsync();
        fake.Remove(rows[4].Id);

        var incremental = await new SocrataMirror(client, FakeSocrata.DatasetId, folder.Path).RefreshAsync();
        var periodic = await new SocrataMirror(client, FakeSocrata.DatasetId, folder.Path) { FullRefreshAfter = TimeSpan.Zero }.RefreshAsync();

        Assert.False(incremental.Full);
        Assert.Equal(10, incremental.Frame.Rows.Count);
        Assert.True(periodic.Full);
        Assert.Contains("days ago", periodic.Reason);
        Assert.Equal(9, periodic.Frame.Rows.Count);
        Assert.DoesNotContain(rows[4].Id, (StringDataFrameColumn)periodic.Frame[PortalSchema.Id]);
    }

    [Fact]
    public async Task Another_source_or_a_damaged_copy_starts_over_with_a_full_refresh()
    {
        await using var fake = await FakeSocrata.StartAsync();
        var rows = FakeRows.Sample(10);
        fake.Put(rows.Select(FakeRows.Json));
        var only = new SoqlQuery { Where = $"status = {Soql.Text(rows[0].Status)}" };
        using var folder = new TempFolder();
        using var client = Client(fake);
        await new SocrataMirror(client, FakeSocrata.DatasetId, folder.Path).RefreshAsync();

        var filtered = await new SocrataMirror(client, FakeSocrata.DatasetId, folder.Path, only).RefreshAsync();
        Assert.True(filtered.Full);
        Assert.Contains("another source", filtered.Reason);
        Assert.Equal(rows.Count(r => r.Status == rows[0].Status), filtered.Frame.Rows.Count);
        Assert.All((StringDataFrameColumn)filtered.Frame[PortalSchema.Status], s => Assert.Equal(rows[0].Status, s));

        var copy = Directory.GetFiles(folder.Path, "rows-*.parquet").Single();
        File.WriteAllText(copy, "not parquet");
        var repaired = await new SocrataMirror(client, FakeSocrata.DatasetId, folder.Path, only).RefreshAsync();
        Assert.True(repaired.Full);
        Assert.Contains("could not be read", repaired.Reason);

        File.WriteAllText(Path.Combine(folder.Path, SocrataMirror.StateFileName), "{ broken");
        var fromBrokenState = await new SocrataMirror(client, FakeSocrata.DatasetId, folder.Path).RefreshAsync();
        Assert.True(fromBrokenState.Full);
        Assert.Equal(10, fromBrokenState.Frame.Rows.Count);
        Assert.Single(Directory.GetFiles(folder.Path, "rows-*.parquet"));
    }

    [Fact]
    public async Task The_kept_copy_is_parquet_that_DuckDB_reads_and_a_json_copy_of_an_earlier_version_is_still_read_then_replaced()
    {
        await using var fake = await FakeSocrata.StartAsync();
        var rows = FakeRows.Sample(20);
        fake.Put(rows.Select(FakeRows.Json));
        using var folder = new TempFolder();
        using var client = Client(fake);
        var first = await new SocrataMirror(client, FakeSocrata.DatasetId, folder.Path).RefreshAsync();
        var parquet = Directory.GetFiles(folder.Path, "rows-*.parquet").Single();
        using (var duck = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:"))
        {
            duck.Open();
            using var command = duck.CreateCommand();
            command.CommandText = $"SELECT count(*), count(DISTINCT id) FROM read_parquet('{parquet}')";
            using var reader = command.ExecuteReader();
            Assert.True(reader.Read());
            Assert.Equal((20L, 20L), (reader.GetInt64(0), reader.GetInt64(1)));
        }

        // An earlier version kept rows-*.json.gz: the state names it, and it is read as the kept copy.
        var older = Path.Combine(folder.Path, "rows-20250101T000000000-abcdef12.json.gz");
        PortalJson.WriteFile(first.Frame, older);
        File.Delete(parquet);
        var state = Path.Combine(folder.Path, SocrataMirror.StateFileName);
        File.WriteAllText(state, File.ReadAllText(state).Replace(Path.GetFileName(parquet), Path.GetFileName(older), StringComparison.Ordinal));
        fake.Touch(rows[0].Id, r => r["status"] = "Archived");

        var next = await new SocrataMirror(client, FakeSocrata.DatasetId, folder.Path).RefreshAsync();

        Assert.False(next.Full);
        Assert.Equal(20, next.Frame.Rows.Count);
        Assert.Empty(Directory.GetFiles(folder.Path, "rows-*.json.gz"));
        Assert.Single(Directory.GetFiles(folder.Path, "rows-*.parquet"));
        Assert.Equal("Archived", Column(next.Frame, PortalSchema.Status)[rows[0].Id]);
        ServiceRequests.Tests.Portal.PortalParquetTests.AssertSameFrame(next.Frame, IssueData.LoadFile(Directory.GetFiles(folder.Path, "rows-*.parquet").Single()));
    }

    [Fact]
    public async Task A_failed_refresh_leaves_the_previous_copy_and_state_intact()
    {
        await using var fake = await FakeSocrata.StartAsync();
        fake.Put(FakeRows.Sample(10).Select(FakeRows.Json));
        using var folder = new TempFolder();
        using var client = Client(fake);
        await new SocrataMirror(client, FakeSocrata.DatasetId, folder.Path).RefreshAsync();
        var state = File.ReadAllText(Path.Combine(folder.Path, SocrataMirror.StateFileName));
        fake.Intercept = async (context, _) =>
        {
            await FakeSocrata.Error(context, 400, "query.compiler.malformed", "Broken");
            return true;
        };

        await Assert.ThrowsAsync<SocrataException>(() => new SocrataMirror(client, FakeSocrata.DatasetId, folder.Path).RefreshAsync());

        Assert.Equal(state, File.ReadAllText(Path.Combine(folder.Path, SocrataMirror.StateFileName)));
        fake.Intercept = null;
        Assert.Equal(10, (await new SocrataMirror(client, FakeSocrata.DatasetId, folder.Path).RefreshAsync()).Frame.Rows.Count);
    }

    [Fact]
    public async Task The_lookback_re_reads_recent_rows_harmlessly()
    {
        await using var fake = await FakeSocrata.StartAsync();
        var rows = FakeRows.Sample(12);
        fake.Put(rows.Select(FakeRows.Json));
        using var folder = new TempFolder();
        using var client = Client(fake);
        await new SocrataMirror(client, FakeSocrata.DatasetId, folder.Path).RefreshAsync();

        var again = await new SocrataMirror(client, FakeSocrata.DatasetId, folder.Path) { Lookback = TimeSpan.FromHours(1) }.RefreshAsync();

        Assert.Equal(12, again.RowsFetched); // all changed within the hour before the cursor
        Assert.Equal(12, again.Frame.Rows.Count);
        Assert.Equal(rows.Select(r => r.Id).Order(), ((StringDataFrameColumn)again.Frame[PortalSchema.Id]).Order());
    }

    [Fact]
    public void A_copy_holds_whole_rows_so_select_order_and_limit_are_refused()
    {
        using var client = new SocrataClient(new Uri("https://data.example.org/"));
        Assert.Throws<ServiceRequestsException>(() => new SocrataMirror(client, FakeSocrata.DatasetId, "x", new SoqlQuery { Select = "id" }));
        Assert.Throws<ServiceRequestsException>(() => new SocrataMirror(client, FakeSocrata.DatasetId, "x", new SoqlQuery { Limit = 5 }));
        Assert.Throws<ArgumentException>(() => new SocrataMirror(client, "bad", "x"));
    }

    [Fact]
    public async Task An_empty_dataset_gives_an_empty_frame_and_the_next_refresh_is_full()
    {
        await using var fake = await FakeSocrata.StartAsync();
        using var folder = new TempFolder();
        using var client = Client(fake);

        var empty = await new SocrataMirror(client, FakeSocrata.DatasetId, folder.Path).RefreshAsync();
        fake.Put([new JsonObject { ["id"] = "1", ["status"] = "Open" }]);
        var next = await new SocrataMirror(client, FakeSocrata.DatasetId, folder.Path).RefreshAsync();

        Assert.Equal(0, empty.Frame.Rows.Count);
        Assert.Null(empty.Cursor);
        Assert.True(next.Full);
        Assert.Equal(1, next.Frame.Rows.Count);
    }
}
