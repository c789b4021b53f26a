using System.Text.Json;
using Microsoft.Data.Analysis;
using Plotly.NET;
using ServiceRequests.Geo;
using ServiceRequests.Reports;
using ServiceRequests.Tests.Geo;

namespace ServiceRequests.Tests.Reports;

/// <summary>The choropleth's JSON: one filled shape per area, coloured by value, nothing that needs the network.</summary>
public class AreaMapTests
{
    private static readonly BoundaryLayer Layer = BoundaryLayer.Parse(BoundaryLayerTests.Collection(
        BoundaryLayerTests.Feature("city", BoundaryLayerTests.Polygon([(0, 40), (10, 40), (10, 50), (0, 50)], [(4, 44), (4, 46), (6, 46), (6, 44)])),
        BoundaryLayerTests.Feature("island", BoundaryLayerTests.Polygon([(4.5, 44.5), (5.5, 44.5), (5.5, 45.5), (4.5, 45.5)])),
        BoundaryLayerTests.Feature("east", BoundaryLayerTests.Polygon([(10, 40), (12, 40), (12, 50), (10, 50)]))), "name");

    private static readonly DataFrame Table = new(
        new StringDataFrameColumn("neighborhood", ["City", "island", "elsewhere"]),
        new DoubleDataFrameColumn("issues_per_1000_residents", [1.0, 5.0, 9.0]),
        new StringDataFrameColumn("note", ["a", "b", "c"]));

    private static (JsonElement[] Traces, JsonElement Layout, string Json) Parse(GenericChart chart)
    {
        var text = GenericChart.toJson(chart);
        using var json = JsonDocument.Parse(text);
        return ([.. json.RootElement.GetProperty("data").EnumerateArray().Select(e => e.Clone())], json.RootElement.GetProperty("layout").Clone(), text);
    }

