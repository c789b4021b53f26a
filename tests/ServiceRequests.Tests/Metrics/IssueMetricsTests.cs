using Microsoft.Data.Analysis;
using ServiceRequests.Metrics;
using ServiceRequests.Portal;
using ServiceRequests.Tests.Infrastructure;
using static ServiceRequests.Tests.Metrics.Issues;

namespace ServiceRequests.Tests.Metrics;

/// <summary>
/// Hand-made tables whose answers are worked out in the comments. Timestamps are Detroit
/// wall-clock times; in 2025 clocks spring forward on Sunday 9 March (02:00 → 03:00) and fall
/// back on Sunday 2 November (02:00 → 01:00).
/// </summary>
public class IssueMetricsTests
{
    private const double Hour = 1.0 / 24;
    private const double Minute = 1.0 / 1440;

    private static readonly SlaTable Sla = SlaTable.Parse(
        "request_type_title,department,sla_days\nPotholes,Public Works,2\nTree Issue,General Services,14\nTraffic Complaints,Police,\n");

    private static IssueMetrics Metrics(DataFrame frame, MetricOptions? options = null) => new(frame, Sla, options);

    [Fact]
    public void Weeks_run_Sunday_to_Saturday_across_the_spring_DST_change_or_Monday_to_Sunday()
    {
        var frame = Frame(
            new Issue("Potholes", "2025-03-08 23:59:59"), // Saturday: week of Sun 2 March; ISO week of Mon 3 March
            new Issue("Potholes", "2025-03-09 00:00"),    // Sunday, the DST day: week of 9 March; ISO 3 March
            new Issue("Potholes", "2025-03-09 03:30"),    // just after the skipped hour: same weeks
            new Issue("Potholes", "2025-03-15 23:59"),    // Saturday: week of 9 March; ISO 10 March
            new Issue("Potholes", "2025-03-16 00:00"));   // Sunday: week of 16 March; ISO 10 March

        var sunday = Metrics(frame).OpenedByWeek(new DateOnly(2025, 3, 8), new DateOnly(2025, 3, 16));
        Assert.Equal(["request_type_title", "2025-03-02", "2025-03-09", "2025-03-16", "total"], sunday.Columns.Select(c => c.Name));
        Assert.Equal([1, 3, 1, 5], Row(sunday, "Potholes").Skip(1).Cast<int>());
        Assert.Equal([1, 3, 1, 5], Row(sunday, IssueMetrics.AllTypes).Skip(1).Cast<int>());

        var monday = Metrics(frame, new MetricOptions { WeekStart = DayOfWeek.Monday }).OpenedByWeek(new DateOnly(2025, 3, 8), new DateOnly(2025, 3, 16));
        Assert.Equal(["request_type_title", "2025-03-03", "2025-03-10", "total"], monday.Columns.Select(c => c.Name));
        Assert.Equal([3, 2, 5], Row(monday, "Potholes").Skip(1).Cast<int>());
    }

    [Fact]
    public void A_range_outside_the_data_is_refused_naming_both_ranges()
    {
        var metrics = Metrics(Frame(new Issue("Potholes", "2026-01-05 10:00"), new Issue("Potholes", "2026-03-02 10:00")));

        metrics.CheckRange(null, null);
        metrics.CheckRange(new DateOnly(2026, 1, 5), new DateOnly(2026, 3, 2));
        metrics.CheckRange(new DateOnly(2026, 2, 1), null);
        Assert.Equal("The range 2030-01-01 to 2030-03-31 holds no issues: the data holds issues created from 2026-01-05 to 2026-03-02.",
            Assert.Throws<ServiceRequestsException>(() => metrics.CheckRange(new DateOnly(2030, 1, 1), new DateOnly(2030, 3, 31))).Message);
        Assert.Contains("reaches outside the data", Assert.Throws<ServiceRequestsException>(() => metrics.CheckRange(new DateOnly(2026, 2, 1), new DateOnly(2026, 12, 31))).Message);
        Assert.Contains("ends before it starts", Assert.Throws<ServiceRequestsException>(() => metrics.CheckRange(new DateOnly(2026, 3, 1), new DateOnly(2026, 2, 1))).Message);
        Assert.Throws<ServiceRequestsException>(() => Metrics(Frame()).CheckRange(null, null));
    }

