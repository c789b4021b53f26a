using System.Text;
using System.Text.Json;
using ServiceRequests.Frames;

namespace ServiceRequests.Tests.Frames;

public class PropertyNamesTests
{
    /// <summary>The index of every property name of <paramref name="json"/> (an object), in order.</summary>
    private static List<int> Indexes(PropertyNames names, string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        var found = new List<int>();
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                found.Add(names.IndexOf(ref reader));
                reader.Skip();
            }
        }
        return found;
    }

    [Fact]
    public void Finds_names_in_any_order_and_repeated_rows_and_says_minus_one_for_unknown_ones()
    {
        var names = new PropertyNames(["id", "status", "created_at"]);

        Assert.Equal([0, 1, 2], Indexes(names, """{"id":"1","status":"Open","created_at":"x"}"""));
        Assert.Equal([2, 0, -1, 1], Indexes(names, """{"created_at":"x","id":"2","other":1,"status":"Closed"}"""));
        Assert.Equal([1, 1, 0], Indexes(names, """{"status":1,"status":2,"id":3}"""));
    }

    [Fact]
    public void Compares_unescaped_text_and_exact_case()
    {
        var names = new PropertyNames(["café", "id"]);

        Assert.Equal([0, 1, -1], Indexes(names, """{"caf\u00e9":1,"\u0069d":2,"ID":3}"""));
    }

    [Fact]
    public void An_empty_list_finds_nothing()
    {
        Assert.Equal([-1], Indexes(new PropertyNames([]), """{"id":1}"""));
    }
}
