using Microsoft.Data.Analysis;
using ServiceRequests.Metrics;
using static ServiceRequests.Tests.Metrics.Issues;

namespace ServiceRequests.Tests.Metrics;

/// <summary>
/// The censoring-aware tables on hand-made issues whose answers are worked out in the comments:
/// Kaplan–Meier time to close, fixed-age cohorts, backlog and the change tests.
/// </summary>
public class CensoredMetricsTests
{
    private static readonly SlaTable Sla = SlaTable.Parse(
        "request_type_title,department,sla_days\nPotholes,Public Works,2\nTree Issue,General Services,14\nTraffic Complaints,Police,\n");

    // Potholes created in the week of Sunday 1 June 2025: closed after 1 and 3 days, one still open
    // (8 days old at the as-of time), one archived without ever being closed (7 days old). A tree
    // issue closed after 20 days, and a pothole of the next week.
    private static readonly Issue[] June =
    [
        new("Potholes", "2025-06-02 08:00", "2025-06-03 08:00"),
        new("Potholes", "2025-06-02 08:00", "2025-06-05 08:00"),
        new("Potholes", "2025-06-04 08:00"),
        new("Potholes", "2025-06-05 08:00") { Status = "Archived" },
        new("Tree Issue", "2025-06-02 08:00", "2025-06-22 08:00"),
        new("Potholes", "2025-06-09 08:00"),
    ];

    private static IssueMetrics Metrics(Issue[] issues, string asOf, MetricOptions? options = null) =>
        new(Frame(issues), Sla, (options ?? new MetricOptions()) with { AsOf = At(asOf) });

