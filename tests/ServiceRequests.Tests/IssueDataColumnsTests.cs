using DuckDB.NET.Data;
using Microsoft.Data.Analysis;
using ServiceRequests.Metrics;
using ServiceRequests.Portal;
using ServiceRequests.Socrata;
using ServiceRequests.TestSupport;
using ServiceRequests.Tests.Infrastructure;
using ServiceRequests.Tests.Portal;

namespace ServiceRequests.Tests;

/// <summary><see cref="IssueLoadOptions.Columns"/>: a load of only the columns a computation needs, from every kind of source.</summary>
public class IssueDataColumnsTests
{
    private static readonly Lazy<DataFrame> Rows = new(() => PortalParquet.ToFrame(FakeRows.Sample(2_500, seed: 21)));

    private static (string Json, string Parquet) Files(TempFolder folder)
    {
        var json = folder.File("issues.json");
        PortalJson.WriteFile(Rows.Value, json);
        var parquet = folder.File("issues.parquet");
        using (var file = File.Create(parquet))
        {
            PortalParquet.Write(Rows.Value, file);
        }
        return (json, parquet);
    }

    private static DataFrame Only(DataFrame frame, IEnumerable<string> names)
    {
        var set = names.ToHashSet();
        return new DataFrame(frame.Columns.Where(c => set.Contains(c.Name)).Select(c => c.Clone()));
    }

    [Fact]
    public async Task Json_and_parquet_files_load_only_the_columns_asked_for_in_the_shape_order_with_the_same_values()
    {
        using var folder = new TempFolder();
        var (json, parquet) = Files(folder);
        var full = IssueData.LoadFile(json);
        string[] asked = [PortalSchema.CreatedAt, PortalSchema.Id, PortalSchema.CouncilDistrict];

        foreach (var path in new[] { json, parquet, json + ".gz" })
        {
            if (path.EndsWith(".gz", StringComparison.Ordinal))
            {
                PortalJson.WriteFile(Rows.Value, path);
            }
            var narrow = await IssueData.LoadAsync(path, new IssueLoadOptions { Columns = asked });

            Assert.Equal([PortalSchema.Id, PortalSchema.CreatedAt, PortalSchema.CouncilDistrict], narrow.Columns.Select(c => c.Name));
            PortalParquetTests.AssertSameFrame(Only(full, asked), narrow);
        }
    }

    [Fact]
    public async Task The_metrics_give_the_same_tables_from_their_input_columns_as_from_every_column()
    {
        using var folder = new TempFolder();
        var (json, parquet) = Files(folder);
        var sla = SlaTable.Load(RepoPaths.Of(SlaTable.DefaultRelativePath));
        var full = new IssueMetrics(IssueData.LoadFile(json), sla);

        foreach (var path in new[] { json, parquet })
        {
            var narrow = await IssueData.LoadAsync(path, new IssueLoadOptions { Columns = IssueMetrics.InputColumns });
            Assert.Equal(IssueMetrics.InputColumns.Order(), narrow.Columns.Select(c => c.Name).Order());
            var metrics = new IssueMetrics(narrow, sla);
            PortalParquetTests.AssertSameFrame(full.OpenedByWeek(), metrics.OpenedByWeek());
            PortalParquetTests.AssertSameFrame(full.TimeToClose(), metrics.TimeToClose());
            PortalParquetTests.AssertSameFrame(full.Changes(), metrics.Changes());
        }
    }

    [Fact]
    public async Task Location_stands_for_latitude_and_longitude()
    {
        using var folder = new TempFolder();
        var (json, parquet) = Files(folder);
        foreach (var path in new[] { json, parquet })
        {
            var points = await IssueData.LoadAsync(path, new IssueLoadOptions { Columns = [PortalSchema.Location] });
            Assert.Equal([PortalSchema.Latitude, PortalSchema.Longitude], points.Columns.Select(c => c.Name));
            var latitude = await IssueData.LoadAsync(path, new IssueLoadOptions { Columns = [PortalSchema.Latitude] });
            Assert.Equal([PortalSchema.Latitude], latitude.Columns.Select(c => c.Name));
            Assert.Equal(IssueData.LoadFile(json)[PortalSchema.Latitude].Cast<double?>(), latitude[PortalSchema.Latitude].Cast<double?>());
        }
    }

    [Fact]
    public async Task A_name_that_is_not_a_portal_column_is_refused_naming_it()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => IssueData.LoadAsync("sample", new IssueLoadOptions { Columns = [PortalSchema.Status, "request_type"] }));
        Assert.Contains("'request_type'", error.Message);
        Assert.Contains(PortalSchema.RequestTypeTitle, error.Message);
    }

    [Fact]
    public async Task A_parquet_file_without_the_other_columns_loads_the_asked_ones_and_names_a_missing_asked_one()
    {
        using var folder = new TempFolder();
        var (_, parquet) = Files(folder);
        var narrowFile = folder.File("narrow.parquet");
        using (var duck = new DuckDBConnection("DataSource=:memory:"))
        {
            duck.Open();
            using var command = duck.CreateCommand();
            command.CommandText = $"COPY (SELECT {string.Join(", ", IssueMetrics.InputColumns)} FROM read_parquet('{parquet}')) TO '{narrowFile}' (FORMAT parquet)";
            command.ExecuteNonQuery();
        }

        var narrow = await IssueData.LoadAsync(narrowFile, new IssueLoadOptions { Columns = IssueMetrics.InputColumns });
        Assert.Equal(Rows.Value.Rows.Count, narrow.Rows.Count);
        var error = await Assert.ThrowsAsync<ServiceRequestsException>(() => IssueData.LoadAsync(narrowFile, new IssueLoadOptions { Columns = [PortalSchema.Status, PortalSchema.Address] }));
        Assert.True(error.Message.StartsWith($"{narrowFile}: column 'address' is missing", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public async Task The_sample_and_a_live_source_are_narrowed_too()
    {
        await using var fake = await FakeSocrata.StartAsync();
        fake.Put(FakeRows.Sample(30).Select(FakeRows.Json));
        string[] asked = [PortalSchema.Status, PortalSchema.Neighborhood];

        var sample = await IssueData.LoadAsync("sample", new IssueLoadOptions { Columns = asked });
        var live = await IssueData.LoadAsync(fake.Resource.ToString(), new IssueLoadOptions { Columns = asked, Socrata = new SocrataClientOptions { AppToken = null } });

        Assert.Equal(asked, sample.Columns.Select(c => c.Name));
        Assert.Equal(50_000, sample.Rows.Count);
        Assert.Equal(asked, live.Columns.Select(c => c.Name));
        Assert.Equal(30, live.Rows.Count);
    }
}
