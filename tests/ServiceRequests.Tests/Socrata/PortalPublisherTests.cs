using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServiceRequests.Portal;
using ServiceRequests.Socrata;
using ServiceRequests.Sync;
using ServiceRequests.TestSupport;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Socrata;

public class PortalPublisherTests
{
    private readonly FastRetry _retry = new();

    private SocrataClient Client(FakeSocrata fake, string password = FakeSocrata.Password, int attempts = 4) =>
        new(fake.Portal, new SocrataClientOptions
        {
            AppToken = null,
            Credentials = new NetworkCredential(FakeSocrata.User, password),
            Retry = _retry.Options(attempts),
        });

    /// <summary>A sync store with a public export of <paramref name="rows"/> and, optionally, deleted ids.</summary>
    internal static string Store(TempFolder folder, IEnumerable<PortalRow> rows, IEnumerable<string>? deleted = null)
    {
        PortalJson.WriteFile(rows, Path.Combine(folder.Path, "public", StoreLayout.PublicJsonFileName));
        if (deleted is not null)
        {
            File.WriteAllLines(Path.Combine(folder.Path, "public", StoreLayout.DeletedFileName),
                ["id,deleted_at", .. deleted.Select(id => $"{id},2026-10-30T12:00:00-04:00")]);
        }
        return folder.Path;
    }

    /// <summary>The export's rows as the portal should hold them (null fields absent), by id.</summary>
    private static Dictionary<string, JsonObject> Expected(string store)
    {
        using var file = File.OpenRead(Path.Combine(store, "public", StoreLayout.PublicJsonFileName));
        return JsonNode.Parse(file)!.AsArray().Select(r => r!.AsObject()).ToDictionary(r => (string)r["id"]!, r => r);
    }

