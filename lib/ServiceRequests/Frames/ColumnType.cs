namespace ServiceRequests.Frames;

/// <summary>How a source column is typed in a DataFrame.</summary>
internal enum ColumnType
{
    /// <summary>Text: a <c>StringDataFrameColumn</c>; missing values are null.</summary>
    Text,
    /// <summary>A number: a <c>DoubleDataFrameColumn</c>.</summary>
    Number,
    /// <summary>A whole number that fits 32 bits: an <c>Int32DataFrameColumn</c>.</summary>
    Integer,
    /// <summary>A whole number (e.g. an issue id): an <c>Int64DataFrameColumn</c>.</summary>
    Long,
    /// <summary>A floating (local wall-clock) timestamp: a <c>DateTimeDataFrameColumn</c>.</summary>
    Timestamp,
    /// <summary>A checkbox: a <c>BooleanDataFrameColumn</c>.</summary>
    Boolean,
    /// <summary>A point (longitude, latitude): two <c>DoubleDataFrameColumn</c>s.</summary>
    Point,
}
