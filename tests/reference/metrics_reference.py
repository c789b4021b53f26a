#!/usr/bin/python3
"""Reference implementation of the service-request metrics in pandas, with the city's
stats.ipynb logic: group by request type, filter issues by local creation week, the strict SLA
rule 0 < days < sla_days, and days measured on local wall-clock times (or as elapsed time with
--duration elapsed). Written as an analyst would in pandas (groupby, crosstab, to_period,
quantile), independently of the C# library, so that a test can check one against the other.

Run with Debian's interpreter, which has pandas 1.5.3 (apt-get install python3-pandas):

    /usr/bin/python3 tests/reference/metrics_reference.py data/improve-detroit-sample.json.gz \
        --sla data/sla.csv --out metrics.json

It writes every table to --out as JSON ({"tables": {name: {"columns": [...], "data": [[...]]}}})
and prints one JSON line with the compute time, the resident memory after loading and the peak
while computing (loading the file is not timed; on Linux the peak is reset after loading).
"""
import argparse
import ctypes
import gc
import gzip
import json
import math
import sys
import time

import numpy as np
import pandas as pd

ALL_TYPES = "All types"
NO_TYPE = "(no request type)"
NO_DEPARTMENT = "(no department)"
STATUSES = ["Open", "Acknowledged", "Closed", "Archived"]
DAY = pd.Timedelta(days=1)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input", help="portal JSON (.json or .json.gz)")
    p.add_argument("--sla", required=True, help="SLA table CSV (request_type_title,department,sla_days)")
    p.add_argument("--out", help="write the tables here as JSON")
    p.add_argument("--duration", choices=["wallclock", "elapsed"], default="wallclock")
    p.add_argument("--week-start", choices=["sunday", "monday"], default="sunday")
    p.add_argument("--as-of", help="floating local time open issues are aged to (default: latest timestamp)")
    p.add_argument("--from", dest="start", help="first creation date of the range (default: first in data)")
    p.add_argument("--to", dest="end", help="last creation date of the range (default: last in data)")
    p.add_argument("--week", help="a date in the week of the stats table (default: last complete week)")
    p.add_argument("--latest-week", help="a date in the latest week of last_weeks (default: last complete week)")
    p.add_argument("--minimum-volume", type=int, default=20)
    p.add_argument("--weeks-shown", type=int, default=4)
    p.add_argument("--rolling-weeks", type=int, default=4)
    p.add_argument("--threshold", type=float, default=25.0, help="flag threshold, percent")
    return p.parse_args()


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        records = json.load(f)
    # Every column, as an analyst loads the portal file (and as the C# side holds it).
    df = pd.DataFrame.from_records(records)
    del records
    for c in ["created_at", "closed_at", "reopened_at", "updated_at"]:
        df[c] = pd.to_datetime(df[c], format="%Y-%m-%dT%H:%M:%S.%f")
    return df


def read_sla(path):
    sla = pd.read_csv(path, dtype={"request_type_title": str, "department": str})
    sla["key"] = sla["request_type_title"].str.strip().str.lower()
    return sla