    private static void AssertSame(Dictionary<string, JsonObject> expected, Dictionary<string, JsonObject> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (id, row) in expected)
        {
            Assert.True(JsonNode.DeepEquals(row, actual[id]), $"row {id}: expected {row.ToJsonString()}, portal has {actual[id].ToJsonString()}");
        }
    }

    [Fact]
    public async Task Publishes_the_export_in_batches_and_deletes_listed_ids_still_on_the_portal()
    {
        await using var fake = await FakeSocrata.StartAsync();
        var rows = FakeRows.Sample(25);
        fake.Put([FakeRows.Json(rows[0] with { Id = "gone-1" }), FakeRows.Json(rows[0] with { Id = "gone-2" })]);
        using var folder = new TempFolder();
        var store = Store(folder, rows, ["gone-1", "gone-2", "never-there"]);
        using var client = Client(fake);
        var seen = new List<PublishBatch>();

        var report = await new PortalPublisher(client, FakeSocrata.DatasetId) { BatchSize = 10 }.PublishAsync(store, progress: seen.Add);

        AssertSame(Expected(store), fake.Table());
        Assert.Equal(25, report.RowsUpserted);
        Assert.Equal(3, report.IdsListed);
        Assert.Equal(2, report.IdsDeleted);
        Assert.Equal(
            [(false, 1, 3, 10), (false, 2, 3, 10), (false, 3, 3, 5), (true, 1, 1, 2)],
            seen.Select(b => (b.Deletes, b.Number, b.Of, b.Rows)));
        Assert.Equal(new UpsertResult(10, 0, 0, 0), seen[0].Result);
        Assert.Equal(new UpsertResult(0, 0, 2, 0), seen[3].Result);
    }

    [Theory]
    [InlineData(null, "has no row identifier")]
    [InlineData("web_url", "row identifier is 'web_url'")]
    public async Task A_dataset_whose_row_identifier_is_not_id_is_refused_before_anything_is_sent(string? identifier, string said)
    {
        await using var fake = await FakeSocrata.StartAsync();
        fake.RowIdentifier = identifier;
        using var folder = new TempFolder();
        var store = Store(folder, FakeRows.Sample(5), ["gone-1"]);
        using var client = Client(fake);

        var error = await Assert.ThrowsAsync<ServiceRequestsException>(() => new PortalPublisher(client, FakeSocrata.DatasetId).PublishAsync(store));

        Assert.Contains($"The dataset {FakeSocrata.DatasetId} {said}", error.Message);
        Assert.Contains("set the dataset's row identifier to the column 'id'", error.Message);
        Assert.Contains("Nothing was sent", error.Message);
        Assert.DoesNotContain(fake.Requests, r => r.Method == "POST");
        Assert.Empty(fake.Table());
    }

    [Fact]
    public async Task Publishing_twice_to_a_dataset_without_row_identifier_never_leaves_duplicate_rows()
    {
        await using var fake = await FakeSocrata.StartAsync();
        fake.RowIdentifier = null;
        using var folder = new TempFolder();
        var store = Store(folder, FakeRows.Sample(5));
        using var client = Client(fake);
        var publisher = new PortalPublisher(client, FakeSocrata.DatasetId);

        for (var run = 0; run < 2; run++)
        {
            try
            {
                await publisher.PublishAsync(store);
            }
            catch (ServiceRequestsException)
            {
            }
        }

        var ids = fake.Table().Values.Select(r => (string)r["id"]!).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
    }

    [Fact]
    public async Task Publishing_again_changes_nothing_and_a_value_cleared_in_the_export_is_cleared_on_the_portal()
    {
        await using var fake = await FakeSocrata.StartAsync();
        var rows = FakeRows.Sample(12);
        using var folder = new TempFolder();
        using var client = Client(fake);
        var publisher = new PortalPublisher(client, FakeSocrata.DatasetId) { BatchSize = 5 };
        await publisher.PublishAsync(Store(folder, rows));
        var closed = rows.FindIndex(r => r.ClosedAt is not null);

        // Re-opened: no closed_at, no days_to_close any more.
        rows[closed] = rows[closed] with { Status = "Open", ClosedAt = null, DaysToClose = null };
        var report = await publisher.PublishAsync(Store(folder, rows));

        AssertSame(Expected(folder.Path), fake.Table());
        Assert.False(fake.Table()[rows[closed].Id].ContainsKey(PortalSchema.ClosedAt));
        Assert.All(report.Batches, b => Assert.Equal(0, b.Result!.Created));
    }

    [Fact]
    public async Task A_publish_sends_only_the_rows_that_changed_since_the_portal_confirmed_the_last_one()
    {
        await using var fake = await FakeSocrata.StartAsync();
        var rows = FakeRows.Sample(30);
        using var folder = new TempFolder();
        using var client = Client(fake);
        var publisher = new PortalPublisher(client, FakeSocrata.DatasetId) { BatchSize = 10 };
        var first = await publisher.PublishAsync(Store(folder, rows));
        Assert.Equal((30, 0), (first.RowsUpserted, first.RowsUnchanged));

        rows[3] = rows[3] with { Address = "1 Changed St" };
        rows[17] = rows[17] with { Description = "Changed since" };
        rows.Add(FakeRows.Sample(31)[30] with { Id = "new-1" });
        var seen = new List<PublishBatch>();
        var second = await publisher.PublishAsync(Store(folder, rows), progress: seen.Add);

        Assert.Equal((3, 28), (second.RowsUpserted, second.RowsUnchanged));
        var batch = Assert.Single(seen);
        Assert.Equal(new UpsertResult(1, 2, 0, 0), batch.Result);
        AssertSame(Expected(folder.Path), fake.Table());

        var third = await publisher.PublishAsync(folder.Path);
        Assert.Equal((0, 31), (third.RowsUpserted, third.RowsUnchanged));
        Assert.Empty(third.Batches);
    }

    [Fact]
    public async Task Rows_of_a_batch_the_portal_never_confirmed_are_sent_again_by_the_next_publish()
    {
        await using var fake = await FakeSocrata.StartAsync();
        var rows = FakeRows.Sample(30);
        using var folder = new TempFolder();
        var store = Store(folder, rows);
        // From the second batch on, the portal applies the rows but its answer is lost: unconfirmed.
        fake.LoseUpsertResponse = n => n >= 2;
        using var client = Client(fake, attempts: 2);
        var publisher = new PortalPublisher(client, FakeSocrata.DatasetId) { BatchSize = 10 };
        await Assert.ThrowsAnyAsync<Exception>(() => publisher.PublishAsync(store));
        fake.LoseUpsertResponse = null;
        foreach (var id in rows.Skip(10).Select(r => r.Id))
        {
            fake.Remove(id); // as if they had never arrived
        }

        var again = await publisher.PublishAsync(store);

        Assert.Equal((20, 10), (again.RowsUpserted, again.RowsUnchanged));
        AssertSame(Expected(store), fake.Table());
    }

    [Fact]
    public async Task Neighborhood_and_council_district_the_store_has_no_value_for_are_never_blanked_on_the_portal()
    {
        await using var fake = await FakeSocrata.StartAsync();
        var rows = FakeRows.Sample(6).Select(r => r with { Neighborhood = null, CouncilDistrict = null }).ToList();
        // The portal got these two columns elsewhere (the city's GIS).
        fake.Put([.. rows.Select(r => FakeRows.Json(r with { Neighborhood = "Midtown", CouncilDistrict = 6 }))]);
        rows[0] = rows[0] with { Neighborhood = "Corktown", CouncilDistrict = 5 }; // the store has values for this one
        using var folder = new TempFolder();
        using var client = Client(fake);
        var publisher = new PortalPublisher(client, FakeSocrata.DatasetId);

        await publisher.PublishAsync(Store(folder, rows));

        var table = fake.Table();
        Assert.Equal(("Corktown", "5"), ((string)table[rows[0].Id][PortalSchema.Neighborhood]!, (string)table[rows[0].Id][PortalSchema.CouncilDistrict]!));
        Assert.All(rows.Skip(1), r => Assert.Equal(("Midtown", "6"),
            ((string?)table[r.Id][PortalSchema.Neighborhood], (string?)table[r.Id][PortalSchema.CouncilDistrict])));

        // A value this store sent and then lost is cleared; the other columns it owns are always named.
        rows[0] = rows[0] with { Neighborhood = null, CouncilDistrict = null, ClosedAt = null, DaysToClose = null, Status = "Open" };
        rows[1] = rows[1] with { Status = "Archived" };
        await publisher.PublishAsync(Store(folder, rows));

        table = fake.Table();
        Assert.False(table[rows[0].Id].ContainsKey(PortalSchema.Neighborhood));
        Assert.False(table[rows[0].Id].ContainsKey(PortalSchema.CouncilDistrict));
        Assert.False(table[rows[0].Id].ContainsKey(PortalSchema.ClosedAt));
        Assert.Equal(("Archived", "Midtown", "6"), ((string?)table[rows[1].Id][PortalSchema.Status],
            (string?)table[rows[1].Id][PortalSchema.Neighborhood], (string?)table[rows[1].Id][PortalSchema.CouncilDistrict]));
    }

    [Fact]
    public async Task Resend_all_sends_every_row_after_the_dataset_was_emptied_on_the_portal()
    {
        await using var fake = await FakeSocrata.StartAsync();
        var rows = FakeRows.Sample(8);
        using var folder = new TempFolder();
        var store = Store(folder, rows);
        using var client = Client(fake);
        var publisher = new PortalPublisher(client, FakeSocrata.DatasetId);
        await publisher.PublishAsync(store);
        foreach (var row in rows)
        {
            fake.Remove(row.Id);
        }

        var dry = await publisher.PublishAsync(store, dryRun: true, everyRow: true);
        Assert.Equal((8, 0), (dry.RowsUpserted, dry.RowsUnchanged));
        Assert.Equal(0, (await publisher.PublishAsync(store, dryRun: true)).RowsUpserted);
        var report = await publisher.PublishAsync(store, everyRow: true);

        Assert.Equal(8, report.RowsUpserted);
        AssertSame(Expected(store), fake.Table());
    }

    [Fact]
    public async Task A_record_cut_by_a_kill_or_damaged_only_makes_rows_go_again()
    {
        await using var fake = await FakeSocrata.StartAsync();
        var rows = FakeRows.Sample(5);
        using var folder = new TempFolder();
        var store = Store(folder, rows);
        using var client = Client(fake);
        var publisher = new PortalPublisher(client, FakeSocrata.DatasetId);
        var record = (await publisher.PublishAsync(store)).Record;
        Assert.StartsWith(Path.Combine(folder.Path, PublishRecord.Folder), record);

        // A kill while appending: the last line is cut. That row is sent again; nothing else.
        var lines = File.ReadAllLines(record);
        File.WriteAllText(record, string.Join('\n', lines[..^1]) + "\n" + lines[^1][..10]);
        var afterCut = await publisher.PublishAsync(store);
        Assert.Equal((1, 4), (afterCut.RowsUpserted, afterCut.RowsUnchanged));
        Assert.Null(afterCut.RecordWarning);

        File.WriteAllText(record, "# publish record\nnot a record line\n");
        var afterDamage = await publisher.PublishAsync(store);
        Assert.Equal((5, 0), (afterDamage.RowsUpserted, afterDamage.RowsUnchanged));
        Assert.Contains("line 2: the publish record is damaged", afterDamage.RecordWarning);
        Assert.Equal(0, (await publisher.PublishAsync(store)).RowsUpserted);
        AssertSame(Expected(store), fake.Table());
    }

    [Fact]
    public async Task A_restored_row_is_sent_again_after_its_delete()
    {
        await using var fake = await FakeSocrata.StartAsync();
        var rows = FakeRows.Sample(4);
        using var folder = new TempFolder();
        using var client = Client(fake);
        var publisher = new PortalPublisher(client, FakeSocrata.DatasetId);
        await publisher.PublishAsync(Store(folder, rows));
        await publisher.PublishAsync(Store(folder, rows[1..], [rows[0].Id]));
        Assert.False(fake.Table().ContainsKey(rows[0].Id));

        File.Delete(Path.Combine(folder.Path, "public", StoreLayout.DeletedFileName));
        var report = await publisher.PublishAsync(Store(folder, rows));

        Assert.Equal(1, report.RowsUpserted);
        AssertSame(Expected(folder.Path), fake.Table());
    }

    [Fact]
    public async Task A_publish_interrupted_by_a_failing_server_and_repeated_leaves_the_portal_equal_to_the_export()
    {
        await using var fake = await FakeSocrata.StartAsync();
        var rows = FakeRows.Sample(40);
        using var folder = new TempFolder();
        var store = Store(folder, rows);
        var posts = 0;
        fake.Intercept = async (context, _) =>
        {
            if (context.Request.Method == "POST" && Interlocked.Increment(ref posts) >= 3)
            {
                await FakeSocrata.Error(context, 503, "service_unavailable", "Down for maintenance");
                return true;
            }
            return false;
        };
        using var client = Client(fake, attempts: 3);
        var publisher = new PortalPublisher(client, FakeSocrata.DatasetId) { BatchSize = 10 };

        var error = await Assert.ThrowsAsync<SocrataException>(() => publisher.PublishAsync(store));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(20, fake.Table().Count); // two batches applied before the failure

        fake.Intercept = null;
        await publisher.PublishAsync(store);

        AssertSame(Expected(store), fake.Table());
    }

    [Fact]
    public async Task A_batch_whose_answer_is_lost_is_repeated_safely_including_deletes()
    {
        await using var fake = await FakeSocrata.StartAsync();
        var rows = FakeRows.Sample(15);
        fake.Put([FakeRows.Json(rows[0] with { Id = "old-1" })]);
        using var folder = new TempFolder();
        var store = Store(folder, rows, ["old-1"]);
        fake.LoseUpsertResponse = n => n is 2 or 4; // the second upsert batch (sent again as 3) and the delete batch
        using var client = Client(fake);
        var seen = new List<PublishBatch>();

        await new PortalPublisher(client, FakeSocrata.DatasetId) { BatchSize = 10 }.PublishAsync(store, progress: seen.Add);

        AssertSame(Expected(store), fake.Table());
        Assert.Equal(new UpsertResult(0, 5, 0, 0), seen[1].Result); // the repeat found its rows already there
        var delete = seen.Single(b => b.Deletes);
        Assert.Equal(1, delete.Result!.Errors); // Socrata counts deleting a missing id as an error...
        Assert.Contains("already deleted (checked)", delete.Note); // ...which is verified and accepted
    }

    [Fact]
    public async Task A_batch_the_portal_reports_errors_for_fails_clearly_and_stops()
    {
        // The dataset lacks the neighborhood column, so every row with one is an error.
        await using var fake = await FakeSocrata.StartAsync([.. FakeSocrata.PortalFields.Where(f => f.Field != PortalSchema.Neighborhood)]);
        using var folder = new TempFolder();
        var store = Store(folder, FakeRows.Sample(30));
        using var client = Client(fake);

        var error = await Assert.ThrowsAsync<ServiceRequestsException>(() =>
            new PortalPublisher(client, FakeSocrata.DatasetId) { BatchSize = 10 }.PublishAsync(store));

        Assert.Contains("Upsert batch 1 of 3 (10 changed rows", error.Message);
        Assert.Contains("errors 10", error.Message);
        Assert.Contains("run the publish again", error.Message);
        Assert.Single(fake.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task The_private_table_or_a_file_with_non_public_columns_is_refused_before_anything_is_sent()
    {
        await using var fake = await FakeSocrata.StartAsync();
        using var folder = new TempFolder();
        Store(folder, FakeRows.Sample(5));
        Directory.CreateDirectory(Path.Combine(folder.Path, "private"));
        using var client = Client(fake);
        var publisher = new PortalPublisher(client, FakeSocrata.DatasetId);

        var privateFolder = await Assert.ThrowsAsync<ServiceRequestsException>(() => publisher.PublishAsync(Path.Combine(folder.Path, "private")));
        Assert.Contains("private table", privateFolder.Message);
        var publicFolder = await Assert.ThrowsAsync<ServiceRequestsException>(() => publisher.PublishAsync(Path.Combine(folder.Path, "public")));
        Assert.Contains("store folder", publicFolder.Message);

        var issues = Path.Combine(folder.Path, "public", StoreLayout.PublicJsonFileName);
        var rows = JsonNode.Parse(File.ReadAllText(issues))!.AsArray();
        rows[3]!["reporter_name"] = "Mary Johnson";
        File.WriteAllText(issues, rows.ToJsonString());
        var leak = await Assert.ThrowsAsync<ServiceRequestsException>(() => publisher.PublishAsync(folder.Path));
        Assert.Contains("row 4", leak.Message);
        Assert.Contains("'reporter_name'", leak.Message);
        Assert.Contains("Nothing was sent", leak.Message);
        Assert.DoesNotContain("Mary Johnson", leak.Message);

        Assert.Empty(fake.Requests);
    }

    [Theory]
    [InlineData("""[{"status": "Open"}]""", "no id")]
    [InlineData("""[{"id": "1"}, {"id": "1"}]""", "repeats the id 1")]
    [InlineData("""[{"id": "1\t2"}]""", "control character")]
    [InlineData("""[{"id": "1", "council_district": 5}]""", "expected a string")]
    [InlineData("""[{"id": "1", "location": "POINT (1 2)"}]""", "GeoJSON point")]
    [InlineData("""[{"id": "1"}, 7]""", "not an object")]
    [InlineData("""{"id": "1"}""", "not a JSON array")]
    [InlineData("""[{"id": "1"},""", "not a JSON array")]
    public async Task A_malformed_export_is_refused_naming_the_row(string json, string expected)
    {
        await using var fake = await FakeSocrata.StartAsync();
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "public"));
        File.WriteAllText(Path.Combine(folder.Path, "public", StoreLayout.PublicJsonFileName), json);
        using var client = Client(fake);

        var error = await Assert.ThrowsAsync<ServiceRequestsException>(() => new PortalPublisher(client, FakeSocrata.DatasetId).PublishAsync(folder.Path));

        Assert.Contains(expected, error.Message);
        Assert.Contains(StoreLayout.PublicJsonFileName, error.Message);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task A_bad_deleted_list_is_refused_before_anything_is_sent()
    {
        await using var fake = await FakeSocrata.StartAsync();
        using var folder = new TempFolder();
        Store(folder, FakeRows.Sample(3));
        var deleted = Path.Combine(folder.Path, "public", StoreLayout.DeletedFileName);
        using var client = Client(fake);
        var publisher = new PortalPublisher(client, FakeSocrata.DatasetId);

        File.WriteAllText(deleted, "issue,deleted_at\n1,2026-01-01\n");
        Assert.Contains("header", (await Assert.ThrowsAsync<ServiceRequestsException>(() => publisher.PublishAsync(folder.Path))).Message);
        File.WriteAllText(deleted, "id,deleted_at\n1,2026-01-01\n,2026-01-02\n");
        Assert.Contains("line 3", (await Assert.ThrowsAsync<ServiceRequestsException>(() => publisher.PublishAsync(folder.Path))).Message);
        File.WriteAllText(deleted, "id,deleted_at\n\"1,2026-01-01\n");
        Assert.Contains(StoreLayout.DeletedFileName, (await Assert.ThrowsAsync<ServiceRequestsException>(() => publisher.PublishAsync(folder.Path))).Message);

        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task A_dry_run_checks_and_counts_without_credentials_or_requests()
    {
        await using var fake = await FakeSocrata.StartAsync();
        using var folder = new TempFolder();
        var store = Store(folder, FakeRows.Sample(23), ["1", "2"]);
        using var client = new SocrataClient(fake.Portal, new SocrataClientOptions { AppToken = null, Credentials = null, Retry = _retry.Options() });

        var report = await new PortalPublisher(client, FakeSocrata.DatasetId) { BatchSize = 10 }.PublishAsync(store, dryRun: true);

        Assert.True(report.DryRun);
        Assert.Equal(23, report.RowsUpserted);
        Assert.Equal([10, 10, 3, 2], report.Batches.Select(b => b.Rows));
        Assert.All(report.Batches, b => Assert.Null(b.Result));
        Assert.Empty(fake.Requests);
        await Assert.ThrowsAsync<ServiceRequestsException>(() => new PortalPublisher(client, FakeSocrata.DatasetId).PublishAsync(store));
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task A_missing_export_says_to_run_the_sync()
    {
        using var folder = new TempFolder();
        using var client = new SocrataClient(new Uri("https://data.example.org/"));
        var publisher = new PortalPublisher(client, FakeSocrata.DatasetId);

        var error = await Assert.ThrowsAsync<ServiceRequestsException>(() => publisher.PublishAsync(folder.Path));

        Assert.Contains("sync", error.Message);
        await Assert.ThrowsAsync<ServiceRequestsException>(() => publisher.PublishAsync(Path.Combine(folder.Path, "nope")));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new PortalPublisher(client, FakeSocrata.DatasetId) { BatchSize = 0 }.PublishAsync(folder.Path));
    }

    [Fact]
    public async Task Quotes_and_injection_text_round_trip_through_publish_and_load()
    {
        await using var fake = await FakeSocrata.StartAsync();
        var rows = FakeRows.Sample(3);
        const string hostile = "It's ' OR 1=1 -- \"quoted\"";
        rows[1] = rows[1] with { Description = hostile, RequestTypeTitle = hostile };
        using var folder = new TempFolder();
        using var client = Client(fake);
        await new PortalPublisher(client, FakeSocrata.DatasetId).PublishAsync(Store(folder, rows));

        var frame = await client.LoadAsync(FakeSocrata.DatasetId, new SoqlQuery().RequestTypeIn(hostile));

        Assert.Equal(1, frame.Rows.Count);
        Assert.Equal(rows[1].Id, frame[PortalSchema.Id][0]);
        Assert.Equal(hostile, frame[PortalSchema.Description][0]);
        Assert.Equal(hostile, JsonSerializer.Deserialize<string>(fake.Table()[rows[1].Id][PortalSchema.Description]!.ToJsonString()));
    }
}
