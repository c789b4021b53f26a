using System.Text;
using ServiceRequests.SeeClickFix;
using ServiceRequests.TestSupport;

namespace ServiceRequests.Tests.SeeClickFix;

public class IssueJsonTests
{
    private static readonly Uri Address = new("https://seeclickfix.com/api/v2/issues?place_url=detroit&page=1");

    // The documented detail shape (dev.seeclickfix.com lib/resources.rb): rating as a string, comment_count, api_url, point.
    private const string Documented = """
        {"issues": [{"id": 1, "rating": "5", "api_url": "https://seeclickfix.com/api/v2/issues/1", "html_url": "http://seeclickfix.com/issues/1-pothole",
          "status": "Open", "summary": "Pothole", "description": "Please fix my neighborhood.",
          "questions": [{"question": "How deep is the pothole?", "answer": "Shallow"}],
          "reporter": {"id": 1, "name": "captainkickstand", "civic_points": 10}, "assignee": {"id": 2, "name": "Jeffb", "role": "Verified Official"},
          "comment_count": 5, "comments": [{"id": 1, "comment": "Me too", "commenter": {"id": 1, "name": "x"}, "created_at": "2011-04-14T16:00:49Z"}],
          "vote_count": 2, "closed_at": null, "acknowledged_at": null,
          "point": {"type": "Point", "coordinates": [-72.234234234, 42.30293]}, "address": "123 State St. New Haven, CT",
          "created_at": "2011-04-22T13:33:48Z", "updated_at": "2011-04-22T13:33:48-04:00",
          "priority": {"code": 2}, "canonical_issue": {"id": 77}, "request_type": {"id": 121, "title": "Abandoned Auto", "organization": "City"},
          "media": {"image_full": "f.jpg", "image_square_100x100": "s.jpg", "video_url": null}}],
         "metadata": {"pagination": {"entries": 1, "page": 1, "per_page": 20, "pages": 1, "next_page": null, "next_page_url": null}}, "errors": {}}
        """;

    [Fact]
    public void Reads_the_documented_issue_shape()
    {
        var page = IssueJson.ParsePage(Encoding.UTF8.GetBytes(Documented), Address, 1);
        var i = Assert.Single(page.Issues);
        Assert.Equal(5, i.Rating);
        Assert.Equal(5, i.CommentsCount);
        Assert.Equal("https://seeclickfix.com/api/v2/issues/1", i.Url);
        Assert.Equal(42.30293, i.Lat);
        Assert.Equal(-72.234234234, i.Lng);
        Assert.Equal(2, i.PriorityCode);
        Assert.Equal(77, i.CanonicalIssueId);
        Assert.Equal(TimeSpan.FromHours(-4), i.UpdatedAt.Offset);
        Assert.Equal("Shallow", i.Questions[0].Answer);
        Assert.Equal("Jeffb", i.Assignee!.Name);
        Assert.Equal("s.jpg", i.Media!.ImageSquare100);
        Assert.Null(page.NextPageUrl);
    }

    [Fact]
    public void Round_trips_what_the_fake_server_writes()
    {
        var issues = FakeSeeClickFix.Generate(40);
        var buffer = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("issues");
            foreach (var issue in issues)
            {
                FakeSeeClickFix.WriteIssue(json, issue);
            }
            json.WriteEndArray();
            json.WriteString("metadata", "");
            json.WriteEndObject();
        }
        var text = Encoding.UTF8.GetString(buffer.ToArray()).Replace("\"metadata\":\"\"", "\"metadata\":{\"pagination\":{\"entries\":40,\"per_page\":100}}");
        var page = IssueJson.ParsePage(Encoding.UTF8.GetBytes(text), Address, 1);
        for (var k = 0; k < issues.Count; k++)
        {
            Assert.Equal(FlatIssue.ToValues(issues[k], FlatIssue.PrivateColumns), FlatIssue.ToValues(page.Issues[k], FlatIssue.PrivateColumns));
            Assert.Equal(issues[k].Questions, page.Issues[k].Questions);
        }
    }

    [Theory]
    [InlineData("""{"issues": [{"id": "x1", "status": "Open"}], "metadata": {"pagination": {"entries": 1, "per_page": 20}}}""", "issue 1, field 'id'")]
    [InlineData("""{"issues": [{"id": 9, "status": "Lost"}], "metadata": {"pagination": {"entries": 1, "per_page": 20}}}""", "issue 1 (id 9), field 'status'")]
    [InlineData("""{"issues": [{"id": 9, "status": "Open", "created_at": "yesterday"}], "metadata": {"pagination": {"entries": 1, "per_page": 20}}}""", "field 'created_at'")]
    [InlineData("""{"issues": [{"id": 9, "status": "Open", "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z", "reporter": "bob"}], "metadata": {"pagination": {"entries": 1, "per_page": 20}}}""", "field 'reporter': expected an object")]
    [InlineData("""{"issues": []}""", "no 'metadata.pagination'")]
    [InlineData("""[1, 2]""", "expected a JSON object")]
    [InlineData("""{"issues": [], "metadata": {"pagination": {"per_page": 20}}}""", "no 'entries'")]
    public void Values_of_the_wrong_kind_name_the_page_issue_and_field(string body, string expected)
    {
        var error = Assert.Throws<ServiceRequestsException>(() => IssueJson.ParsePage(Encoding.UTF8.GetBytes(body), Address, 2));
        Assert.Contains("page 2", error.Message);
        Assert.Contains(expected, error.Message);
    }

    private const string Noise = "{}[],:\"0-eE.n \\x";

    [Fact]
    public void Fuzz_mutated_pages_parse_or_fail_with_a_format_error_naming_the_page()
    {
        var valid = Encoding.UTF8.GetBytes(Documented);
        var random = new Random(2026);
        var parsed = 0;
        for (var round = 0; round < 3000; round++)
        {
            var bytes = valid.ToList();
            for (int m = 0, n = 1 + random.Next(4); m < n; m++)
            {
                if (bytes.Count == 0)
                {
                    break;
                }
                var at = random.Next(bytes.Count);
                switch (random.Next(4))
                {
                    case 0: bytes.RemoveAt(at); break;
                    case 1: bytes.Insert(at, (byte)Noise[random.Next(Noise.Length)]); break;
                    case 2: bytes[at] = (byte)random.Next(256); break;
                    default: bytes.RemoveRange(at, bytes.Count - at); break;
                }
            }
            try
            {
                IssueJson.ParsePage([.. bytes], Address, 6);
                parsed++;
            }
            catch (ServiceRequestsException e)
            {
                Assert.Contains("page 6", e.Message);
            }
        }
        Assert.InRange(parsed, 1, 2999);
    }
}