    [Fact]
    public void A_week_across_the_year_end_is_one_week_and_months_split_it()
    {
        var frame = Frame(
            new Issue("Potholes", "2025-12-31 10:00"), // Wednesday: week of Sun 28 Dec 2025, ISO week of Mon 29 Dec
            new Issue("Potholes", "2026-01-02 10:00"), // Friday: same weeks
            new Issue("Potholes", "2026-01-03 23:00"), // Saturday: same weeks
            new Issue("Tree Issue", "2026-01-04 08:00")); // Sunday: week of 4 Jan; ISO still 29 Dec
        var metrics = Metrics(frame);

        var weeks = metrics.OpenedByWeek();
        Assert.Equal(["request_type_title", "2025-12-28", "2026-01-04", "total"], weeks.Columns.Select(c => c.Name));
        Assert.Equal([3, 0, 3], Row(weeks, "Potholes").Skip(1).Cast<int>());
        Assert.Equal([0, 1, 1], Row(weeks, "Tree Issue").Skip(1).Cast<int>());
        Assert.Equal([3, 1, 4], Row(weeks, IssueMetrics.AllTypes).Skip(1).Cast<int>());
        // Every type of the data or the SLA table has a row, in ordinal order, then the totals.
        Assert.Equal(["Potholes", "Traffic Complaints", "Tree Issue", IssueMetrics.AllTypes], Values(weeks, "request_type_title"));

        var iso = Metrics(frame, new MetricOptions { WeekStart = DayOfWeek.Monday }).OpenedByWeek();
        Assert.Equal(["request_type_title", "2025-12-29", "total"], iso.Columns.Select(c => c.Name));
        Assert.Equal([4, 4], Row(iso, IssueMetrics.AllTypes).Skip(1).Cast<int>());

        var months = metrics.OpenedByMonth();
        Assert.Equal(["request_type_title", "2025-12", "2026-01", "total"], months.Columns.Select(c => c.Name));
        Assert.Equal([1, 2, 3], Row(months, "Potholes").Skip(1).Cast<int>());
        Assert.Equal([1, 3, 4], Row(months, IssueMetrics.AllTypes).Skip(1).Cast<int>());
    }

    [Fact]
    public void Elapsed_days_ignore_DST_changes_and_the_compatible_mode_counts_wall_clock_days()
    {
        var frame = Frame(
            // Across spring forward: 2 days on the wall clock, 47 hours elapsed.
            new Issue("Potholes", "2025-03-08 12:00", "2025-03-10 12:00"),
            // Across fall back: 2 days on the wall clock, 49 hours elapsed.
            new Issue("Potholes", "2025-11-01 12:00", "2025-11-03 12:00"));

        var wall = Metrics(frame, new MetricOptions { Duration = DurationMode.WallClock });
        Assert.Equal(2.0, Cell(wall.TimeToClose(), "Potholes", "mean_days_to_close"));
        // SLA 2 days, strict rule 0 < d < 2: neither 2.0 is within, both breach.
        Assert.Equal(0, Cell(wall.SlaCompliance(), "Potholes", "num_within_sla"));
        Assert.Equal(2, Cell(wall.SlaCompliance(), "Potholes", "num_breached"));

        var elapsed = Metrics(frame);
        var times = elapsed.TimeToClose();
        // Sorted days: 47/24 = 1.958333, 49/24 = 2.041667. Mean and median 2.0.
        Assert.Equal(2.0, (double)Cell(times, "Potholes", "median_days_to_close")!, 12);
        // p90 by linear interpolation: h = (2 − 1)·0.9 = 0.9 → 47/24 + 0.9·(2/24) = 2.033333.
        Assert.Equal(47 * Hour + 0.9 * 2 * Hour, (double)Cell(times, "Potholes", "p90_days_to_close")!, 12);
        Assert.Equal(47 * Hour + 0.1 * 2 * Hour, (double)Cell(times, "Potholes", "p10_days_to_close")!, 12);
        // 47 h is within the 2-day SLA, 49 h is not.
        Assert.Equal(1, Cell(elapsed.SlaCompliance(), "Potholes", "num_within_sla"));
        Assert.Equal(50.0, Cell(elapsed.SlaCompliance(), "Potholes", "perc_within_sla"));
    }

    [Fact]
    public void The_repeated_fall_back_hour_is_read_as_standard_time()
    {
        // 01:30 and 01:45 on 2 November 2025 happen twice; both are read as the second (EST)
        // occurrence, so 15 minutes apart in either mode. 00:30 (EDT) to 01:30 (EST) is 2 hours elapsed.
        var frame = Frame(
            new Issue("Potholes", "2025-11-02 01:30", "2025-11-02 01:45"),
            new Issue("Tree Issue", "2025-11-02 00:30", "2025-11-02 01:30"));
        var times = Metrics(frame).TimeToClose();
        Assert.Equal(15 * Minute, (double)Cell(times, "Potholes", "median_days_to_close")!, 12);
        Assert.Equal(2 * Hour, (double)Cell(times, "Tree Issue", "median_days_to_close")!, 12);
        var wall = Metrics(frame, new MetricOptions { Duration = DurationMode.WallClock }).TimeToClose();
        Assert.Equal(1 * Hour, (double)Cell(wall, "Tree Issue", "median_days_to_close")!, 12);
    }

