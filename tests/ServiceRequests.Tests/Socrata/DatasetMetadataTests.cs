using System.Text;
using ServiceRequests.Socrata;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Socrata;

public class DatasetMetadataTests
{
    /// <summary>The shape of a views API answer (GET /api/views/{id}.json), cut to what matters here.</summary>
    private const string View = """
        {
          "id": "abcd-1234", "name": "Improve Detroit: Submitted Issues", "displayType": "table",
          "viewType": "tabular", "newBackend": true, "rowsUpdatedAt": 1767225600,
          "rowIdentifierColumnId": 601234568,
          "metadata": { "availableDisplayTypes": ["table", "fatrow", "page"], "custom_fields": {} },
          "columns": [
            { "id": 601234567, "name": "Status", "dataTypeName": "text", "fieldName": "status", "position": 2, "renderTypeName": "text" },
            { "id": 601234568, "name": "ID", "dataTypeName": "text", "fieldName": "id", "position": 1, "renderTypeName": "text" },
            { "id": 601234569, "name": "Location", "dataTypeName": "point", "fieldName": "location", "position": 3, "renderTypeName": "point" }
          ]
        }
        """;

    private static DatasetMetadata Parse(string json) => DatasetMetadata.Parse(Encoding.UTF8.GetBytes(json), "GET views");

    [Fact]
    public void The_row_identifier_is_the_field_name_of_the_column_rowIdentifierColumnId_names() =>
        Assert.Equal("id", Parse(View).RowIdentifier);

    [Fact]
    public void A_dataset_whose_answer_omits_rowIdentifierColumnId_has_no_row_identifier() =>
        Assert.Null(Parse(View.Replace("\"rowIdentifierColumnId\": 601234568,", "")).RowIdentifier);

    [Theory]
    [InlineData("\"rowIdentifierColumnId\": null,")]
    [InlineData("\"rowIdentifierColumnId\": \"\",")]
    public void A_null_or_empty_rowIdentifierColumnId_is_no_row_identifier(string property) =>
        Assert.Null(Parse(View.Replace("\"rowIdentifierColumnId\": 601234568,", property)).RowIdentifier);

    [Fact]
    public void Another_column_as_row_identifier_is_named() =>
        Assert.Equal("status", Parse(View.Replace("\"rowIdentifierColumnId\": 601234568", "\"rowIdentifierColumnId\": 601234567")).RowIdentifier);

    [Theory]
    [InlineData("\"metadata\": { \"rowIdentifier\": 601234568,")]
    [InlineData("\"metadata\": { \"rowIdentifier\": \"601234568\",")]
    [InlineData("\"metadata\": { \"rowIdentifier\": \"id\",")]
    public void An_older_answer_naming_the_row_identifier_in_metadata_is_read(string metadata) =>
        Assert.Equal("id", Parse(View.Replace("\"rowIdentifierColumnId\": 601234568,", "").Replace("\"metadata\": {", metadata)).RowIdentifier);

    [Fact]
    public void A_row_identifier_column_the_answer_does_not_list_is_an_error_naming_the_source()
    {
        var error = Assert.Throws<ServiceRequestsException>(() => Parse(View.Replace("\"rowIdentifierColumnId\": 601234568", "\"rowIdentifierColumnId\": 42")));
        Assert.StartsWith("GET views: the row identifier is column 42", error.Message);
    }

    [Theory]
    [InlineData("[]", "the answer is Array")]
    [InlineData("<html>", "the answer is not JSON")]
    [InlineData("", "the answer is not JSON")]
    public void An_answer_that_is_not_a_views_object_is_an_error_naming_the_source(string body, string said)
    {
        var error = Assert.Throws<ServiceRequestsException>(() => Parse(body));
        Assert.StartsWith($"GET views: {said}", error.Message);
    }

    [Fact]
    public void Fuzz_mutated_answers_either_parse_or_fail_with_a_format_error()
    {
        var source = Encoding.UTF8.GetBytes(View);
        var random = new Random(13);
        for (var i = 0; i < 3000; i++)
        {
            var bytes = JsonMutations.Mutate(source, random, JsonMutations.Noise);
            try
            {
                var metadata = DatasetMetadata.Parse(bytes, "fuzz");
                Assert.True(metadata.RowIdentifier is null || metadata.RowIdentifier.Length > 0);
            }
            catch (ServiceRequestsException e)
            {
                Assert.StartsWith("fuzz: ", e.Message);
            }
        }
    }
}