    [Fact]
    public void Every_area_is_a_filled_shape_coloured_by_its_value_and_the_rest_grey()
    {
        var (traces, layout, json) = Parse(IssueCharts.AreaMap(Layer, Table, "issues_per_1000_residents", "Issues per 1,000 residents"));

        var shapes = traces.Where(t => t.TryGetProperty("fill", out _)).ToList();
        Assert.Equal(["city", "island", "east"], shapes.Select(t => t.GetProperty("name").GetString()));
        Assert.All(shapes, t => Assert.Equal("toself", t.GetProperty("fill").GetString()));
        // The scale starts at 0 (viridis, light to dark): 1 of 5 is light, not the palette's end; the highest gets its last colour; no value is grey.
        Assert.Equal(["rgb(153,216,61)", "rgb(62,73,137)", "#d9d9d9"], shapes.Select(t => t.GetProperty("fillcolor").GetString()));
        Assert.Equal(["city: 1", "island: 5", "east: no data"], shapes.Select(t => t.GetProperty("text").GetString()));
        // The city's shell and its hole are one path, the hole wound the other way (so the fill leaves it empty).
        var x = shapes[0].GetProperty("x").EnumerateArray().ToList();
        Assert.Equal(5 + 1 + 5, x.Count);
        Assert.Equal(JsonValueKind.Null, x[5].ValueKind);
        var colourBar = traces.Single(t => t.TryGetProperty("marker", out var m) && m.TryGetProperty("showscale", out _)).GetProperty("marker");
        Assert.True(colourBar.GetProperty("showscale").GetBoolean());
        Assert.Equal([0.0, 5.0], colourBar.GetProperty("color").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal("Issues per 1,000 residents", layout.GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("x", layout.GetProperty("yaxis").GetProperty("scaleanchor").GetString());
        Assert.Equal(1 / Math.Cos(45 * Math.PI / 180), layout.GetProperty("yaxis").GetProperty("scaleratio").GetDouble(), 9);
        // Plain scatter traces and no geo subplot, nothing fetched: plotly.js geo traces download topojson from a CDN.
        Assert.All(traces, t => Assert.Equal("scatter", t.GetProperty("type").GetString()));
        Assert.False(layout.TryGetProperty("geo", out _));
        Assert.DoesNotContain("http", json, StringComparison.Ordinal);
    }

    [Fact]
    public void The_2026_districts_are_named_on_the_map()
    {
        var table = new DataFrame(new StringDataFrameColumn("council_district", ["1", "2", "3", "4", "5", "6", "7"]), new Int32DataFrameColumn("num_issues", [7, 6, 5, 4, 3, 2, 1]));
        var (_, layout, _) = Parse(IssueCharts.AreaMap(BoundaryLayer.CouncilDistricts2026, table, "num_issues"));

        var names = layout.GetProperty("annotations").EnumerateArray().ToList();
        Assert.Equal(["1", "2", "3", "4", "5", "6", "7"], names.Select(n => n.GetProperty("text").GetString()));
        // Every name sits inside its own district.
        Assert.Equal(["1", "2", "3", "4", "5", "6", "7"], names.Select(n => BoundaryLayer.CouncilDistricts2026.Locate(n.GetProperty("x").GetDouble(), n.GetProperty("y").GetDouble())));
    }

    [Fact]
    public void A_difference_map_centres_on_the_city_with_one_meaning_of_orange_and_mutes_what_chance_explains()
    {
        // The city takes 11.17 days; "city" is a third of a day slower and distinguishable, "island" within chance, "east" small and faster.
        var difference = new DataFrame(
            new StringDataFrameColumn("neighborhood", ["city", "island", "east"]),
            new DoubleDataFrameColumn("adjusted_mean_days_to_close", [11.5, 11.2, 10.0]),
            new DoubleDataFrameColumn("diff_mean_days_to_close", [0.33, 0.03, -1.17]),
            new DoubleDataFrameColumn("diff_mean_days_to_close_low", [0.1, -0.4, -2.0]),
            new DoubleDataFrameColumn("diff_mean_days_to_close_high", [0.56, 0.46, -0.3]),
            new DoubleDataFrameColumn("adjusted_perc_within_sla", [60.0, 67.0, 75.0]),
            new DoubleDataFrameColumn("diff_perc_within_sla", [-7.0, 0.0, 8.0]),
            new DoubleDataFrameColumn("diff_perc_within_sla_low", [-9.0, -1.0, 2.0]),
            new DoubleDataFrameColumn("diff_perc_within_sla_high", [-5.0, 1.0, 14.0]),
            new BooleanDataFrameColumn("small_area", [false, false, true]));

        var (days, daysLayout, json) = Parse(IssueCharts.DifferenceMap(Layer, difference, "mean_days_to_close"));
        var (share, _, _) = Parse(IssueCharts.DifferenceMap(Layer, difference, "perc_within_sla"));

        static string[] Fills(JsonElement[] traces) => [.. traces.Where(t => t.TryGetProperty("fill", out _)).Select(t => t.GetProperty("fillcolor").GetString()!)];
        static bool Orange(string rgb) => rgb.StartsWith("rgb(", StringComparison.Ordinal) && rgb[4..^1].Split(',').Select(int.Parse).ToArray() is [var r, _, var b] && r > b;
        static bool Blue(string rgb) => rgb.StartsWith("rgb(", StringComparison.Ordinal) && rgb[4..^1].Split(',').Select(int.Parse).ToArray() is [var r, _, var b] && b > r;
        // Slower (more days) and a lower share are both orange; faster and a higher share both blue; within chance grey.
        Assert.True(Orange(Fills(days)[0]), Fills(days)[0]);
        Assert.Equal("#eeeeee", Fills(days)[1]);
        Assert.True(Blue(Fills(days)[2]), Fills(days)[2]);
        Assert.True(Orange(Fills(share)[0]), Fills(share)[0]);
        Assert.Equal("#eeeeee", Fills(share)[1]);
        Assert.True(Blue(Fills(share)[2]), Fills(share)[2]);
        // A third of a day is not dark: the scale spans the largest difference (1.17 days), centred on 0.
        var bar = days.Single(t => t.GetProperty("mode").GetString() == "markers").GetProperty("marker");
        Assert.Equal([-1.17, 1.17], bar.GetProperty("color").EnumerateArray().Select(v => v.GetDouble()));
        // Labels: the difference, "≈ city", and a mark on the small area; a footnote says what the colours mean.
        var labels = daysLayout.GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("text").GetString()).ToList();
        Assert.Equal(["city<br>+0.33 days", "island<br>≈ city", "east*<br>−1.17 days"], labels.Take(3));
        Assert.Contains("orange is worse, blue is better", labels[3]);
        Assert.Contains("against the city (11.17 days)", daysLayout.GetProperty("title").GetProperty("text").GetString());
        Assert.Contains("95 % interval +0.1 to +0.56 days", json);
        Assert.Throws<ArgumentException>(() => IssueCharts.DifferenceMap(Layer, difference, "median_days_to_close"));
    }

    [Fact]
    public void A_missing_or_text_column_is_refused()
    {
        Assert.Contains("'population'", Assert.Throws<ArgumentException>(() => IssueCharts.AreaMap(Layer, Table, "population")).Message);
        Assert.Contains("not numeric", Assert.Throws<ArgumentException>(() => IssueCharts.AreaMap(Layer, Table, "note")).Message);
    }
}