    [Fact]
    public void The_SLA_rule_is_strict_zero_and_negative_durations_are_neither_within_nor_breached()
    {
        var frame = Frame(
            new Issue("Potholes", "2025-06-02 09:00", "2025-06-04 09:00"),    // 2 days: not < 2 → breached
            new Issue("Potholes", "2025-06-02 09:00", "2025-06-04 08:59"),    // 2 days − 1 minute → within
            new Issue("Potholes", "2025-06-02 09:00", "2025-06-02 09:00"),    // 0 days: not > 0 → neither
            new Issue("Potholes", "2025-06-02 09:00", "2025-06-02 08:00"),    // closed an hour before created → neither
            new Issue("Potholes", "2025-06-03 09:00"),                        // open, 3 days old at as-of → past SLA
            new Issue("Potholes", "2025-06-05 09:00"));                       // open, 1 day old → not past SLA
        var metrics = Metrics(frame, new MetricOptions { AsOf = Issues.At("2025-06-06 09:00") });

        var sla = metrics.SlaCompliance();
        Assert.Equal(4, Cell(sla, "Potholes", "num_closed"));
        Assert.Equal(1, Cell(sla, "Potholes", "num_within_sla"));
        Assert.Equal(1, Cell(sla, "Potholes", "num_breached"));
        Assert.Equal(25.0, Cell(sla, "Potholes", "perc_within_sla"));   // 1 of 4 closed
        Assert.Equal(2, Cell(sla, "Potholes", "num_open"));
        Assert.Equal(1, Cell(sla, "Potholes", "num_open_past_sla"));

        var stats = metrics.Stats();
        // Sorted days −1/24, 0, 2 − 1/1440, 2: median = (0 + 2 − 1/1440) / 2.
        Assert.Equal((2 - Minute) / 2, (double)Cell(stats, "Potholes", "median_days_create_to_close")!, 12);
        Assert.Equal(25.0, Cell(stats, "Potholes", "perc_within_sla"));
        var times = metrics.TimeToClose();
        Assert.Equal(2.0, (double)Cell(times, "Potholes", "median_open_age_days")!, 12); // ages 3 and 1
        Assert.Equal(3.0, (double)Cell(times, "Potholes", "max_open_age_days")!, 12);
    }

    [Fact]
    public void Closed_before_acknowledged_null_closed_at_and_reopen_after_close()
    {
        var frame = Frame(
            // Acknowledged after it was closed: acknowledged_at plays no part; closed in 2 days.
            new Issue("Tree Issue", "2025-06-01 08:00", "2025-06-03 08:00") { Acknowledged = "2025-06-05 08:00" },
            // Never closed: open, 10 days old at the as-of time.
            new Issue("Tree Issue", "2025-06-02 08:00"),
            // Closed, re-opened, closed again: closed_at is the last close, 5 days after creation; re-opened.
            new Issue("Tree Issue", "2025-06-03 08:00", "2025-06-08 08:00") { Reopened = "2025-06-05 08:00" },
            // Closed, then re-opened and not closed again: closed_at is null, so open (8 days old) and re-opened.
            new Issue("Tree Issue", "2025-06-04 08:00") { Reopened = "2025-06-06 08:00", Status = "Open" });
        var metrics = Metrics(frame, new MetricOptions { AsOf = Issues.At("2025-06-12 08:00") });

        var stats = metrics.Stats(new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 7));
        Assert.Equal(4, Cell(stats, "Tree Issue", "num_issues"));
        Assert.Equal(2, Cell(stats, "Tree Issue", "num_closed"));
        Assert.Equal(3.5, Cell(stats, "Tree Issue", "median_days_create_to_close")); // (2 + 5) / 2
        Assert.Equal(100.0, Cell(stats, "Tree Issue", "perc_within_sla"));            // 2 and 5 < 14
        Assert.Equal(2, Cell(stats, "Tree Issue", "num_reopened"));
        Assert.Equal(0, Cell(stats, "Tree Issue", "num_duplicates"));