def release_freed_memory():
    """Returns memory freed after loading (the parsed JSON) to the system, so that it does not count as the computation's."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def peak_rss_reset():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def peak_rss_bytes():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return None


class Metrics:
    def __init__(self, df, sla, args):
        self.args = args
        if df["created_at"].isna().any():
            df = df[df["created_at"].notna()].copy()
        t = df["request_type_title"]
        df["type"] = t.where(t.notna() & (t.fillna("").str.strip() != ""), NO_TYPE)
        stamps = df[["created_at", "closed_at", "reopened_at", "updated_at"]]
        self.as_of = pd.Timestamp(args.as_of) if args.as_of else stamps.max().max()
        if args.duration == "elapsed":
            def instant(s):
                return s.dt.tz_localize("America/Detroit", ambiguous=np.zeros(len(s), dtype=bool),
                                        nonexistent=pd.Timedelta(hours=1)).dt.tz_convert("UTC")
            created = instant(df["created_at"])
            closed = instant(df["closed_at"])
            as_of = pd.Timestamp(self.as_of).tz_localize("America/Detroit", ambiguous=False,
                                                        nonexistent=pd.Timedelta(hours=1)).tz_convert("UTC")
        else:
            created, closed, as_of = df["created_at"], df["closed_at"], self.as_of
        df["closed"] = df["closed_at"].notna()
        df["days"] = ((closed - created) / DAY).where(df["closed"], (as_of - created) / DAY)
        df["reopened"] = df["reopened_at"].notna()
        df["duplicate"] = df["canonical_issue_id"].notna()
        df["day"] = df["created_at"].dt.normalize()
        self.freq = "W-SAT" if args.week_start == "sunday" else "W-SUN"
        df["week"] = df["created_at"].dt.to_period(self.freq).dt.start_time
        df["month"] = df["created_at"].dt.to_period("M")

        # SLA by request type, case-insensitive; types only in the SLA table still get a row.
        by_key = sla.set_index("key")
        key = df["type"].str.strip().str.lower()
        df["sla"] = key.map(by_key["sla_days"])
        df["in_table"] = key.isin(by_key.index)
        data_types = sorted(df["type"].unique())
        matched = set(t.strip().lower() for t in data_types)
        self.rows = sorted(data_types + [t for t, k in zip(sla["request_type_title"], sla["key"]) if k not in matched])
        row_keys = pd.Series(self.rows, index=self.rows).str.strip().str.lower()
        self.row_sla = row_keys.map(by_key["sla_days"])
        self.row_in_table = row_keys.isin(by_key.index)
        self.row_department = row_keys.map(by_key["department"]).fillna(NO_DEPARTMENT)
        df["department"] = df["type"].map(self.row_department)
        self.departments = sorted(self.row_department.unique())
        df["within"] = df["closed"] & (df["days"] > 0) & (df["days"] < df["sla"])
        df["breached"] = df["closed"] & (df["days"] >= df["sla"])
        df["past_sla"] = ~df["closed"] & (df["days"] >= df["sla"])
        df["has_sla"] = df["sla"].notna()
        self.df = df
        self.first_day = df["day"].min()
        self.last_day = df["day"].max()
        self.last_complete_week = pd.Timestamp(self.as_of).normalize().to_period(self.freq).start_time - pd.Timedelta(weeks=1)

    def week_of(self, date):
        return pd.Timestamp(date).to_period(self.freq).start_time

    def range(self):
        start = pd.Timestamp(self.args.start) if self.args.start else self.first_day
        end = pd.Timestamp(self.args.end) if self.args.end else self.last_day
        return start, end

    def in_range(self, start, end):
        df = self.df
        return df[(df["day"] >= start) & (df["day"] <= end)]

    # --- stats.ipynb table ---------------------------------------------------------------
    def stats(self, start, end):
        sub = self.in_range(start, end)
        closed = sub[sub["closed"]]
        g = sub.groupby("type")
        out = pd.DataFrame(index=pd.Index(self.rows, name="request_type_title"))
        out["num_issues"] = g.size()
        out["num_closed"] = closed.groupby("type").size()
        out["median_days_create_to_close"] = closed.groupby("type")["days"].median()
        out["sla_days_to_close"] = self.row_sla
        within = closed[closed["has_sla"]].groupby("type")["within"].sum()
        out["perc_within_sla"] = within / closed[closed["has_sla"]].groupby("type").size() * 100
        out["num_reopened"] = g["reopened"].sum()
        out["num_duplicates"] = g["duplicate"].sum()
        status = sub["status"].fillna("").str.strip().str.lower()
        named = {s.lower(): s for s in STATUSES}
        status = status.map(named).fillna("other")
        counts = pd.crosstab(sub["type"], status)
        for s in STATUSES + ["other"]:
            out["num_status_" + s.lower()] = counts[s] if s in counts.columns else 0
        out["sla_note"] = self.sla_notes()
        return finish(out, counts=["num_issues", "num_closed", "num_reopened", "num_duplicates"] + ["num_status_" + s.lower() for s in STATUSES + ["other"]])

    def sla_notes(self):
        return pd.Series(np.where(~self.row_in_table, "not in SLA table", np.where(self.row_sla.isna(), "no SLA", None)), index=self.rows)

    # --- 1. opened -------------------------------------------------------------------------
    def opened(self, column, periods, labels, start, end):
        df = self.df
        sub = df[(df[column] >= periods[0]) & (df[column] <= periods[-1])]
        table = pd.crosstab(sub["type"], sub[column]).reindex(index=self.rows, columns=periods, fill_value=0)
        table.columns = labels
        table["total"] = table.sum(axis=1)
        table.loc[ALL_TYPES] = table.sum(axis=0)
        table.index.name = "request_type_title"
        return finish(table)

    def opened_by_week(self, start, end):
        periods = list(pd.period_range(pd.Timestamp(start).to_period(self.freq), pd.Timestamp(end).to_period(self.freq), freq=self.freq).start_time)
        return self.opened("week", periods, [p.strftime("%Y-%m-%d") for p in periods], start, end)

    def opened_by_month(self, start, end):
        periods = list(pd.period_range(pd.Timestamp(start).to_period("M"), pd.Timestamp(end).to_period("M"), freq="M"))
        return self.opened("month", periods, [p.strftime("%Y-%m") for p in periods], start, end)

    # --- 2. time to close --------------------------------------------------------------------
    def time_to_close(self, start, end, by):
        sub = self.in_range(start, end)
        closed = sub[sub["closed"]]
        still_open = sub[~sub["closed"]]
        keys = self.rows if by == "type" else self.departments
        out = pd.DataFrame(index=pd.Index(keys, name="request_type_title" if by == "type" else "department"))
        if by == "type":
            out["department"] = self.row_department
        days = closed.groupby(by)["days"]
        out["num_issues"] = sub.groupby(by).size()
        out["num_closed"] = days.size()
        out["mean_days_to_close"] = days.mean()
        quantiles = days.quantile([0.10, 0.25, 0.75, 0.90]).unstack()
        out["p10_days_to_close"] = quantiles[0.10]
        out["p25_days_to_close"] = quantiles[0.25]
        out["median_days_to_close"] = days.median()
        out["p75_days_to_close"] = quantiles[0.75]
        out["p90_days_to_close"] = quantiles[0.90]
        ages = still_open.groupby(by)["days"]
        out["num_open"] = ages.size()
        out["median_open_age_days"] = ages.median()
        out["max_open_age_days"] = ages.max()
        return finish(out, counts=["num_issues", "num_closed", "num_open"])

    # --- 3. SLA compliance -------------------------------------------------------------------
    def sla_by_type(self, start, end):
        sub = self.in_range(start, end)
        g = sub.groupby("type")
        has = self.row_sla.notna()
        out = pd.DataFrame(index=pd.Index(self.rows, name="request_type_title"))
        out["department"] = self.row_department
        out["sla_days"] = self.row_sla
        out["num_closed"] = g["closed"].sum()
        out["num_within_sla"] = g["within"].sum()
        out["num_breached"] = g["breached"].sum()
        out = out.fillna({"num_closed": 0, "num_within_sla": 0, "num_breached": 0})
        out["perc_within_sla"] = (out["num_within_sla"] / out["num_closed"] * 100).where(has & (out["num_closed"] > 0))
        out["num_open"] = (~sub["closed"]).groupby(sub["type"]).sum()
        out["num_open_past_sla"] = g["past_sla"].sum()
        out = out.fillna({"num_open": 0, "num_open_past_sla": 0})
        for c in ["num_within_sla", "num_breached", "num_open_past_sla"]:
            out[c] = out[c].where(has)
        out["sla_note"] = self.sla_notes()
        return finish(out)

    def sla_by_department(self, start, end):
        sub = self.in_range(start, end)
        sub = sub[sub["has_sla"]]
        g = sub.groupby("department")
        out = pd.DataFrame(index=pd.Index(self.departments, name="department"))
        has = self.row_sla.notna()
        out["num_types_with_sla"] = self.row_department[has].value_counts()
        out["num_types_without_sla"] = self.row_department[~has].value_counts()
        out["num_closed"] = g["closed"].sum()
        out["num_within_sla"] = g["within"].sum()
        out["num_breached"] = g["breached"].sum()
        out = out.fillna(0)
        out["perc_within_sla"] = (out["num_within_sla"] / out["num_closed"] * 100).where(out["num_closed"] > 0)
        out["num_open"] = (~sub["closed"]).groupby(sub["department"]).sum()
        out["num_open_past_sla"] = g["past_sla"].sum()
        out = out.fillna({"num_open": 0, "num_open_past_sla": 0})
        return finish(out)

    # --- 4 and 5. re-opened and duplicates, ranked ------------------------------------------
    def ranking(self, start, end, flag, what):
        sub = self.in_range(start, end)
        g = sub.groupby("type")
        out = pd.DataFrame(index=pd.Index(self.rows, name="request_type_title"))
        out["num_issues"] = g.size()
        out["num_" + what] = g[flag].sum()
        out = out.fillna(0)
        out["perc_" + what] = (out["num_" + what] / out["num_issues"] * 100).where(out["num_issues"] > 0)
        out["title"] = out.index
        eligible = (out["num_issues"] > 0) & (out["num_issues"] >= self.args.minimum_volume)
        ranked = out[eligible].sort_values(["perc_" + what, "num_" + what, "title"], ascending=[False, False, True], kind="mergesort")
        ranked["rank"] = np.arange(1, len(ranked) + 1)
        rest = out[~eligible].copy()
        rest["rank"] = np.nan
        out = pd.concat([ranked, rest]).drop(columns="title")
        return finish(out)

    # --- 6. weeks side by side and rolling series -------------------------------------------
    def weekly_cohorts(self, first_week, last_week):
        """Per (row, week): the issues created that week, for every type row and All types."""
        df = self.df
        sub = df[(df["week"] >= first_week) & (df["week"] <= last_week)]
        weeks = pd.date_range(first_week, last_week, freq="7D")
        return sub, weeks

    @staticmethod
    def cohort_metrics(sub, keys):
        g = sub.groupby(keys)
        closed = sub[sub["closed"]]
        gc = closed.groupby(keys)["days"]
        with_sla = sub[sub["has_sla"]]
        m = pd.DataFrame({"num_issues": g.size()})
        m["num_closed"] = gc.size()
        m["num_open"] = (~sub["closed"]).groupby([sub[k] for k in keys]).sum()
        m["mean_days_to_close"] = gc.mean()
        m["median_days_to_close"] = gc.median()
        m["p90_days_to_close"] = gc.quantile(0.9)
        closed_sla = with_sla[with_sla["closed"]].groupby(keys)
        m["perc_within_sla"] = closed_sla["within"].sum() / closed_sla.size() * 100
        m["num_breached"] = with_sla.groupby(keys)["breached"].sum()
        m["perc_reopened"] = g["reopened"].mean() * 100
        m["perc_duplicates"] = g["duplicate"].mean() * 100
        return m

    def last_weeks(self, latest):
        shown, trailing = self.args.weeks_shown, self.args.rolling_weeks
        first = latest - pd.Timedelta(weeks=max(shown - 1, trailing))
        sub, weeks = self.weekly_cohorts(first, latest)
        per_type = self.cohort_metrics(sub, ["type", "week"])
        overall = self.cohort_metrics(sub, ["week"])
        overall.index = pd.MultiIndex.from_product([[ALL_TYPES], overall.index], names=["type", "week"])
        metrics = pd.concat([overall, per_type])
        full = pd.MultiIndex.from_product([[ALL_TYPES] + self.rows, weeks], names=["type", "week"])
        metrics = metrics.reindex(full)
        for c in ["num_issues", "num_closed", "num_open"]:
            metrics[c] = metrics[c].fillna(0)
        # A week's num_breached is empty when no issue that week has an SLA.
        has_sla_issues = sub[sub["has_sla"]].groupby(["type", "week"]).size()
        all_sla = sub[sub["has_sla"]].groupby("week").size()
        all_sla.index = pd.MultiIndex.from_product([[ALL_TYPES], all_sla.index], names=["type", "week"])
        has_sla_issues = pd.concat([all_sla, has_sla_issues]).reindex(full).fillna(0)
        metrics["num_breached"] = metrics["num_breached"].where(has_sla_issues > 0)

        data_start = self.week_of(self.first_day)
        shown_weeks = weeks[-shown:]
        trailing_weeks = [w for w in weeks[-1 - trailing:-1] if w >= data_start]
        issues = metrics["num_issues"].unstack("week")
        volume = issues[[w for w in weeks[-1 - trailing:] if w >= data_start]].sum(axis=1)
        rows = []
        for name in ["num_issues", "num_closed", "num_open", "mean_days_to_close", "median_days_to_close", "p90_days_to_close",
                     "perc_within_sla", "num_breached", "perc_reopened", "perc_duplicates"]:
            wide = metrics[name].unstack("week").reindex([ALL_TYPES] + self.rows)
            part = wide[shown_weeks].copy()
            part.columns = [w.strftime("%Y-%m-%d") for w in shown_weeks]
            now = wide[weeks[-1]]
            part.insert(0, "metric", name)
            part["change_vs_previous_week"] = now - wide[weeks[-2]]
            part["trailing_average"] = wide[trailing_weeks].mean(axis=1) if trailing_weeks else np.nan
            avg = part["trailing_average"]
            part["change_vs_trailing_average_pct"] = ((now - avg) / avg.abs() * 100).where(avg != 0)
            part["flagged"] = (part["change_vs_trailing_average_pct"].abs() >= self.args.threshold) & (volume.reindex(part.index) >= self.args.minimum_volume)
            part["order"] = range(len(part))
            rows.append(part)
        out = pd.concat(rows)
        out["metric_order"] = np.repeat(np.arange(len(rows)), len(rows[0]))
        out = out.sort_values(["order", "metric_order"], kind="mergesort").drop(columns=["order", "metric_order"])
        out.index.name = "request_type_title"
        return finish(out)

    def rolling_series(self, start_week, end_week):
        window = self.args.rolling_weeks
        first = start_week - pd.Timedelta(weeks=window - 1)
        sub, weeks = self.weekly_cohorts(first, end_week)
        keys = [ALL_TYPES] + self.rows
        sub = sub[["type", "week", "closed", "reopened", "duplicate", "within", "has_sla", "days"]]
        counts = pd.concat([sub.assign(type=ALL_TYPES), sub])
        g = counts.groupby(["type", "week"])
        base = pd.DataFrame({"num_issues": g.size(), "closed": g["closed"].sum(), "reopened": g["reopened"].sum(),
                             "duplicate": g["duplicate"].sum(), "within": g["within"].sum(),
                             "closed_sla": (counts["closed"] & counts["has_sla"]).groupby([counts["type"], counts["week"]]).sum()})
        base = base.reindex(pd.MultiIndex.from_product([keys, weeks], names=["type", "week"]), fill_value=0)
        roll = base.groupby(level="type").rolling(window).sum().droplevel(0)
        # Medians need the window's values: slice the closed issues, sorted by week, window by window.
        medians = {}
        closed = sub[sub["closed"]].sort_values("week", kind="mergesort")
        closed_weeks = closed["week"].values
        for w in weeks[window - 1:]:
            lo = np.searchsorted(closed_weeks, np.datetime64(w - pd.Timedelta(weeks=window)), side="right")
            hi = np.searchsorted(closed_weeks, np.datetime64(w), side="right")
            inside = closed.iloc[lo:hi]
            for t, v in inside.groupby("type")["days"].median().items():
                medians[(t, w)] = v
            if hi > lo:
                medians[(ALL_TYPES, w)] = inside["days"].median()
        data_start = self.week_of(self.first_day)
        out = pd.DataFrame(index=base.index)
        out["week_start"] = out.index.get_level_values("week")
        out["week_end"] = out["week_start"] + pd.Timedelta(days=6)
        out["num_issues"] = base["num_issues"]
        complete = out["week_start"] - pd.Timedelta(weeks=window - 1) >= data_start
        out["rolling_num_issues"] = roll["num_issues"].where(complete)
        out["rolling_num_closed"] = roll["closed"].where(complete)
        out["rolling_median_days_to_close"] = pd.Series(medians, dtype=float).reindex(out.index).where(complete)
        out["rolling_perc_within_sla"] = (roll["within"] / roll["closed_sla"] * 100).where(complete & (roll["closed_sla"] > 0))
        out["rolling_perc_reopened"] = (roll["reopened"] / roll["num_issues"] * 100).where(complete & (roll["num_issues"] > 0))
        out["rolling_perc_duplicates"] = (roll["duplicate"] / roll["num_issues"] * 100).where(complete & (roll["num_issues"] > 0))
        out = out[out["week_start"] >= start_week]
        out.index = out.index.get_level_values("type").rename("request_type_title")
        out["week_start"] = out["week_start"].dt.strftime("%Y-%m-%d")
        out["week_end"] = out["week_end"].dt.strftime("%Y-%m-%d")
        return finish(out)


def finish(frame, counts=()):
    """The index becomes the first column; count columns are 0 where a group had no rows."""
    for c in counts:
        frame[c] = frame[c].fillna(0)
    return frame.reset_index()


def to_json(frame):
    def value(v):
        if v is None:
            return None
        if isinstance(v, (bool, np.bool_)):
            return bool(v)
        if isinstance(v, (int, np.integer)):
            return int(v)
        if isinstance(v, (float, np.floating)):
            return None if math.isnan(v) else float(v)
        return str(v)
    return {"columns": [str(c) for c in frame.columns], "data": [[value(v) for v in row] for row in frame.itertuples(index=False)]}


def main():
    args = parse_args()
    sla = read_sla(args.sla)
    df = load(args.input)
    release_freed_memory()
    peak_rss_reset()
    after_load = peak_rss_bytes()
    started = time.perf_counter()
    m = Metrics(df, sla, args)
    start, end = m.range()
    week = m.week_of(args.week) if args.week else m.last_complete_week
    latest = m.week_of(args.latest_week) if args.latest_week else m.last_complete_week
    rolling_end = m.last_complete_week if m.last_complete_week >= m.week_of(m.first_day) else m.week_of(m.last_day)
    tables = {
        "stats": m.stats(week, week + pd.Timedelta(days=6)),
        "opened_by_week": m.opened_by_week(start, end),
        "opened_by_month": m.opened_by_month(start, end),
        "time_to_close_by_type": m.time_to_close(start, end, "type"),
        "time_to_close_by_department": m.time_to_close(start, end, "department"),
        "sla_by_type": m.sla_by_type(start, end),
        "sla_by_department": m.sla_by_department(start, end),
        "reopened": m.ranking(start, end, "reopened", "reopened"),
        "duplicates": m.ranking(start, end, "duplicate", "duplicates"),
        "last_weeks": m.last_weeks(latest),
        "rolling_series": m.rolling_series(m.week_of(m.first_day), rolling_end),
    }
    elapsed = time.perf_counter() - started
    peak = peak_rss_bytes()
    if args.out:
        result = {"as_of": str(m.as_of), "tables": {name: to_json(t) for name, t in tables.items()}}
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(result, f)
    print(json.dumps({"rows": int(len(df)), "compute_seconds": elapsed, "rss_after_load_bytes": after_load,
                      "peak_rss_bytes": peak, "pandas": pd.__version__}))


if __name__ == "__main__":
    sys.exit(main())
