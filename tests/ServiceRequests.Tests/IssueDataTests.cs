using System.IO.Compression;
using Microsoft.Data.Analysis;
using ServiceRequests.Metrics;
using ServiceRequests.Portal;
using ServiceRequests.Sample;
using ServiceRequests.Socrata;
using ServiceRequests.TestSupport;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests;

/// <summary>The bundled sample: its documented properties (data/README.md) and its loader.</summary>
public class IssueDataTests
{
    private static readonly Lazy<DataFrame> Sample = new(() => IssueData.Load(RepoPaths.Of("data", "improve-detroit-sample.json.gz")));

    [Fact]
    public void The_sample_has_50000_issues_over_the_documented_two_years()
    {
        var frame = Sample.Value;
        Assert.Equal(50_000, frame.Rows.Count);
        Assert.Equal(PortalSchema.FrameColumnNames, frame.Columns.Select(c => c.Name));
        var created = (DateTimeDataFrameColumn)frame[PortalSchema.CreatedAt];
        Assert.Equal(0, created.NullCount);
        Assert.Equal(new DateOnly(2024, 11, 3), DateOnly.FromDateTime((DateTime)created.Min()));
        Assert.Equal(new DateOnly(2026, 10, 31), DateOnly.FromDateTime((DateTime)created.Max()));
        var ids = (StringDataFrameColumn)frame[PortalSchema.Id];
        Assert.Equal(50_000, ids.Distinct().Count());
    }