    [Fact]
    public void Kaplan_Meier_counts_open_and_archived_issues_as_censored()
    {
        var metrics = Metrics(June, "2025-06-12 08:00");
        var table = metrics.TimeToCloseSurvival(new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 7));
        Assert.Equal(["request_type_title", "department", "num_issues", "num_closed", "num_open", "median_days", "median_low", "median_high",
            "p90_days", "p90_low", "p90_high", "note"], table.Columns.Select(c => c.Name));
        // Potholes: closes at 1 and 3 days, censored at 7 and 8: S(1) = 3/4, S(3) = 3/4 · 2/3 = 1/2, so the
        // median is 3 days (the closed ones alone would say 2) and 90 % is never reached.
        Assert.Equal(4, Cell(table, "Potholes", "num_issues"));
        Assert.Equal(2, Cell(table, "Potholes", "num_closed"));
        Assert.Equal(2, Cell(table, "Potholes", "num_open"));
        Assert.Equal(3.0, Cell(table, "Potholes", "median_days"));
        Assert.Null(Cell(table, "Potholes", "p90_days"));
        Assert.Equal("p90 not reached: 50 % closed", Cell(table, "Potholes", "note"));
        Assert.Equal(2.0, metrics.TimeToClose(new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 7))["median_days_to_close"][0]);
        // Tree Issue: one close at 20 days: S(20) = 0, median and p90 20; its interval is undefined.
        Assert.Equal(20.0, Cell(table, "Tree Issue", "median_days"));
        Assert.Equal(20.0, Cell(table, "Tree Issue", "p90_days"));
        Assert.Null(Cell(table, "Tree Issue", "median_low"));
        Assert.Equal("no issues", Cell(table, "Traffic Complaints", "note"));
        // All types: closes at 1, 3, 20, censored at 7, 8: S(1) = 4/5, S(3) = 3/5, S(20) = 0: median 20.
        Assert.Equal(5, Cell(table, IssueMetrics.AllTypes, "num_issues"));
        Assert.Equal(20.0, Cell(table, IssueMetrics.AllTypes, "median_days"));
        Assert.Null(Cell(table, IssueMetrics.AllTypes, "department"));

        var departments = metrics.TimeToCloseSurvival(new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 7), MetricGrouping.Department);
        Assert.Equal(["General Services", "Police", "Public Works"], Values(departments, "department"));
        Assert.Equal(3.0, Cell(departments, "Public Works", "median_days"));
    }

    [Fact]
    public void Kaplan_Meier_per_creation_week_for_one_type_or_all()
    {
        var metrics = Metrics(June, "2025-06-12 08:00");
        var weeks = metrics.TimeToCloseSurvivalByWeek(requestType: "Potholes");
        Assert.Equal([new DateTime(2025, 6, 1), new DateTime(2025, 6, 8)], weeks["week_start"].Cast<DateTime?>().Select(d => d!.Value));
        Assert.Equal([new DateTime(2025, 6, 7), new DateTime(2025, 6, 14)], weeks["week_end"].Cast<DateTime?>().Select(d => d!.Value));
        Assert.Equal([4, 1], weeks["num_issues"].Cast<int?>().Select(n => n!.Value));
        Assert.Equal(3.0, weeks["median_days"][0]);
        // The second week's only pothole is 3 days old and open: not reached.
        Assert.Null(weeks["median_days"][1]);
        Assert.Equal("median and p90 not reached: 0 % closed", weeks["note"][1]);
        Assert.Equal([5, 1], metrics.TimeToCloseSurvivalByWeek()["num_issues"].Cast<int?>().Select(n => n!.Value));
        Assert.Throws<ArgumentException>(() => metrics.TimeToCloseSurvivalByWeek(requestType: "Unicorns"));
    }

    [Fact]
    public void A_cohort_is_final_once_its_youngest_issue_is_as_old_as_the_limit()
    {
        var metrics = Metrics(June, "2025-06-12 08:00");
        var table = metrics.CohortCompliance();
        Assert.Equal(["week_start", "request_type_title", "measure", "limit_days", "num_issues", "num_met", "perc_met", "perc_low", "perc_high", "state", "final_at"],
            table.Columns.Select(c => c.Name));
        DataFrameRow Row(string week, string type, string measure) => table.Rows.Single(r =>
            (DateTime)r[0] == DateTime.Parse(week, System.Globalization.CultureInfo.InvariantCulture) && (string)r[1] == type && (string)r[2] == measure);

        // Week of 1 June, Potholes (SLA 2 days): its last date is Saturday 7 June, so it is final at
        // Sunday 8 June 00:00 + 2 days = 10 June 00:00, before the as-of time. Met: only the 1-day close
        // (0 < 1 < 2); the 3-day close, the open and the archived one count against it: 1 of 4.
        var sla = Row("2025-06-01", "Potholes", IssueMetrics.WithinSla);
        Assert.Equal("final", sla["state"]);
        Assert.Equal(new DateTime(2025, 6, 10), sla["final_at"]);
        Assert.Equal(2.0, sla["limit_days"]);
        Assert.Equal((4, 1, 25.0), ((int)sla["num_issues"], (int)sla["num_met"], (double)sla["perc_met"]));
        var wilson = Inference.Wilson(1, 4)!.Value;
        Assert.Equal(wilson.Low * 100, (double)sla["perc_low"], 9);
        Assert.Equal(wilson.High * 100, (double)sla["perc_high"], 9);
        // Within 7 days: final at 15 June, after 12 June: pending, no share shown.
        var week7 = Row("2025-06-01", "Potholes", IssueMetrics.ClosedWithin7Days);
        Assert.Equal(("pending", new DateTime(2025, 6, 15)), ((string)week7["state"], (DateTime)week7["final_at"]));
        Assert.Null(week7["perc_met"]);
        Assert.Null(week7["num_met"]);
        // The next week's pothole: final at 17 June: pending.
        Assert.Equal("pending", Row("2025-06-08", "Potholes", IssueMetrics.WithinSla)["state"]);
        // A type without SLA, and the pooled row that waits for the longest SLA (14 days: 22 June).
        Assert.Equal("no SLA", Row("2025-06-01", "Traffic Complaints", IssueMetrics.WithinSla)["state"]);
        Assert.Null(Row("2025-06-01", "Traffic Complaints", IssueMetrics.WithinSla)["num_issues"]);
        var all = Row("2025-06-01", IssueMetrics.AllTypes, IssueMetrics.WithinSla);
        Assert.Equal(("pending", 14.0, new DateTime(2025, 6, 22)), ((string)all["state"], (double)all["limit_days"], (DateTime)all["final_at"]));

        // Later, everything of the first week is final: 30 days for 1 June's cohort at 8 July 00:00.
        var later = Metrics(June, "2025-07-08 00:00").CohortCompliance(new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 7));
        Assert.All(later.Rows.Where(r => (string)r[1] != "Traffic Complaints" || (string)r[2] != IssueMetrics.WithinSla), r => Assert.Contains((string)r["state"], new[] { "final", "no issues" }));
        // Tree Issue closed after 20 days: not within its 14-day SLA, nor 7 days, but within 30 days.
        Assert.Equal([0.0, 0.0, 100.0], later.Rows.Where(r => (string)r[1] == "Tree Issue").Select(r => (double)r["perc_met"]));
    }

    [Fact]
    public void Final_dates_follow_elapsed_time_across_the_autumn_clock_change()
    {
        // The week of Sunday 26 October 2025 ends at Sunday 2 November 00:00 (EDT); clocks fall back at
        // 02:00 that day, so 7 days of elapsed time later it is 8 November 23:00 on the wall clock.
        Issue[] issues = [new("Potholes", "2025-10-27 08:00", "2025-10-28 08:00")];
        var elapsed = Metrics(issues, "2025-12-31 00:00").CohortCompliance();
        var wall = Metrics(issues, "2025-12-31 00:00", new MetricOptions { Duration = DurationMode.WallClock }).CohortCompliance();
        DateTime FinalAt(DataFrame t) => (DateTime)t.Rows.Single(r => (string)r[1] == "Potholes" && (string)r[2] == IssueMetrics.ClosedWithin7Days)["final_at"];
        Assert.Equal(new DateTime(2025, 11, 8, 23, 0, 0), FinalAt(elapsed));
        Assert.Equal(new DateTime(2025, 11, 9), FinalAt(wall));
    }

    [Fact]
    public void Backlog_at_a_moment_by_age_bucket()
    {
        Issue[] issues =
        [
            .. June,
            new("Tree Issue", "2025-01-01 08:00"),                   // open, 156 days old on 6 June: over 90
            new("Tree Issue", "2025-05-29 08:00"),                   // exactly 8 days old on 6 June 08:00: 8–30
            new("Tree Issue", "2025-05-29 08:01"),                   // 7 days 23:59 old: still 0–7 (whole days)
            new("Potholes", "2025-06-06 09:00"),                     // created after the moment: not yet open
            new("Potholes", "2025-03-01 08:00", "2025-06-06 08:00"), // closed exactly at the moment: not open
        ];
        var metrics = Metrics(issues, "2025-06-12 08:00");
        var backlog = metrics.Backlog(At("2025-06-06 08:00"));
        Assert.Equal(["request_type_title", "department", "num_open", "open_0_7_days", "open_8_30_days", "open_31_90_days", "open_over_90_days",
            "median_age_days", "max_age_days"], backlog.Columns.Select(c => c.Name));
        // Potholes open then: created 4 June (2 days) and 5 June (1 day; archived later without a close);
        // those created 2 June closed on 3 and 5 June.
        Assert.Equal([2, 2, 0, 0, 0], Row(backlog, "Potholes").Skip(2).Take(5).Cast<int>());
        Assert.Equal(1.5, Cell(backlog, "Potholes", "median_age_days"));
        // Tree Issue: the 20-day one (4 days old), 7.999 days, 8 days and 156 days.
        Assert.Equal([4, 2, 1, 0, 1], Row(backlog, "Tree Issue").Skip(2).Take(5).Cast<int>());
        // Elapsed time: the spring clock change lies between, so 156 days less one hour.
        Assert.Equal(156 - 1.0 / 24, (double)Cell(backlog, "Tree Issue", "max_age_days")!, 9);
        Assert.Equal([6, 4, 1, 0, 1], Row(backlog, IssueMetrics.AllTypes).Skip(2).Take(5).Cast<int>());
        Assert.Throws<ArgumentException>(() => metrics.Backlog(At("2025-06-13 08:00")));
        Assert.Equal(["General Services", "Police", "Public Works", IssueMetrics.AllTypes], Values(metrics.Backlog(by: MetricGrouping.Department), "department"));
    }

    [Fact]
    public void Backlog_week_by_week_is_measured_at_each_week_end()
    {
        var metrics = Metrics(June, "2025-06-30 08:00");
        var weeks = metrics.BacklogByWeek(new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 28));
        // At Sunday 8 June 00:00: potholes of 4 and 5 June open (the others closed by 5 June), the tree issue open.
        // At 15 June: the same plus the pothole of 9 June (0–7 days); the two June potholes are now 10 and 11 days old.
        // At 22 June 00:00: the tree issue (closed 22 June 08:00) still open. At 29 June: it is closed.
        int[] Open(string type) => [.. weeks.Rows.Where(r => (string)r[2] == type).Select(r => (int)r["num_open"])];
        Assert.Equal([2, 3, 3, 3], Open("Potholes"));
        Assert.Equal([1, 1, 1, 0], Open("Tree Issue"));
        Assert.Equal([3, 4, 4, 3], Open(IssueMetrics.AllTypes));
        var secondWeek = weeks.Rows.Single(r => (string)r[2] == "Potholes" && (DateTime)r[0] == new DateTime(2025, 6, 8));
        Assert.Equal((1, 2), ((int)secondWeek["open_0_7_days"], (int)secondWeek["open_8_30_days"]));
        Assert.Equal(new DateTime(2025, 6, 14), secondWeek["week_end"]);
        // The week of 29 June ends after the as-of time: left out.
        Assert.Equal(4, Metrics(June, "2025-06-30 08:00").BacklogByWeek(new DateOnly(2025, 6, 1), new DateOnly(2025, 7, 5))["week_start"].Cast<DateTime?>().Distinct().Count());
    }

    [Fact]
    public void Changes_test_the_latest_week_against_a_baseline_before_it()
    {
        // A window of one week: the week of 29 June against the 3 weeks before it (8, 15, 22 June). Potholes:
        // 10, 12, 8 and 10 issues in the four weeks of June, then 30 in the week of 29 June, every one closed
        // after one day. Tree Issue: 2 a week (too few). Traffic Complaints: no SLA.
        var issues = new List<Issue>();
        int[] counts = [10, 12, 8, 10, 30];
        for (var w = 0; w < counts.Length; w++)
        {
            var monday = new DateTime(2025, 6, 2).AddDays(7 * w);
            for (var k = 0; k < counts[w]; k++)
            {
                var created = monday.AddMinutes(17 * k);
                issues.Add(new Issue("Potholes", $"{created:yyyy-MM-dd HH:mm}", $"{created.AddDays(1):yyyy-MM-dd HH:mm}"));
            }
            issues.Add(new Issue("Tree Issue", $"{monday:yyyy-MM-dd} 09:00"));
            issues.Add(new Issue("Tree Issue", $"{monday:yyyy-MM-dd} 10:00"));
            issues.Add(new Issue("Traffic Complaints", $"{monday:yyyy-MM-dd} 11:00", $"{monday:yyyy-MM-dd} 12:00"));
        }
        var metrics = Metrics([.. issues], "2025-07-10 08:00", new MetricOptions { RollingWeeks = 1, MinimumVolume = 5 });
        var changes = metrics.Changes(new DateOnly(2025, 6, 29));
        Assert.Equal(["request_type_title", "metric", "test", "week_start", "weeks", "num_issues", "value", "value_low", "value_high", "baseline",
            "baseline_low", "baseline_high", "change", "change_low", "change_high", "change_start", "p_value", "q_value", "result", "flagged", "evidence"],
            changes.Columns.Select(c => c.Name));
        Assert.Equal(12, changes.Rows.Count); // (all types + 3 types) × 3 metrics, one test (a window of one week is the week)
        Assert.All(changes["test"].Cast<string>(), t => Assert.Equal("week", t));
        DataFrameRow Row(string type, string metric) => Issues.Row(changes, type, metric);

        // Baseline mean 10, sample variance (4 + 4 + 0)/2 = 4 < 10: no extra-Poisson variance (α = 0), so the
        // prediction variance is 10·(1 + 1/3) = 13.33 and z = (30 − 10)/√13.33 = 5.48.
        var potholes = Row("Potholes", IssueMetrics.IssuesOpened);
        Assert.Equal((30.0, 10.0), ((double)potholes["value"], (double)potholes["baseline"]));
        var sd = Math.Sqrt(40.0 / 3);
        Assert.Equal(10 - 1.959963984540054 * sd, (double)potholes["baseline_low"], 9);
        Assert.Equal(10 + 1.959963984540054 * sd, (double)potholes["baseline_high"], 9);
        Assert.Equal(20 - 1.959963984540054 * sd, (double)potholes["change_low"], 9);
        Assert.Equal(20 + 1.959963984540054 * sd, (double)potholes["change_high"], 9);
        Assert.Equal(Inference.CountP(30, 10, 40.0 / 3, double.PositiveInfinity), (double)potholes["p_value"], 12);
        Assert.Equal(("higher", true), ((string)potholes["result"], (bool)potholes["flagged"]));
        Assert.StartsWith("30 issues in the week of 2025-06-29 against 10 a week in the 3 weeks before; 2.8–17.2 a week expected", (string)potholes["evidence"]);
        Assert.Null(potholes["change_start"]); // only window rows estimate when a change began

        // Shares and times: the cohort of 29 June (final: 2-day SLA, 6 July + 2 days < 10 July) closes as
        // the baseline's did (100 % within SLA, all after one day): tested, no change.
        var share = Row("Potholes", IssueMetrics.PercWithinSla);
        Assert.Equal((new DateTime(2025, 6, 29), 30, 100.0, 100.0), ((DateTime)share["week_start"], (int)share["num_issues"], (double)share["value"], (double)share["baseline"]));
        Assert.Equal(("no change", 1.0), ((string)share["result"], (double)share["p_value"]));
        Assert.Contains("against 100 % of 30 (", (string)share["evidence"]);
        var close = Row("Potholes", IssueMetrics.MedianDaysToClose);
        Assert.Equal((1.0, 1.0, "no change"), ((double)close["value"], (double)close["baseline"], (string)close["result"]));

        // Tree Issue: 2 a week in the baseline, below the minimum volume (5): not tested. Traffic Complaints has no SLA.
        Assert.Equal("too few", Row("Tree Issue", IssueMetrics.IssuesOpened)["result"]);
        Assert.Null(Row("Tree Issue", IssueMetrics.IssuesOpened)["p_value"]);
        Assert.Equal("no SLA", Row("Traffic Complaints", IssueMetrics.PercWithinSla)["result"]);

        // Benjamini–Hochberg over the tested rows: the q-value of each row is its p·m/rank, then the running minimum.
        var p = changes["p_value"].Cast<double?>().ToList();
        Assert.Equal(Inference.BenjaminiHochberg(p), changes["q_value"].Cast<double?>());
        Assert.Equal(IssueMetrics.AllTypes, changes["request_type_title"][0]);
    }

    [Fact]
    public void A_change_that_lasts_the_window_is_tested_as_one_unit_with_its_start_and_size()
    {
        // 24 weeks from Sunday 5 January 2025 of three types at about 30 a week; Potholes doubles for the last
        // three weeks. Against the 12 weeks before the window (weeks 8–19) the window of weeks 20–23 holds
        // 30 + 3 × 60 issues; its baseline never holds the change, and the change began in week 21.
        int[] noise = [-3, 2, 0, 4, -1, -4, 1, 3, -2, 0];
        string[] types = ["Potholes", "Tree Issue", "Abandoned Vehicle"];
        var issues = new List<Issue>();
        for (var w = 0; w < 24; w++)
        {
            var sunday = new DateTime(2025, 1, 5).AddDays(7 * w);
            for (var t = 0; t < types.Length; t++)
            {
                var count = 30 + noise[(w + 3 * t) % noise.Length];
                if (types[t] == "Potholes" && w >= 21)
                {
                    count *= 2;
                }
                for (var k = 0; k < count; k++)
                {
                    var created = sunday.AddMinutes(9 * 60 + 100 * k);
                    issues.Add(new Issue(types[t], $"{created:yyyy-MM-dd HH:mm}", $"{created.AddDays(1):yyyy-MM-dd HH:mm}"));
                }
            }
        }
        var metrics = Metrics([.. issues], "2025-06-22 08:00");
        Assert.Equal(new DateOnly(2025, 6, 15), metrics.LastCompleteWeek);
        var changes = metrics.Changes();
        var window = Issues.Row(changes, "Potholes", IssueMetrics.IssuesOpened, "window");
        Assert.Equal((new DateTime(2025, 5, 25), 4), ((DateTime)window["week_start"], (int)window["weeks"]));
        var observed = Enumerable.Range(20, 4).Sum(w => (30 + noise[w % noise.Length]) * (w >= 21 ? 2 : 1));
        Assert.Equal(observed, (int)window["num_issues"]);
        var baseline = Enumerable.Range(8, 12).Average(w => 30 + noise[w % noise.Length]);
        Assert.Equal((observed / 4.0, baseline), ((double)window["value"], (double)window["baseline"]));
        Assert.Equal(("higher", true), ((string)window["result"], (bool)window["flagged"]));
        Assert.Equal(new DateTime(2025, 6, 1), window["change_start"]);
        Assert.InRange(observed / 4.0 - baseline, (double)window["change_low"], (double)window["change_high"]);
        Assert.Contains("calibrated on 5 earlier positions", (string)window["evidence"]);
        // The steady types are not flagged, in the window or in the week.
        Assert.All(new[] { "Tree Issue", "Abandoned Vehicle" }, type => Assert.All(new[] { "window", "week" },
            test => Assert.Equal("no change", Issues.Row(changes, type, IssueMetrics.IssuesOpened, test)["result"])));
    }

    [Fact]
    public void Whether_a_row_is_tested_depends_on_its_baseline_not_on_the_tested_week()
    {
        // Tree Issue averages 4 a week, then spikes to 26 in the tested week. Testing it only because the week
        // reached the minimum volume (the rule before issue 21) gave it a tiny p-value that loosened the
        // Benjamini–Hochberg threshold of every other row; from its baseline it is too few to test.
        var issues = new List<Issue>();
        for (var w = 0; w < 16; w++)
        {
            var sunday = new DateTime(2025, 3, 2).AddDays(7 * w);
            var trees = w == 15 ? 26 : 3 + w % 3;
            for (var k = 0; k < trees; k++)
            {
                issues.Add(new Issue("Tree Issue", $"{sunday.AddMinutes(9 * 60 + 97 * k):yyyy-MM-dd HH:mm}"));
            }
            for (var k = 0; k < 25; k++)
            {
                var created = sunday.AddMinutes(9 * 60 + 131 * k);
                issues.Add(new Issue("Potholes", $"{created:yyyy-MM-dd HH:mm}", $"{created.AddDays(1):yyyy-MM-dd HH:mm}"));
            }
        }
        var changes = Metrics([.. issues], "2025-06-22 08:00").Changes(new DateOnly(2025, 6, 15));
        var week = Issues.Row(changes, "Tree Issue", IssueMetrics.IssuesOpened, "week");
        Assert.Equal((26, "too few"), ((int)week["num_issues"], (string)week["result"]));
        Assert.Null(week["p_value"]);
        Assert.StartsWith("4 a week in the 12 weeks before: fewer than 20 expected", (string)week["evidence"]);
        // Its window expects 4 × 4 = 16 < 20: not tested either.
        Assert.Equal("too few", Issues.Row(changes, "Tree Issue", IssueMetrics.IssuesOpened, "window")["result"]);
    }

    [Fact]
    public void The_last_complete_week_by_a_date_ended_by_it_and_before_the_pull()
    {
        // Pulled on Wednesday 28 May 2025: the week of 25 May is not over, the week of 18 May is the last complete one.
        var metrics = Metrics([new Issue("Potholes", "2025-03-03 09:00")], "2025-05-28 12:00");
        Assert.Equal(new DateOnly(2025, 5, 18), metrics.LastCompleteWeek);
        Assert.Equal(new DateOnly(2025, 5, 18), metrics.LastCompleteWeekBy(new DateOnly(2025, 5, 31))); // the pull cuts it
        Assert.Equal(new DateOnly(2025, 5, 4), metrics.LastCompleteWeekBy(new DateOnly(2025, 5, 14)));  // a Wednesday: its week is not over by then
        Assert.Equal(new DateOnly(2025, 5, 11), metrics.LastCompleteWeekBy(new DateOnly(2025, 5, 17))); // a Saturday: its week is
    }

    [Fact]
    public void Data_shorter_than_the_window_and_its_baseline_is_one_line_saying_how_many_weeks_are_there()
    {
        var issues = Enumerable.Range(0, 70).Select(i => new Issue("Potholes", $"{new DateTime(2025, 3, 2).AddDays(i):yyyy-MM-dd} 09:00")).ToArray();
        var metrics = Metrics(issues, "2025-05-12 08:00");
        const string Line = "Testing the 4 weeks up to the week of 2025-05-04 needs 16 weeks of data (those and the 12 before them as the baseline); "
            + "the data has 10 up to then (from the week of 2025-03-02): give fewer weeks or more data.";
        Assert.Equal(16, metrics.ChangeWeeksNeeded);
        Assert.Equal(Line, metrics.ChangeProblem());
        Assert.Equal(Line, Assert.Throws<ServiceRequestsException>(() => metrics.Changes()).Message);
        // A window of two weeks needs 8: the data has them.
        var shorter = Metrics(issues, "2025-05-12 08:00", new MetricOptions { RollingWeeks = 2 });
        Assert.Null(shorter.ChangeProblem());
        Assert.Equal(2, (int)Issues.Row(shorter.Changes(), "Potholes", IssueMetrics.IssuesOpened, "window")["weeks"]);
    }

    [Fact]
    public void Changes_give_a_type_whose_weeks_swing_a_wider_range_than_steady_types_and_compare_outcomes_with_12_cohorts()
    {
        // Sixteen weeks from Sunday 2 March 2025, then the tested week of 22 June: three steady types
        // (30 a week, ± 2) and Abandoned Vehicle swinging 15, 45, 15, 45, … around the same mean of 30.
        // Every type has 30 issues in the tested week and a baseline mean of 30–30.1. A variance pooled over
        // the types alone gives every type the same expected range; moderated by each type's own
        // weeks, the swinging type's range is wider.
        int[] steady = [-1, 1, 0, 2, -2, 0, 1, -1];
        string[] types = ["Potholes", "Tree Issue", "Traffic Complaints", "Abandoned Vehicle"];
        var issues = new List<Issue>();
        for (var w = 0; w <= 16; w++)
        {
            var sunday = new DateTime(2025, 3, 2).AddDays(7 * w);
            foreach (var type in types)
            {
                var count = w == 16 ? 30 : type == "Abandoned Vehicle" ? (w % 2 == 0 ? 15 : 45) : 30 + steady[w % 8];
                for (var k = 0; k < count; k++)
                {
                    var created = sunday.AddMinutes(9 * 60 + 199 * k);
                    issues.Add(new Issue(type, $"{created:yyyy-MM-dd HH:mm}", $"{created.AddDays(1):yyyy-MM-dd HH:mm}"));
                }
            }
        }
        var changes = Metrics([.. issues], "2025-07-10 08:00").Changes(new DateOnly(2025, 6, 22));
        double Width(string type)
        {
            var row = Issues.Row(changes, type, IssueMetrics.IssuesOpened, "week");
            Assert.Equal((30.0, "no change"), ((double)row["value"], (string)row["result"]));
            Assert.InRange((double)row["baseline"], 29.5, 30.5);
            return (double)row["baseline_high"] - (double)row["baseline_low"];
        }
        Assert.True(Width("Abandoned Vehicle") > 2 * Width("Potholes"), $"{Width("Abandoned Vehicle")} against {Width("Potholes")}");
        Assert.Contains("variance ×", (string)Issues.Row(changes, "Abandoned Vehicle", IssueMetrics.IssuesOpened, "week")["evidence"]);

        // The share within SLA of the cohorts of the window (1–22 June) against the 12 cohorts before it (weeks 1–12).
        var share = Issues.Row(changes, "Potholes", IssueMetrics.PercWithinSla, "window");
        var before = Enumerable.Range(1, 12).Sum(w => 30 + steady[w % 8]);
        Assert.Contains($"in the 4 cohorts from 2025-06-01", (string)share["evidence"]);
        Assert.Contains($"against 100 % of {before} (", (string)share["evidence"]);
        Assert.Contains("in the 12 cohorts before", (string)share["evidence"]);
    }

    [Fact]
    public void Outcomes_of_data_too_young_for_a_final_cohort_are_pending()
    {
        // Four weeks of potholes with a 60-day SLA, pulled on the Monday after: no cohort has had its SLA yet.
        var sla = SlaTable.Parse("request_type_title,department,sla_days\nPotholes,Public Works,60\nTraffic Complaints,Police,\n");
        Issue[] issues = [.. Enumerable.Range(0, 120).Select(i => new Issue("Potholes", $"{new DateTime(2025, 5, 12).AddHours(5.5 * i):yyyy-MM-dd HH:mm}"))];
        var metrics = new IssueMetrics(Frame(issues), sla, new MetricOptions { AsOf = At("2025-06-09 09:00"), RollingWeeks = 1 });
        var changes = metrics.Changes(new DateOnly(2025, 6, 1));
        var share = Issues.Row(changes, "Potholes", IssueMetrics.PercWithinSla);
        Assert.Equal("pending", share["result"]);
        Assert.Equal("no cohort is final yet: the first becomes final at 2025-07-17 00:00", share["evidence"]);
        Assert.Equal("pending", Issues.Row(changes, "Potholes", IssueMetrics.MedianDaysToClose)["result"]);
        Assert.Equal("no SLA", Issues.Row(changes, "Traffic Complaints", IssueMetrics.PercWithinSla)["result"]);
    }

    [Fact]
    public void No_issues_give_tables_without_rows_or_with_zero_counts()
    {
        var metrics = new IssueMetrics(Frame(), Sla);
        Assert.Equal([0, 0, 0, 0], metrics.TimeToCloseSurvival()["num_issues"].Cast<int?>().Select(n => n!.Value));
        Assert.Equal("no issues", metrics.TimeToCloseSurvival()["note"][0]);
        Assert.Equal(0, metrics.TimeToCloseSurvivalByWeek().Rows.Count);
        Assert.Equal(0, metrics.CohortCompliance().Rows.Count);
        Assert.Equal(0, metrics.BacklogByWeek().Rows.Count);
        Assert.Equal(0, (int)Cell(metrics.Backlog(), IssueMetrics.AllTypes, "num_open")!);
        Assert.Throws<InvalidOperationException>(() => metrics.Changes());
        Assert.All(metrics.Changes(new DateOnly(2025, 6, 1))["result"].Cast<string>(), r => Assert.Contains(r, new[] { "no baseline", "no SLA", "pending", "too few" }));
    }

    [Fact]
    public void The_bundled_sample_without_real_change_flags_at_most_5_percent_of_rows()
    {
        // The original four-week rule flagged 171 of 310 rows here (issue 12).
        var issues = IssueData.Load("sample");
        var changes = new IssueMetrics(issues, SlaTable.LoadBundled()).Changes();
        var flagged = changes["flagged"].Cast<bool?>().Count(f => f == true);
        Assert.True(flagged <= 0.05 * changes.Rows.Count, $"{flagged} of {changes.Rows.Count} rows flagged");
        Assert.True(changes.Rows.Count - changes["p_value"].NullCount >= 20);
    }
}
