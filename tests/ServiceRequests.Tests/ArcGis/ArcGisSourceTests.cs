using Microsoft.Data.Analysis;
using ServiceRequests.ArcGis;
using ServiceRequests.Metrics;
using ServiceRequests.Portal;
using ServiceRequests.Sample;
using ServiceRequests.Socrata;
using ServiceRequests.TestSupport;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.ArcGis;

/// <summary>The FeatureServer layer as a notebook data source: <see cref="IssueData.LoadAsync"/> with a layer address.</summary>
public class ArcGisSourceTests
{
    private readonly FastRetry _retry = new();

    private IssueLoadOptions Options(FeatureFieldMapping? fields = null) => new()
    {
        ArcGis = new FeatureLayerOptions { Token = null, Retry = _retry.Options(), Fields = fields ?? FeatureFieldMapping.Detroit },
    };

    /// <summary>
    /// Generated issues as the portal publishes them, minus the columns Detroit's layer does not
    /// carry (description, web address); the duplicate link travels in an extra layer field.
    /// </summary>
    private static List<PortalRow> Rows(int issues) =>
        [.. SampleGenerator.Generate(new SampleOptions { Issues = issues })
            .Select(i => i.ToPortalRow() with { Description = null, WebUrl = null })];

    private static async Task<FakeFeatureServer> LayerOf(IEnumerable<PortalRow> rows)
    {
        var fake = await FakeFeatureServer.StartAsync([.. FakeFeatureServer.DetroitFields, ("duplicate_of", "esriFieldTypeInteger")]);
        fake.Add(rows.Select(r =>
        {
            var attributes = FakeFeatureServer.Attributes(r);
            attributes["duplicate_of"] = r.CanonicalIssueId;
            return attributes;
        }));
        return fake;
    }

    [Fact]
    public async Task The_layer_loads_the_same_frame_and_metrics_as_the_same_rows_in_portal_JSON()
    {
        var rows = Rows(2500);
        Assert.Contains(rows, r => r.CanonicalIssueId is not null);
        Assert.Contains(rows, r => r.ReopenedAt is not null);
        using var temp = new TempFolder();
        var path = temp.File("portal.json");
        PortalJson.WriteFile(rows, path);
        await using var fake = await LayerOf(rows);

        var fromJson = await IssueData.LoadAsync(path);
        var fromLayer = await IssueData.LoadAsync(fake.Layer.ToString(),
            Options(FeatureFieldMapping.Detroit.With(PortalSchema.CanonicalIssueId, "duplicate_of")));

        Assert.Equal(3, fake.FeatureQueries.Count());
        Assert.Equal(fromJson.Columns.Select(c => (c.Name, c.DataType)), fromLayer.Columns.Select(c => (c.Name, c.DataType)));
        foreach (var column in fromJson.Columns)
        {
            Assert.True(column.Cast<object?>().SequenceEqual(fromLayer[column.Name].Cast<object?>()), $"column {column.Name} differs");
        }

        var sla = SlaTable.Load(RepoPaths.Of("data", "sla.csv"));
        var expected = new IssueMetrics(fromJson, sla);
        var actual = new IssueMetrics(fromLayer, sla);
        Assert.Equal(expected.AsOf, actual.AsOf);
        Assert.Equal(Text(expected.Stats()), Text(actual.Stats()));
        Assert.Equal(Text(expected.OpenedByWeek()), Text(actual.OpenedByWeek()));
        Assert.Equal(Text(expected.OpenedByMonth()), Text(actual.OpenedByMonth()));
        Assert.Equal(Text(expected.TimeToClose()), Text(actual.TimeToClose()));
        Assert.Equal(Text(expected.SlaCompliance()), Text(actual.SlaCompliance()));
        Assert.Equal(Text(expected.Reopened()), Text(actual.Reopened()));
        Assert.Equal(Text(expected.Duplicates()), Text(actual.Duplicates()));
    }

    [Fact]
    public async Task A_where_in_the_address_narrows_the_load()
    {
        var rows = Rows(300);
        await using var fake = await LayerOf(rows);
        var type = rows[0].RequestTypeTitle!;

        var frame = await IssueData.LoadAsync(fake.Layer + "/query?where=" + Uri.EscapeDataString($"request_type = {FeatureQuery.Text(type)}"), Options());

        Assert.Equal(rows.Count(r => r.RequestTypeTitle == type), frame.Rows.Count);
        Assert.All(frame[PortalSchema.RequestTypeTitle].Cast<string>(), t => Assert.Equal(type, t));
    }

    [Fact]
    public async Task Other_web_addresses_are_still_refused_with_the_sources_listed()
    {
        var error = await Assert.ThrowsAsync<ServiceRequestsException>(() => IssueData.LoadAsync("https://example.com/arcgis/rest/services/x/MapServer/0"));

        Assert.Contains("FeatureServer", error.Message);
    }

    /// <summary>A metrics table as lines of text, column names first: compares every value and type name.</summary>
    private static List<string> Text(DataFrame frame)
    {
        var lines = new List<string> { string.Join('|', frame.Columns.Select(c => $"{c.Name}:{c.DataType.Name}")) };
        for (long row = 0; row < frame.Rows.Count; row++)
        {
            lines.Add(string.Join('|', frame.Columns.Select(c => Convert.ToString(c[row], System.Globalization.CultureInfo.InvariantCulture))));
        }
        return lines;
    }
}
