using Microsoft.Data.Analysis;
using ServiceRequests.Portal;

namespace ServiceRequests.Metrics;

/// <summary>
/// The columns every metric reads, extracted once from a portal-shaped DataFrame into plain
/// arrays (typed buffers and null bitmaps, no per-value boxing). Rows without <c>created_at</c>
/// belong to no period and are left out (counted in <see cref="RowsWithoutCreatedAt"/>).
/// </summary>
internal sealed class IssueColumns
{
    /// <summary>The label of issues without a request type.</summary>
    public const string NoRequestType = "(no request type)";

    /// <summary><see cref="Flags"/> bit: <c>closed_at</c> is set.</summary>
    public const byte ClosedFlag = 1;
    /// <summary><see cref="Flags"/> bit: <c>reopened_at</c> is set.</summary>
    public const byte ReopenedFlag = 2;
    /// <summary><see cref="Flags"/> bit: <c>canonical_issue_id</c> is set.</summary>
    public const byte DuplicateFlag = 4;
    private const int StatusShift = 3;

    /// <summary>Status codes (bits 3–5 of <see cref="Flags"/>): the four SeeClickFix statuses, then anything else.</summary>
    public static readonly string[] StatusNames = ["Open", "Acknowledged", "Closed", "Archived", "other"];

    private Instants? _instants;
    private TimeZoneInfo? _zone;

    private IssueColumns(int count)
    {
        Type = new int[count];
        Day = new int[count];
        Days = new double[count];
        Flags = new byte[count];
        Start = new long[count];
    }

    /// <summary>Rows kept (those with <c>created_at</c>).</summary>
    public int Count { get; private set; }

    /// <summary>Request type titles by code, in order of first appearance.</summary>
    public IReadOnlyList<string> TypeNames { get; private set; } = [];

    /// <summary>Request type code per row.</summary>
    public int[] Type { get; }

    /// <summary>Local creation date per row, as <see cref="DateOnly.DayNumber"/>.</summary>
    public int[] Day { get; }

    /// <summary>Closed rows: days from creation to close; open rows: age in days at <see cref="AsOf"/>. Both in the options' duration mode.</summary>
    public double[] Days { get; }

    /// <summary>Creation time per row on the <see cref="OnScale"/> scale.</summary>
    public long[] Start { get; }

    /// <summary><see cref="AsOf"/> on the <see cref="OnScale"/> scale.</summary>
    public long AsOfTicks { get; private set; }

    /// <summary>Per row: <see cref="ClosedFlag"/>, <see cref="ReopenedFlag"/>, <see cref="DuplicateFlag"/> and the status code.</summary>
    public byte[] Flags { get; }

    /// <summary>When ages are measured (floating wall-clock time).</summary>
    public DateTime AsOf { get; private set; }

    /// <summary>Rows left out because <c>created_at</c> is null.</summary>
    public int RowsWithoutCreatedAt { get; private set; }

    /// <summary>The earliest local creation day (<see cref="DateOnly.DayNumber"/>), or -1 without rows.</summary>
    public int FirstDay { get; private set; } = -1;

    /// <summary>The latest local creation day (<see cref="DateOnly.DayNumber"/>), or -1 without rows.</summary>
    public int LastDay { get; private set; } = -1;

    /// <summary>
    /// A floating (wall-clock) time on the scale that <see cref="Days"/> is measured on: UTC ticks
    /// in elapsed mode, the wall-clock ticks themselves in wall-clock mode. Differences of two such
    /// values are durations as the metrics measure them.
    /// </summary>
    public long OnScale(DateTime floating) => _instants?.Of(floating.Ticks) ?? floating.Ticks;

    /// <summary>The floating (wall-clock) time of a value on the <see cref="OnScale"/> scale.</summary>
    public DateTime FromScale(long ticks) => _zone is null
        ? new DateTime(ticks, DateTimeKind.Unspecified)
        : CityTime.ToFloating(new DateTimeOffset(ticks, TimeSpan.Zero), _zone);

    /// <summary>The status code of a row (index into <see cref="StatusNames"/>).</summary>
    public int Status(int row) => Flags[row] >> StatusShift;

