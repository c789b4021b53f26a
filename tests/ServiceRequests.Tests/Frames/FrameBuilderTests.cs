using Microsoft.Data.Analysis;
using ServiceRequests.Frames;

namespace ServiceRequests.Tests.Frames;

public class FrameBuilderTests
{
    private static readonly ColumnSpec[] Columns =
    [
        new("name", ColumnType.Text), new("amount", ColumnType.Number), new("count", ColumnType.Integer),
        new("big", ColumnType.Long), new("when", ColumnType.Timestamp), new("flag", ColumnType.Boolean),
        new("location", ColumnType.Point) { LatitudeName = "lat", LongitudeName = "lng" },
    ];

    [Fact]
    public void Builds_typed_columns_with_nulls_for_unset_values()
    {
        var builder = new FrameBuilder(Columns, capacity: 1);
        for (var i = 0; i < 40; i++)
        {
            builder.AddRow();
            if (i % 3 != 0)
            {
                builder.SetText(0, "row" + i);
                builder.SetNumber(1, i + 0.5);
                builder.SetNumber(2, i);
                builder.SetInteger(3, 10_000_000_000L + i);
                builder.SetTimestamp(4, new DateTime(2025, 1, 1).AddHours(i));
                builder.SetBoolean(5, i % 2 == 0);
                builder.SetPoint(6, 42 + i / 100.0, -83);
            }
        }

        var frame = builder.ToDataFrame();

        Assert.Equal(40, frame.Rows.Count);
        Assert.Equal(["name", "amount", "count", "big", "when", "flag", "lat", "lng"], frame.Columns.Select(c => c.Name));
        Assert.IsType<StringDataFrameColumn>(frame["name"]);
        Assert.IsType<DoubleDataFrameColumn>(frame["amount"]);
        Assert.IsType<Int32DataFrameColumn>(frame["count"]);
        Assert.IsType<Int64DataFrameColumn>(frame["big"]);
        Assert.IsType<DateTimeDataFrameColumn>(frame["when"]);
        Assert.IsType<BooleanDataFrameColumn>(frame["flag"]);
        foreach (var column in frame.Columns)
        {
            Assert.Equal(14, column.NullCount); // rows 0, 3, ..., 39
        }
        Assert.Null(frame["name"][0]);
        Assert.Equal("row1", frame["name"][1]);
        Assert.Equal(1.5, frame["amount"][1]);
        Assert.Equal(2, frame["count"][2]);
        Assert.Equal(10_000_000_002L, frame["big"][2]);
        Assert.Equal(new DateTime(2025, 1, 1, 2, 0, 0), frame["when"][2]);
        Assert.Equal(true, frame["flag"][2]);
        Assert.Equal(42.02, frame["lat"][2]);
        Assert.Null(frame["lng"][3]);
    }

    [Fact]
    public void Repeated_short_texts_are_interned()
    {
        var builder = new FrameBuilder([new ColumnSpec("status", ColumnType.Text)]);
        builder.AddRow();
        builder.SetText(0, "Archived"u8);
        builder.AddRow();
        builder.SetText(0, "Archived"u8);
        var column = (StringDataFrameColumn)builder.ToDataFrame()["status"];
        Assert.Same(column[0], column[1]);
    }

    [Fact]
    public void Integer_columns_refuse_fractions_and_wrong_types_are_named()
    {
        var builder = new FrameBuilder(Columns);
        builder.AddRow();
        Assert.Throws<OverflowException>(() => builder.SetNumber(2, 1.5));
        var error = Assert.Throws<InvalidOperationException>(() => builder.SetTimestamp(0, DateTime.Now));
        Assert.Contains("'name'", error.Message);
    }

    [Fact]
    public void Duplicate_column_names_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new FrameBuilder([new("a", ColumnType.Text), new("a", ColumnType.Number)]));
    }

    [Fact]
    public void An_empty_builder_gives_an_empty_frame_with_all_columns()
    {
        var frame = new FrameBuilder(Columns).ToDataFrame();
        Assert.Equal(0, frame.Rows.Count);
        Assert.Equal(8, frame.Columns.Count);
    }
}
