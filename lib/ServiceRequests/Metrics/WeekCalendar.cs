namespace ServiceRequests.Metrics;

/// <summary>
/// Calendar arithmetic on day numbers (<see cref="DateOnly.DayNumber"/>) for weeks that start on a
/// given day: a day's week index, a week's first day, a day's month index. Whole numbers keep the
/// per-issue work of the metrics to integer arithmetic.
/// </summary>
/// <param name="weekStart">The first day of a week (Sunday or Monday).</param>
internal sealed class WeekCalendar(DayOfWeek weekStart)
{
    /// <summary>Days to add to a day number so that whole weeks start at a multiple of seven.</summary>
    private readonly int _shift = (int)DayOfWeek.Monday - (int)weekStart + 7;

    /// <summary>The index of the week holding <paramref name="dayNumber"/>.</summary>
    public int WeekIndex(int dayNumber) => (dayNumber + _shift) / 7;

    /// <summary>The day number of the first day of week <paramref name="weekIndex"/>.</summary>
    public int WeekFirstDay(int weekIndex) => weekIndex * 7 - _shift;

    /// <summary>The first day of the week holding <paramref name="date"/>.</summary>
    public DateOnly WeekOf(DateOnly date) => Date(WeekFirstDay(WeekIndex(date.DayNumber)));

    /// <summary>The date of a day number; a week starting before 0001-01-01 is labelled by that first day.</summary>
    public static DateOnly Date(int dayNumber) => DateOnly.FromDayNumber(Math.Clamp(dayNumber, 0, DateOnly.MaxValue.DayNumber));

    /// <summary>The month of <paramref name="dayNumber"/> as year × 12 + month − 1.</summary>
    public static int MonthIndex(int dayNumber)
    {
        var date = Date(dayNumber);
        return date.Year * 12 + date.Month - 1;
    }
}