        var times = metrics.TimeToClose();
        Assert.Equal(2, Cell(times, "Tree Issue", "num_open"));
        Assert.Equal(9.0, Cell(times, "Tree Issue", "median_open_age_days")); // ages 10 and 8
        Assert.Equal(10.0, Cell(times, "Tree Issue", "max_open_age_days"));
        Assert.Equal(3.5, Cell(times, "Tree Issue", "mean_days_to_close"));
        Assert.Equal(50.0, Cell(metrics.Reopened(), "Tree Issue", "perc_reopened"));
    }

    [Fact]
    public void A_type_missing_from_the_SLA_table_is_reported_and_nothing_closed_gives_empty_not_zero()
    {
        var frame = Frame(
            new Issue("Graffiti", "2025-06-02 08:00", "2025-06-03 08:00"),           // not in the SLA table
            new Issue("Traffic Complaints", "2025-06-02 08:00", "2025-06-03 08:00"), // listed without SLA days
            new Issue("Tree Issue", "2025-06-02 08:00"));                            // SLA 14, nothing closed
        var metrics = Metrics(frame);
        Assert.Equal(["Graffiti"], metrics.TypesMissingFromSlaTable);

        var stats = metrics.Stats();
        Assert.Equal(["Graffiti", "Potholes", "Traffic Complaints", "Tree Issue"], Values(stats, "request_type_title"));
        Assert.Null(Cell(stats, "Graffiti", "sla_days_to_close"));
        Assert.Null(Cell(stats, "Graffiti", "perc_within_sla"));
        Assert.Equal(IssueMetrics.NotInSlaTable, Cell(stats, "Graffiti", "sla_note"));
        Assert.Equal(1.0, Cell(stats, "Graffiti", "median_days_create_to_close"));
        Assert.Null(Cell(stats, "Traffic Complaints", "perc_within_sla"));
        Assert.Equal(IssueMetrics.NoSla, Cell(stats, "Traffic Complaints", "sla_note"));
        Assert.Equal(0, Cell(stats, "Tree Issue", "num_closed"));
        Assert.Null(Cell(stats, "Tree Issue", "perc_within_sla"));      // empty, not 0
        Assert.Null(Cell(stats, "Tree Issue", "median_days_create_to_close"));
        Assert.Null(Cell(stats, "Tree Issue", "sla_note"));
        Assert.Equal(0, Cell(stats, "Potholes", "num_issues"));        // listed in the SLA table, no issues

        var sla = metrics.SlaCompliance();
        Assert.Null(Cell(sla, "Graffiti", "num_within_sla"));
        Assert.Equal(1, Cell(sla, "Graffiti", "num_closed"));
        Assert.Equal(IssueMetrics.NoDepartment, Cell(sla, "Graffiti", "department"));
        Assert.Equal(0, Cell(sla, "Tree Issue", "num_within_sla"));
        Assert.Null(Cell(sla, "Tree Issue", "perc_within_sla"));

        var departments = metrics.SlaCompliance(by: MetricGrouping.Department);
        Assert.Equal([IssueMetrics.NoDepartment, "General Services", "Police", "Public Works"], Values(departments, "department"));
        Assert.Equal(1, Cell(departments, IssueMetrics.NoDepartment, "num_types_without_sla"));
        Assert.Equal(0, Cell(departments, IssueMetrics.NoDepartment, "num_closed")); // no SLA: not counted
        Assert.Equal(1, Cell(departments, "Police", "num_types_without_sla"));
        Assert.Equal(1, Cell(departments, "General Services", "num_open"));
        Assert.Null(Cell(departments, "General Services", "perc_within_sla"));
    }

    [Fact]
    public void Departments_pool_the_issues_of_their_types()
    {
        var sla = SlaTable.Parse("request_type_title,department,sla_days\nPotholes,Public Works,2\nIllegal Dump Sites,Public Works,10\n");
        var frame = Frame(
            new Issue("Potholes", "2025-06-02 08:00", "2025-06-03 08:00"),           // 1 day: within 2
            new Issue("Potholes", "2025-06-02 08:00", "2025-06-05 08:00"),           // 3 days: breached
            new Issue("Illegal Dump Sites", "2025-06-02 08:00", "2025-06-11 08:00"), // 9 days: within 10
            new Issue("Illegal Dump Sites", "2025-06-02 08:00"));                     // open
        var metrics = new IssueMetrics(frame, sla, new MetricOptions { AsOf = Issues.At("2025-06-20 08:00") });

        var d = metrics.SlaCompliance(by: MetricGrouping.Department);
        Assert.Equal(2, Cell(d, "Public Works", "num_types_with_sla"));
        Assert.Equal(3, Cell(d, "Public Works", "num_closed"));
        Assert.Equal(2, Cell(d, "Public Works", "num_within_sla"));
        Assert.Equal(200.0 / 3, (double)Cell(d, "Public Works", "perc_within_sla")!, 12);
        Assert.Equal(1, Cell(d, "Public Works", "num_open_past_sla")); // 18 days ≥ 10

        var t = metrics.TimeToClose(by: MetricGrouping.Department);
        Assert.Equal(["department", "num_issues", "num_closed", "mean_days_to_close"], t.Columns.Take(4).Select(c => c.Name));
        Assert.Equal(3.0, Cell(t, "Public Works", "median_days_to_close")); // days 1, 3, 9
        Assert.Equal(13.0 / 3, (double)Cell(t, "Public Works", "mean_days_to_close")!, 12);
    }

    [Fact]
    public void Rankings_leave_out_types_below_the_minimum_volume()
    {
        var frame = Frame(
            // A: 1 issue, re-opened and duplicate (100 %), too few to rank.
            new Issue("A", "2025-06-02 08:00") { Reopened = "2025-06-03 08:00", Canonical = 9 },
            // B: 4 issues, 1 re-opened (25 %), 2 duplicates (50 %).
            new Issue("B", "2025-06-02 08:00") { Reopened = "2025-06-03 08:00", Canonical = 9 },
            new Issue("B", "2025-06-02 09:00") { Canonical = 9 },
            new Issue("B", "2025-06-02 10:00"),
            new Issue("B", "2025-06-02 11:00"),
            // C: 3 issues, 1 re-opened (33.3 %), no duplicates.
            new Issue("C", "2025-06-02 08:00") { Reopened = "2025-06-03 08:00" },
            new Issue("C", "2025-06-02 09:00"),
            new Issue("C", "2025-06-02 10:00"),
            // D: 3 issues, none re-opened.
            new Issue("D", "2025-06-02 08:00"),
            new Issue("D", "2025-06-02 09:00"),
            new Issue("D", "2025-06-02 10:00"));
        var metrics = new IssueMetrics(frame, new SlaTable([]), new MetricOptions { MinimumVolume = 3 });

        var reopened = metrics.Reopened();
        Assert.Equal(["request_type_title", "num_issues", "num_reopened", "perc_reopened", "rank"], reopened.Columns.Select(c => c.Name));
        Assert.Equal(["C", "B", "D", "A"], Values(reopened, "request_type_title"));
        Assert.Equal([1, 2, 3, null], Values(reopened, "rank"));
        Assert.Equal(100.0, Cell(reopened, "A", "perc_reopened"));

        var duplicates = metrics.Duplicates();
        // B 50 %, then C and D at 0 % (tie on rate and count: by title), then A unranked.
        Assert.Equal(["B", "C", "D", "A"], Values(duplicates, "request_type_title"));
        Assert.Equal([1, 2, 3, null], Values(duplicates, "rank"));
        Assert.Equal(50.0, Cell(duplicates, "B", "perc_duplicates"));
    }

    [Fact]
    public void Last_weeks_side_by_side_with_changes_and_flags()
    {
        // Potholes: 10, 10, 10, 10 issues in the weeks of 1, 8, 15, 22 June 2025, then 20 in the
        // week of 29 June; each closed after 1 day (within the 2-day SLA). Tree Issue: 1 a week,
        // then 3. The data is pulled on Sunday 6 July, so the week of 29 June is the last complete one.
        var issues = new List<Issue>();
        for (var w = 0; w < 5; w++)
        {
            var monday = new DateTime(2025, 6, 2, 9, 0, 0).AddDays(7 * w);
            for (var k = 0; k < (w == 4 ? 20 : 10); k++)
            {
                issues.Add(new Issue("Potholes", $"{monday:yyyy-MM-dd HH:mm}", $"{monday.AddDays(1):yyyy-MM-dd HH:mm}"));
            }
            for (var k = 0; k < (w == 4 ? 3 : 1); k++)
            {
                issues.Add(new Issue("Tree Issue", $"{monday.AddHours(1):yyyy-MM-dd HH:mm}"));
            }
        }
        var metrics = Metrics(Frame([.. issues]), new MetricOptions { AsOf = Issues.At("2025-07-06 06:00") });
        Assert.Equal(new DateOnly(2025, 6, 29), metrics.LastCompleteWeek);

        var weeks = metrics.LastWeeks();
        Assert.Equal(["request_type_title", "metric", "2025-06-08", "2025-06-15", "2025-06-22", "2025-06-29",
            "change_vs_previous_week", "trailing_average", "change_vs_trailing_average_pct", "flagged"], weeks.Columns.Select(c => c.Name));
        var issuesRow = Row(weeks, "Potholes", "num_issues");
        Assert.Equal([10.0, 10.0, 10.0, 20.0], issuesRow.Skip(2).Take(4).Cast<double>());
        Assert.Equal(10.0, Cell(weeks, "Potholes", "change_vs_previous_week", "num_issues"));
        Assert.Equal(10.0, Cell(weeks, "Potholes", "trailing_average", "num_issues"));         // weeks of 1–22 June
        Assert.Equal(100.0, Cell(weeks, "Potholes", "change_vs_trailing_average_pct", "num_issues"));
        Assert.Equal(true, Cell(weeks, "Potholes", "flagged", "num_issues"));                  // 60 issues ≥ 20
        Assert.Equal(0.0, Cell(weeks, "Potholes", "change_vs_trailing_average_pct", "perc_within_sla"));
        Assert.Equal(false, Cell(weeks, "Potholes", "flagged", "perc_within_sla"));
        Assert.Equal(1.0, Cell(weeks, "Potholes", "2025-06-29", "median_days_to_close"));
        // Tree Issue: +200 %, but only 7 issues behind the comparison, below the minimum volume of 20.
        Assert.Equal(200.0, Cell(weeks, "Tree Issue", "change_vs_trailing_average_pct", "num_issues"));
        Assert.Equal(false, Cell(weeks, "Tree Issue", "flagged", "num_issues"));
        // All types: 11, 11, 11, 23.
        Assert.Equal(23.0, Cell(weeks, IssueMetrics.AllTypes, "2025-06-29", "num_issues"));
        Assert.Equal(IssueMetrics.AllTypes, weeks.Columns[0][0]);
        // Traffic Complaints has no issues and no SLA: rates and breaches are empty, counts 0.
        Assert.Equal(0.0, Cell(weeks, "Traffic Complaints", "2025-06-29", "num_issues"));
        Assert.Null(Cell(weeks, "Traffic Complaints", "2025-06-29", "perc_reopened"));
        Assert.Null(Cell(weeks, "Traffic Complaints", "2025-06-29", "num_breached"));
        Assert.Null(Cell(weeks, "Traffic Complaints", "change_vs_trailing_average_pct", "num_issues")); // average 0
        Assert.Equal(40, weeks.Rows.Count); // (All types + 3 types) × 10 metrics
    }

    [Fact]
    public void The_rolling_series_pools_its_window_and_is_empty_before_a_full_window()
    {
        var frame = Frame(
            new Issue("Potholes", "2025-06-02 08:00", "2025-06-03 08:00"), // week of 1 June: 1 day
            new Issue("Potholes", "2025-06-02 08:00", "2025-06-05 08:00"), // 3 days
            new Issue("Potholes", "2025-06-09 08:00", "2025-06-11 08:00"), // week of 8 June: 2 days
            new Issue("Potholes", "2025-06-09 08:00") { Reopened = "2025-06-10 08:00" }); // open
        var metrics = Metrics(frame, new MetricOptions { RollingWeeks = 2, AsOf = Issues.At("2025-06-22 08:00") });

        var series = metrics.RollingSeries();
        Assert.Equal(["request_type_title", "week_start", "week_end", "num_issues", "rolling_num_issues", "rolling_num_closed",
            "rolling_median_days_to_close", "rolling_perc_within_sla", "rolling_perc_reopened", "rolling_perc_duplicates"], series.Columns.Select(c => c.Name));
        var potholes = Enumerable.Range(0, (int)series.Rows.Count).Where(i => (string)series["request_type_title"][i] == "Potholes").ToList();
        // Weeks of 1, 8 and 15 June (the last complete week before 22 June).
        Assert.Equal([new DateTime(2025, 6, 1), new DateTime(2025, 6, 8), new DateTime(2025, 6, 15)], potholes.Select(i => (DateTime)series["week_start"][i]));
        Assert.Equal(new DateTime(2025, 6, 21), series["week_end"][potholes[2]]);
        // Week of 1 June: the 2-week window would start in May, before the data: empty.
        Assert.Null(series["rolling_num_issues"][potholes[0]]);
        // Week of 8 June: 4 issues, closed in 1, 3, 2 days: median 2; within 2 days only the 1-day one; 1 of 4 re-opened.
        Assert.Equal(4, series["rolling_num_issues"][potholes[1]]);
        Assert.Equal(2.0, series["rolling_median_days_to_close"][potholes[1]]);
        Assert.Equal(100.0 / 3, (double)series["rolling_perc_within_sla"][potholes[1]], 12);
        Assert.Equal(25.0, series["rolling_perc_reopened"][potholes[1]]);
        // Week of 15 June: window 8–21 June: 2 issues, 1 closed in 2 days (not within 2).
        Assert.Equal(0, series["num_issues"][potholes[2]]);
        Assert.Equal(2, series["rolling_num_issues"][potholes[2]]);
        Assert.Equal(0.0, series["rolling_perc_within_sla"][potholes[2]]);
        Assert.Equal(IssueMetrics.AllTypes, series["request_type_title"][0]);
    }

    [Fact]
    public void Stats_has_the_citys_columns_then_duplicates_and_a_count_per_status()
    {
        // The city's real weekly output (week of 2017-03-05): an unnamed index column, then these.
        var header = File.ReadLines(RepoPaths.RealData("city-weekly-metrics-2017-03-05.csv")).First().Split(',')[1..];
        var frame = Frame(
            new Issue("Potholes", "2025-06-02 08:00") { Status = "Open" },
            new Issue("Potholes", "2025-06-02 08:00") { Status = "Acknowledged" },
            new Issue("Potholes", "2025-06-02 08:00", "2025-06-03 08:00") { Status = "Closed", Canonical = 5 },
            new Issue("Potholes", "2025-06-02 08:00", "2025-06-03 08:00") { Status = "Archived" },
            new Issue("Potholes", "2025-06-02 08:00") { Status = "Pending" });
        var stats = Metrics(frame).Stats();
        Assert.Equal([.. header, "num_duplicates", "num_status_open", "num_status_acknowledged", "num_status_closed",
            "num_status_archived", "num_status_other", "sla_note"], stats.Columns.Select(c => c.Name));
        Assert.Equal([5, 2, 1.0, 2.0, 100.0, 0, 1, 1, 1, 1, 1, 1], Row(stats, "Potholes").Skip(1).Take(12).Select(v => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void The_citys_real_output_leaves_the_percentage_empty_when_nothing_closed_as_ours_does()
    {
        var lines = File.ReadLines(RepoPaths.RealData("city-weekly-metrics-2017-03-05.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        var noneClosed = lines.Where(l => l[3] == "0.0").ToList();
        Assert.NotEmpty(noneClosed);
        Assert.All(noneClosed, l => Assert.Equal("", l[6]));
        var stats = Metrics(Frame(new Issue("Tree Issue", "2025-06-02 08:00"))).Stats();
        Assert.Null(Cell(stats, "Tree Issue", "perc_within_sla"));
    }

    [Fact]
    public void As_of_defaults_to_the_latest_timestamp_and_rows_without_created_at_are_left_out()
    {
        var frame = Frame(
            new Issue("Potholes", "2025-06-02 08:00", "2025-06-09 17:30"),
            new Issue("Potholes", "2025-06-03 08:00"),
            new Issue("Potholes", null, "2025-06-20 08:00"));
        var metrics = Metrics(frame);
        Assert.Equal(Issues.At("2025-06-20 08:00"), metrics.AsOf); // the row without created_at still tells when data was pulled
        Assert.Equal(2, metrics.IssueCount);
        Assert.Equal(1, metrics.RowsWithoutCreatedAt);
        Assert.Equal(2, Cell(metrics.Stats(), "Potholes", "num_issues"));
        Assert.Equal(new DateOnly(2025, 6, 2), metrics.FirstCreated);
        Assert.Equal(new DateOnly(2025, 6, 3), metrics.LastCreated);
        Assert.Equal(17.0, Cell(metrics.TimeToClose(), "Potholes", "max_open_age_days"));
    }

    [Fact]
    public void Null_and_blank_request_types_are_grouped_as_no_request_type()
    {
        var metrics = Metrics(Frame(new Issue(null, "2025-06-02 08:00"), new Issue("  ", "2025-06-02 09:00")));
        Assert.Equal(2, Cell(metrics.Stats(), "(no request type)", "num_issues"));
        Assert.Equal(["(no request type)"], metrics.TypesMissingFromSlaTable);
    }

    [Fact]
    public void An_empty_frame_gives_empty_tables_and_last_weeks_asks_for_a_week()
    {
        var metrics = Metrics(Frame());
        Assert.Equal(0, metrics.IssueCount);
        Assert.Null(metrics.FirstCreated);
        Assert.Null(metrics.LastCompleteWeek);
        Assert.Equal(["request_type_title", "total"], metrics.OpenedByWeek().Columns.Select(c => c.Name));
        Assert.Equal([0, 0, 0], Values(metrics.Stats(), "num_issues"));
        Assert.Equal(0, metrics.RollingSeries().Rows.Count);
        var error = Assert.Throws<ServiceRequestsException>(() => metrics.LastWeeks());
        Assert.Contains("pass the week", error.Message);
        Assert.Equal(40, metrics.LastWeeks(new DateOnly(2025, 6, 1)).Rows.Count); // (All types + 3 types) × 10 metrics
    }

    [Fact]
    public void A_reversed_range_is_refused()
    {
        var metrics = Metrics(Frame(new Issue("Potholes", "2025-06-02 08:00")));
        var error = Assert.Throws<ArgumentException>(() => metrics.Stats(new DateOnly(2025, 6, 9), new DateOnly(2025, 6, 1)));
        Assert.Contains("2025-06-09", error.Message);
        Assert.Throws<ArgumentException>(() => metrics.RollingSeries(new DateOnly(2025, 6, 9), new DateOnly(2025, 6, 1)));
    }

    [Theory]
    [InlineData(PortalSchema.ClosedAt)]
    [InlineData(PortalSchema.RequestTypeTitle)]
    [InlineData(PortalSchema.CanonicalIssueId)]
    public void A_missing_column_is_named(string column)
    {
        var frame = Frame(new Issue("Potholes", "2025-06-02 08:00"));
        frame.Columns.Remove(column);
        var error = Assert.Throws<ArgumentException>(() => Metrics(frame));
        Assert.Contains($"'{column}'", error.Message);
    }

    [Fact]
    public void A_mistyped_column_is_named_with_the_type_needed()
    {
        var frame = Frame(new Issue("Potholes", "2025-06-02 08:00"));
        frame.Columns.Remove(PortalSchema.CreatedAt);
        frame.Columns.Add(new StringDataFrameColumn(PortalSchema.CreatedAt, ["2025-06-02T08:00:00"]));
        var error = Assert.Throws<ArgumentException>(() => Metrics(frame));
        Assert.Contains("'created_at'", error.Message);
        Assert.Contains("DateTimeDataFrameColumn", error.Message);
    }

    [Fact]
    public void Timestamps_at_the_ends_of_the_calendar_do_not_break_the_tables()
    {
        var frame = Frame(
            new Issue("Potholes", "0001-01-01 00:00", "0001-01-03 00:00"),
            new Issue("Potholes", "9999-12-31 23:59", "9999-12-31 23:59:59"),
            new Issue("Tree Issue", "0001-01-02 00:00"));
        foreach (var duration in new[] { DurationMode.Elapsed, DurationMode.WallClock })
        {
            var metrics = Metrics(frame, new MetricOptions { Duration = duration });
            Assert.Equal(2, Cell(metrics.Stats(), "Potholes", "num_closed"));
            // Closed in 2 days (year 1) and in 59 seconds (year 9999).
            Assert.Equal((2 + 59.0 / 86400) / 2, (double)Cell(metrics.TimeToClose(), "Potholes", "mean_days_to_close")!, 9);
            Assert.Equal(1, Cell(metrics.SlaCompliance(), "Tree Issue", "num_open_past_sla"));
            Assert.Equal(["request_type_title", "0001-01-01", "total"], metrics.OpenedByWeek(new DateOnly(1, 1, 1), new DateOnly(1, 1, 6)).Columns.Select(c => c.Name));
            Assert.Equal(40, metrics.LastWeeks().Rows.Count);
            Assert.Throws<ArgumentException>(() => metrics.LastWeeks(new DateOnly(1, 1, 5)));
            // The first week (Sunday 31 Dec of year 0 to Saturday 6 Jan of year 1) holds two issues; labelled by 0001-01-01.
            var series = metrics.RollingSeries(new DateOnly(1, 1, 1), new DateOnly(1, 1, 14));
            Assert.Equal(2, Cell(series, IssueMetrics.AllTypes, "num_issues"));
            Assert.Equal(new DateTime(1, 1, 1), Cell(series, IssueMetrics.AllTypes, "week_start"));
        }
    }

    [Fact]
    public void Random_frames_keep_every_table_consistent()
    {
        string?[] types = ["Potholes", "Tree Issue", "Traffic Complaints", "Graffiti", null];
        string?[] statuses = ["Open", "Acknowledged", "Closed", "Archived", "odd", null];
        for (var seed = 0; seed < 25; seed++)
        {
            var random = new Random(seed);
            var start = new DateTime(2024, 10, 1);
            string? Time(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
            var issues = Enumerable.Range(0, random.Next(0, 300)).Select(_ =>
            {
                var created = start.AddMinutes(random.Next(0, 60 * 24 * 500));
                var closed = random.NextDouble() < 0.8 ? created.AddMinutes(random.Next(-120, 60 * 24 * 40)) : (DateTime?)null;
                return new Issue(types[random.Next(types.Length)], random.NextDouble() < 0.02 ? null : Time(created), closed is { } c ? Time(c) : null)
                {
                    Reopened = random.NextDouble() < 0.1 ? Time(created.AddDays(3)) : null,
                    Canonical = random.NextDouble() < 0.1 ? 7 : null,
                    Status = statuses[random.Next(statuses.Length)],
                };
            }).ToArray();
            var options = new MetricOptions
            {
                Duration = random.NextDouble() < 0.5 ? DurationMode.Elapsed : DurationMode.WallClock,
                WeekStart = random.NextDouble() < 0.5 ? DayOfWeek.Sunday : DayOfWeek.Monday,
                MinimumVolume = random.Next(0, 30),
                WeeksShown = random.Next(1, 6),
                RollingWeeks = random.Next(1, 6),
            };
            var metrics = Metrics(Frame(issues), options);
            var count = metrics.IssueCount;
            Assert.Equal(issues.Length, count + metrics.RowsWithoutCreatedAt);
            Assert.Equal(count, Values(metrics.Stats(), "num_issues").Sum(v => (int)v!));
            Assert.Equal(count, Row(metrics.OpenedByWeek(), IssueMetrics.AllTypes).Last());
            Assert.Equal(count, Row(metrics.OpenedByMonth(), IssueMetrics.AllTypes).Last());
            var times = metrics.TimeToClose(by: MetricGrouping.Department);
            Assert.Equal(count, Values(times, "num_closed").Sum(v => (int)v!) + Values(times, "num_open").Sum(v => (int)v!));
            var sla = metrics.SlaCompliance();
            for (long i = 0; i < sla.Rows.Count; i++)
            {
                var within = (int?)sla["num_within_sla"][i] ?? 0;
                var breached = (int?)sla["num_breached"][i] ?? 0;
                Assert.True(within + breached <= (int)sla["num_closed"][i]!);
                Assert.True(sla["perc_within_sla"][i] is null or (>= 0.0 and <= 100.0));
            }
            var ranks = Values(metrics.Reopened(), "rank").OfType<int>().ToList();
            Assert.Equal(Enumerable.Range(1, ranks.Count), ranks);
            if (count > 0)
            {
                Assert.Equal(2 + options.WeeksShown + 4, metrics.LastWeeks().Columns.Count);
                var series = metrics.RollingSeries();
                Assert.All(series["rolling_perc_reopened"].Cast<double?>(), p => Assert.True(p is null or (>= 0 and <= 100)));
            }
        }
    }

    [Fact]
    public void Interleaved_calls_for_other_ranges_and_groupings_give_the_same_tables()
    {
        var frame = Frame(
            new Issue("Potholes", "2025-06-02 08:00", "2025-06-03 08:00"),
            new Issue("Tree Issue", "2025-06-09 08:00", "2025-06-12 08:00"),
            new Issue("Potholes", "2025-06-10 08:00"));
        var metrics = Metrics(frame);
        var june2 = new DateOnly(2025, 6, 2);
        var first = metrics.TimeToClose(june2, june2);
        var all = metrics.TimeToClose();
        metrics.SlaCompliance(by: MetricGrouping.Department);
        var again = metrics.TimeToClose(june2, june2);
        Assert.Equal(Values(first, "num_issues"), Values(again, "num_issues"));
        Assert.Equal([1, 0, 0], Values(again, "num_issues"));
        Assert.Equal([2, 0, 1], Values(all, "num_issues"));
        Assert.Equal([2, 0, 1], Values(metrics.Stats(), "num_issues"));
    }

    [Fact]
    public void The_rolling_series_covers_data_that_starts_inside_the_last_complete_week()
    {
        // Created Monday 2 June; the data ends on Thursday 12 June, so the last complete week is
        // the week of Sunday 1 June, which starts before the first creation date: one week of series.
        var metrics = Metrics(Frame(new Issue("Potholes", "2025-06-02 08:00", "2025-06-03 08:00"), new Issue("Tree Issue", "2025-06-12 08:00")));
        Assert.Equal(new DateOnly(2025, 6, 1), metrics.LastCompleteWeek);
        var series = metrics.RollingSeries();
        Assert.Equal([new DateTime(2025, 6, 1)], series["week_start"].Cast<DateTime>().Distinct());
        Assert.Equal(1, Cell(series, IssueMetrics.AllTypes, "num_issues"));
    }
}
