namespace ServiceRequests.Frames;

/// <summary>
/// One source column and how it lands in a DataFrame. A <see cref="ColumnType.Point"/> column
/// becomes two number columns named <see cref="LatitudeName"/> and <see cref="LongitudeName"/>.
/// </summary>
/// <param name="Name">The source field name, and the DataFrame column name for non-point columns.</param>
/// <param name="Type">How values are typed.</param>
internal sealed record ColumnSpec(string Name, ColumnType Type)
{
    /// <summary>For a point: the latitude column's name (default <c>{Name}_latitude</c>).</summary>
    public string LatitudeName { get; init; } = Name + "_latitude";

    /// <summary>For a point: the longitude column's name (default <c>{Name}_longitude</c>).</summary>
    public string LongitudeName { get; init; } = Name + "_longitude";

    /// <summary>The DataFrame column names this source column produces.</summary>
    public IEnumerable<string> OutputNames =>
        Type == ColumnType.Point ? [LatitudeName, LongitudeName] : [Name];
}