    /// <summary>Extracts the columns of <paramref name="frame"/>.</summary>
    /// <exception cref="ArgumentException">A needed column is missing or has the wrong type.</exception>
    public static IssueColumns Read(DataFrame frame, MetricOptions options)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var types = Column<StringDataFrameColumn>(frame, PortalSchema.RequestTypeTitle, "text");
        var statuses = Column<StringDataFrameColumn>(frame, PortalSchema.Status, "text");
        var created = Ticks(Column<DateTimeDataFrameColumn>(frame, PortalSchema.CreatedAt, "timestamp"));
        var closed = Ticks(Column<DateTimeDataFrameColumn>(frame, PortalSchema.ClosedAt, "timestamp"));
        var reopened = Ticks(Column<DateTimeDataFrameColumn>(frame, PortalSchema.ReopenedAt, "timestamp"));
        var updated = Ticks(Column<DateTimeDataFrameColumn>(frame, PortalSchema.UpdatedAt, "timestamp"));
        var canonical = Valid(Column<Int64DataFrameColumn>(frame, PortalSchema.CanonicalIssueId, "whole number (Int64)"));

        var rows = created.Length;
        var result = new IssueColumns(rows);
        var asOf = long.MinValue;
        for (var i = 0; i < rows; i++)
        {
            asOf = Math.Max(asOf, Math.Max(Math.Max(created[i], closed[i]), Math.Max(reopened[i], updated[i])));
        }
        var asOfTicks = options.AsOf?.Ticks ?? asOf;
        result.AsOf = asOfTicks == long.MinValue ? default : new DateTime(asOfTicks, DateTimeKind.Unspecified);

