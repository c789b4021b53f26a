using System.Text;
using ServiceRequests.Portal;
using ServiceRequests.Sample;
using ServiceRequests.Socrata;

namespace ServiceRequests.Tests.Portal;

public class PortalJsonTests
{
    [Fact]
    public void Writes_the_socrata_json_shape()
    {
        var row = new PortalRow
        {
            Id = "7", Status = "Open", RequestTypeTitle = "Potholes",
            CreatedAt = new DateTime(2017, 3, 5, 14, 2, 11), UpdatedAt = new DateTime(2017, 3, 5, 14, 2, 11),
            CouncilDistrict = 5, DaysToClose = 1.25, Latitude = 42.33, Longitude = -83.05,
        };
        using var stream = new MemoryStream();
        PortalJson.Write([row], stream);
        var json = Encoding.UTF8.GetString(stream.ToArray());

        Assert.StartsWith("[\n{", json);
        Assert.Contains("\"created_at\":\"2017-03-05T14:02:11.000\"", json);
        Assert.Contains("\"council_district\":\"5\"", json);
        Assert.Contains("\"days_to_close\":\"1.25\"", json);
        Assert.Contains("\"location\":{\"type\":\"Point\",\"coordinates\":[-83.05,42.33]}", json);
        Assert.DoesNotContain("closed_at", json); // null fields are left out, as the portal does
    }

    [Fact]
    public void Written_rows_load_back_identically()
    {
        var rows = SampleGenerator.Generate(new SampleOptions { Issues = 500, Seed = 9 }).Select(i => i.ToPortalRow()).ToList();
        using var folder = new Infrastructure.TempFolder();
        var path = folder.File("rows.json.gz");
        PortalJson.WriteFile(rows, path);

        var frame = IssueData.LoadFile(path);

        Assert.Equal(rows.Count, frame.Rows.Count);
        for (var i = 0; i < rows.Count; i += 37)
        {
            var r = rows[i];
            Assert.Equal(r.Id, frame[PortalSchema.Id][i]);
            Assert.Equal(r.RequestTypeTitle, frame[PortalSchema.RequestTypeTitle][i]);
            Assert.Equal(r.CreatedAt, frame[PortalSchema.CreatedAt][i]);
            Assert.Equal(r.ClosedAt, (DateTime?)frame[PortalSchema.ClosedAt][i]);
            Assert.Equal(r.DaysToClose, (double?)frame[PortalSchema.DaysToClose][i]);
            Assert.Equal(r.CanonicalIssueId, (long?)frame[PortalSchema.CanonicalIssueId][i]);
            Assert.Equal(r.CouncilDistrict, (int?)frame[PortalSchema.CouncilDistrict][i]);
            Assert.Equal(r.Latitude, (double?)frame[PortalSchema.Latitude][i]);
            Assert.Equal(r.Description, frame[PortalSchema.Description][i]);
        }
    }

    [Fact]
    public void A_portal_shaped_frame_is_written_back_as_the_same_json()
    {
        var rows = SampleGenerator.Generate(new SampleOptions { Issues = 300, Seed = 3 }).Select(i => i.ToPortalRow()).ToList();
        using var original = new MemoryStream();
        PortalJson.Write(rows, original);
        using var folder = new Infrastructure.TempFolder();
        var path = folder.File("frame.json.gz");
        PortalJson.WriteFile(rows, path);

        using var rewritten = new MemoryStream();
        PortalJson.Write(IssueData.LoadFile(path), rewritten);

        Assert.Equal(Encoding.UTF8.GetString(original.ToArray()), Encoding.UTF8.GetString(rewritten.ToArray()));
    }

    [Fact]
    public void A_frame_without_a_portal_column_is_refused_naming_it()
    {
        var frame = IssueData.LoadFile(Infrastructure.RepoPaths.Of("data", "improve-detroit-sample.json.gz"));
        frame.Columns.Remove(PortalSchema.Longitude);

        var error = Assert.Throws<ArgumentException>(() => PortalJson.Write(frame, Stream.Null));

        Assert.Contains("longitude", error.Message);
    }
}
