using System.Text;
using ServiceRequests.Socrata;
using ServiceRequests.TestSupport;

namespace ServiceRequests.Tests.Socrata;

public class SoqlTests
{
    private static readonly Dictionary<string, string> Types = new() { ["title"] = "text" };

    /// <summary>Whether <paramref name="literal"/>, as the only right-hand side of a comparison, matches exactly <paramref name="value"/>.</summary>
    private static bool MatchesOnly(string literal, string value)
    {
        var predicate = FakeSoql.Where($"title = {literal}", Types);
        return predicate(new Row(value)) && !predicate(new Row(value + "x")) && !predicate(new Row("anything else"));
    }

    private sealed record Row(string Title) : FakeSoql.IRow
    {
        public string? Value(string field) => Title;
    }

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("O'Brien", "'O''Brien'")]
    [InlineData("' OR 1=1 --", "''' OR 1=1 --'")]
    [InlineData("''", "''''''")]
    [InlineData("", "''")]
    public void Text_literals_double_every_quote(string value, string literal)
    {
        Assert.Equal(literal, Soql.Text(value));
        Assert.True(MatchesOnly(literal, value));
    }

    [Fact]
    public void Fuzz_any_text_stays_one_literal_that_matches_only_itself()
    {
        var random = new Random(20260101);
        const string alphabet = "'\"\\ ()=<>,;-%&$?#+*:_aZ09\n\t\r\u00e9\u4e2d\U0001F600ORANDINor and in";
        for (var i = 0; i < 2000; i++)
        {
            var text = new StringBuilder();
            for (var k = random.Next(0, 24); k > 0; k--)
            {
                var at = random.Next(alphabet.Length);
                text.Append(char.IsHighSurrogate(alphabet[at]) ? alphabet.Substring(at, 2) : char.IsLowSurrogate(alphabet[at]) ? "'" : alphabet[at].ToString());
            }
            var value = text.ToString();
            var literal = Soql.Text(value);
            Assert.True(MatchesOnly(literal, value), $"'{value}' as {literal}");
            // Through a URL and back, as the client sends it.
            var query = new SoqlQuery().RequestTypeIn(value);
            Assert.Equal(query, SoqlQuery.Parse(query.ToQueryString()));
        }
    }

    [Fact]
    public void Timestamps_are_written_as_Socrata_reads_them()
    {
        Assert.Equal("'2017-03-05T14:02:11.250'", Soql.Floating(new DateTime(2017, 3, 5, 14, 2, 11, 250)));
        Assert.Equal("'2017-03-05T19:02:11.000Z'", Soql.Fixed(new DateTimeOffset(2017, 3, 5, 14, 2, 11, TimeSpan.FromHours(-5))));
        Assert.Equal("1.5", Soql.Number(1.5));
        Assert.Equal("-20", Soql.Number(-20));
        Assert.Throws<ArgumentOutOfRangeException>(() => Soql.Number(double.NaN));
    }

    [Theory]
    [InlineData("request_type_title", true)]
    [InlineData(":updated_at", true)]
    [InlineData("_x1", true)]
    [InlineData("1abc", false)]
    [InlineData("status = 'x' OR 1", false)]
    [InlineData("a b", false)]
    [InlineData("a\n", false)]
    [InlineData("::id", false)]
    [InlineData("", false)]
    [InlineData("`quoted`", false)]
    public void Field_names_must_be_plain_identifiers(string name, bool valid)
    {
        if (valid)
        {
            Assert.Equal(name, Soql.Field(name));
        }
        else
        {
            Assert.Throws<ArgumentException>(() => Soql.Field(name));
        }
    }

    [Fact]
    public void Fuzz_field_names_either_are_identifiers_or_are_refused()
    {
        var random = new Random(42);
        const string alphabet = "ab_:1 '=()\n";
        for (var i = 0; i < 3000; i++)
        {
            var name = new string([.. Enumerable.Range(0, random.Next(1, 8)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var valid = System.Text.RegularExpressions.Regex.IsMatch(name, @"^:?[A-Za-z_][A-Za-z0-9_]*\z");
            if (valid)
            {
                Assert.Equal(name, Soql.Field(name));
            }
            else
            {
                Assert.Throws<ArgumentException>(() => Soql.Field(name));
            }
        }
    }
}