        var instants = options.Duration == DurationMode.Elapsed ? new Instants(options.TimeZone) : null;
        var asOfInstant = asOfTicks == long.MinValue ? 0 : instants?.Of(asOfTicks) ?? asOfTicks;
        result._instants = instants;
        result._zone = instants is null ? null : options.TimeZone;
        result.AsOfTicks = asOfInstant;
        var typeCodes = new TextCodes(NoRequestType);
        var statusCodes = new TextCodes("");
        var statusOfCode = new List<int>();
        var first = int.MaxValue;
        var last = int.MinValue;
        var kept = 0;
        var row = 0;
        using var typeValues = types.GetEnumerator();
        using var statusValues = statuses.GetEnumerator();
        for (; row < rows; row++)
        {
            typeValues.MoveNext();
            statusValues.MoveNext();
            var start = created[row];
            if (start == long.MinValue)
            {
                result.RowsWithoutCreatedAt++;
                continue;
            }
            var day = (int)(start / TimeSpan.TicksPerDay);
            first = Math.Min(first, day);
            last = Math.Max(last, day);
            result.Type[kept] = typeCodes.Code(typeValues.Current);
            result.Day[kept] = day;
            var startInstant = instants?.Of(start) ?? start;
            result.Start[kept] = startInstant;
            var end = closed[row];
            byte flags = 0;
            if (end != long.MinValue)
            {
                flags |= ClosedFlag;
                result.Days[kept] = ((instants?.Of(end) ?? end) - startInstant) / (double)TimeSpan.TicksPerDay;
            }
            else
            {
                result.Days[kept] = (asOfInstant - startInstant) / (double)TimeSpan.TicksPerDay;
            }
            if (reopened[row] != long.MinValue)
            {
                flags |= ReopenedFlag;
            }
            if (canonical[row])
            {
                flags |= DuplicateFlag;
            }
            var statusCode = statusCodes.Code(statusValues.Current);
            if (statusCode == statusOfCode.Count)
            {
                statusOfCode.Add(StatusCode(statusCodes.Names[statusCode]));
            }
            flags |= (byte)(statusOfCode[statusCode] << StatusShift);
            result.Flags[kept] = flags;
            kept++;
        }
        result.Count = kept;
        result.TypeNames = typeCodes.Names;
        result.FirstDay = kept == 0 ? -1 : first;
        result.LastDay = kept == 0 ? -1 : last;
        return result;
    }

    private static int StatusCode(string name) =>
        Array.FindIndex(StatusNames, 0, 4, s => s.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase)) is var code and >= 0 ? code : 4;

    private static T Column<T>(DataFrame frame, string name, string type)
        where T : DataFrameColumn
    {
        var index = frame.Columns.IndexOf(name);
        if (index < 0)
        {
            throw new ArgumentException(
                $"The issues frame has no column '{name}'. Metrics need the portal shape (PortalSchema.FrameColumnNames), as IssueData.Load returns it.", nameof(frame));
        }
        return frame.Columns[index] as T ?? throw new ArgumentException(
            $"Column '{name}' of the issues frame is a {frame.Columns[index].DataType.Name} column; metrics need {type} ({typeof(T).Name}).", nameof(frame));
    }

    /// <summary>The ticks of every value; <see cref="long.MinValue"/> for null.</summary>
    private static long[] Ticks(DateTimeDataFrameColumn column)
    {
        var result = new long[column.Length];
        var offset = 0;
        using var bitmaps = column.GetReadOnlyNullBitMapBuffers().GetEnumerator();
        foreach (var buffer in column.GetReadOnlyDataBuffers())
        {
            bitmaps.MoveNext();
            var values = buffer.Span;
            var valid = bitmaps.Current.Span;
            for (var i = 0; i < values.Length; i++)
            {
                result[offset + i] = (valid[i >> 3] & (1 << (i & 7))) != 0 ? values[i].Ticks : long.MinValue;
            }
            offset += values.Length;
        }
        return result;
    }

    private static bool[] Valid<T>(PrimitiveDataFrameColumn<T> column)
        where T : unmanaged
    {
        var result = new bool[column.Length];
        var offset = 0;
        using var bitmaps = column.GetReadOnlyNullBitMapBuffers().GetEnumerator();
        foreach (var buffer in column.GetReadOnlyDataBuffers())
        {
            bitmaps.MoveNext();
            var valid = bitmaps.Current.Span;
            for (var i = 0; i < buffer.Length; i++)
            {
                result[offset + i] = (valid[i >> 3] & (1 << (i & 7))) != 0;
            }
            offset += buffer.Length;
        }
        return result;
    }

    /// <summary>
    /// Codes 0, 1, 2, ... for text values, in order of first appearance. Loaders intern repeated
    /// texts, so most look-ups hit by reference (no string hashing); other values fall back to
    /// ordinal comparison. Null and blank values get the code of <paramref name="blank"/>.
    /// </summary>
    private sealed class TextCodes(string blank)
    {
        private readonly Dictionary<string, int> _byReference = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<string, int> _byValue = new(StringComparer.Ordinal);
        private readonly List<string> _names = [];

        public List<string> Names => _names;

        public int Code(string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                value = blank;
            }
            if (_byReference.TryGetValue(value, out var code))
            {
                return code;
            }
            if (!_byValue.TryGetValue(value, out code))
            {
                code = _names.Count;
                _names.Add(value);
                _byValue.Add(value, code);
            }
            _byReference[value] = code;
            return code;
        }
    }

    /// <summary>
    /// Floating (wall-clock) ticks to UTC ticks, with <see cref="CityTime.FromFloating"/>'s rule
    /// (a repeated hour is standard time, a skipped time takes the standard offset). The offset is
    /// looked up once per local hour in which it does not change.
    /// </summary>
    private sealed class Instants(TimeZoneInfo zone)
    {
        private const long Varies = long.MinValue;
        private readonly Dictionary<long, long> _offsetByHour = [];
        private long _lastHour = long.MinValue;
        private long _lastOffset;

        public long Of(long localTicks)
        {
            var hour = localTicks / TimeSpan.TicksPerHour;
            if (hour != _lastHour)
            {
                if (!_offsetByHour.TryGetValue(hour, out _lastOffset))
                {
                    var start = Offset(hour * TimeSpan.TicksPerHour);
                    var end = Offset(Math.Min((hour + 1) * TimeSpan.TicksPerHour - 1, DateTime.MaxValue.Ticks));
                    _lastOffset = start == end ? start : Varies;
                    _offsetByHour[hour] = _lastOffset;
                }
                _lastHour = hour;
            }
            return localTicks - (_lastOffset == Varies ? Offset(localTicks) : _lastOffset);
        }

        private long Offset(long localTicks) =>
            zone.GetUtcOffset(new DateTime(localTicks, DateTimeKind.Unspecified)).Ticks;
    }
}