    [Fact]
    public void Duplicates_reopens_and_open_issues_are_a_few_percent()
    {
        var frame = Sample.Value;
        double Share(string column) => 1.0 - (double)frame[column].NullCount / frame.Rows.Count;
        Assert.InRange(Share(PortalSchema.CanonicalIssueId), 0.02, 0.06);
        Assert.InRange(Share(PortalSchema.ReopenedAt), 0.01, 0.05);
        Assert.InRange(1 - Share(PortalSchema.ClosedAt), 0.03, 0.15);
        var districts = ((Int32DataFrameColumn)frame[PortalSchema.CouncilDistrict]).Where(d => d.HasValue).Select(d => d!.Value).Distinct().Order();
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], districts);
    }

    [Fact]
    public void Every_request_type_in_the_sample_has_an_SLA_row()
    {
        var sla = SlaTable.Load(RepoPaths.Of("data", "sla.csv"));
        var types = ((StringDataFrameColumn)Sample.Value[PortalSchema.RequestTypeTitle]).Distinct().ToList();
        Assert.True(types.Count >= 25, $"only {types.Count} request types");
        Assert.All(types, t => Assert.NotNull(sla.Find(t)));
    }

    [Fact]
    public void Redacted_types_have_no_description_address_or_location_and_no_reporter_data_is_present()
    {
        var frame = Sample.Value;
        var types = (StringDataFrameColumn)frame[PortalSchema.RequestTypeTitle];
        for (long i = 0; i < frame.Rows.Count; i++)
        {
            if (PublicRedaction.Default.IsRedacted(types[i]))
            {
                Assert.Null(frame[PortalSchema.Description][i]);
                Assert.Null(frame[PortalSchema.Address][i]);
                Assert.Null(frame[PortalSchema.Latitude][i]);
            }
        }
        using var gzip = new GZipStream(File.OpenRead(RepoPaths.Of("data", "improve-detroit-sample.json.gz")), CompressionMode.Decompress);
        var text = new StreamReader(gzip).ReadToEnd();
        Assert.DoesNotContain("@example.com", text);
        Assert.DoesNotContain("313-555-", text);
        Assert.DoesNotContain("reporter", text);
    }

    [Fact]
    public void The_bundled_file_is_exactly_what_the_documented_generate_command_writes()
    {
        using var folder = new TempFolder();
        var path = folder.File("regenerated.json.gz");
        PortalJson.WriteFile(SampleGenerator.Generate(new SampleOptions()).Select(i => i.ToPortalRow()), path);

        static byte[] Unzip(string p)
        {
            using var gzip = new GZipStream(File.OpenRead(p), CompressionMode.Decompress);
            using var memory = new MemoryStream();
            gzip.CopyTo(memory);
            return memory.ToArray();
        }
        Assert.True(Unzip(path).AsSpan().SequenceEqual(Unzip(RepoPaths.Of("data", "improve-detroit-sample.json.gz"))),
            "data/improve-detroit-sample.json.gz differs from `generate` with default options: regenerate it (see data/README.md).");
    }

    [Fact]
    public void Sample_is_found_from_a_subfolder_and_a_missing_file_is_named()
    {
        Assert.EndsWith(Path.Combine("data", "improve-detroit-sample.json.gz"), IssueData.FindSample());
        var error = Assert.Throws<ServiceRequestsException>(() => IssueData.Load("no/such/file.json"));
        Assert.Contains("file.json", error.Message);
    }

    [Fact]
    public async Task LoadAsync_reads_the_sample_a_file_or_a_live_resource_address_into_the_portal_shape()
    {
        await using var fake = await FakeSocrata.StartAsync();
        var rows = FakeRows.Sample(40);
        fake.Put(rows.Select(FakeRows.Json));
        using var folder = new TempFolder();
        var file = folder.File("rows.json");
        PortalJson.WriteFile(rows, file);
        var options = new IssueLoadOptions { Socrata = new SocrataClientOptions { AppToken = null, PageSize = 15 } };

        var sample = await IssueData.LoadAsync("SAMPLE");
        var local = await IssueData.LoadAsync(file);
        var live = await IssueData.LoadAsync(fake.Resource.ToString(), options);
        var filtered = await IssueData.LoadAsync($"{fake.Resource}?$where=status%20%3D%20'{rows[0].Status}'&$order=created_at", options);

        Assert.Equal(50_000, sample.Rows.Count);
        Assert.Equal(40, local.Rows.Count);
        Assert.Equal(40, live.Rows.Count);
        Assert.Equal(PortalSchema.FrameColumnNames, live.Columns.Select(c => c.Name));
        Assert.Equal(rows.Select(r => r.Id).Order(), ((StringDataFrameColumn)live[PortalSchema.Id]).Order());
        Assert.Equal(rows.Count(r => r.Status == rows[0].Status), filtered.Rows.Count);
        Assert.Contains(fake.Queries, q => q.Contains("$order=created_at, :id"));
    }

    [Fact]
    public async Task LoadAsync_with_a_cache_folder_downloads_only_what_changed()
    {
        await using var fake = await FakeSocrata.StartAsync();
        var rows = FakeRows.Sample(20);
        fake.Put(rows.Select(FakeRows.Json));
        using var folder = new TempFolder();
        var options = new IssueLoadOptions { CacheFolder = folder.Path, Socrata = new SocrataClientOptions { AppToken = null } };

        var first = await IssueData.LoadAsync(fake.Resource.ToString(), options);
        var firstQueries = fake.Queries.Count();
        fake.Touch(rows[0].Id, r => r["status"] = "Open");
        var second = await IssueData.LoadAsync(fake.Resource.ToString(), options);
        var full = await IssueData.LoadAsync(fake.Resource.ToString(), new IssueLoadOptions { CacheFolder = folder.Path, FullRefresh = true, Socrata = options.Socrata });

        Assert.Equal(20, first.Rows.Count);
        Assert.Equal(20, second.Rows.Count);
        Assert.Equal(20, full.Rows.Count);
        Assert.Contains(":updated_at >", fake.Queries.ElementAt(firstQueries));
        Assert.DoesNotContain(":updated_at >", fake.Queries.Last());
        Assert.True(File.Exists(Path.Combine(folder.Path, SocrataMirror.StateFileName)));
    }

    [Theory]
    [InlineData("https://example.org/arcgis/rest/services/x/MapServer/0", typeof(ServiceRequestsException))]
    [InlineData("https://data.example.org/resource/abcd-1234.csv", typeof(ServiceRequestsException))]
    [InlineData("missing-file.json", typeof(ServiceRequestsException))]
    public async Task LoadAsync_says_what_it_cannot_load(string source, Type error)
    {
        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => IssueData.LoadAsync(source));
        Assert.IsType(error, thrown);
    }
}
