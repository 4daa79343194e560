#!/usr/bin/env python3
"""peers.py - the bench/panel.cfg job written in pandas, for bench/peers.

Usage: peers.py PANEL_CSV OUTPUT_DIR

Reads the tidy panel (area_code,year,industry,gva_gbp_m,jobs,hours) and
writes every result in its natural form, one wide table per shape, in
OUTPUT_DIR:
  by_area.csv      area_code,area_name,period and a column per output
                   (prod.*, gap.*, deciles.rank, deciles.percentile)
  by_industry.csv  area_code,area_name,period,industry,lq.lq,lq.share_pct
  deciles.csv      period,deciles.p10 ... deciles.p90
in regind's row order (areas as first seen, ALL last; years ascending;
industries as first seen), so that bench/peers can compare the numbers
with regind's wide output cell by cell:

  totals   gva, jobs and hours summed over industries per area and year;
           "ALL" (All areas) is the sum over every area, the benchmark
  prod     GVA per hour and per job (GBP), their index against ALL (= 100),
           growth on the previous period and 5-year compound annual growth
  gap      GVA per job against ALL: index, gap in points (100 - index), GBP
           per job and GBP million in total (positive = behind ALL), target
           (= the whole gap, empty for an area ahead)
  lq       location quotient of jobs by industry against ALL, industry share
  deciles  p10..p90 of prod.index_per_hour across the areas (ALL's row),
           each area's rank (1 = highest, ties share the best) and
           percentile; quantiles interpolate linearly at (n - 1) * q

Formulas follow the plugins' own order of operations so that the results
agree to rounding. Written as an economist fluent in pandas would write it:
vectorised, categorical keys, one block of rows per output.
"""
import os
import sys

import numpy as np
import pandas as pd

GVA_SCALE = 1e6  # the job's gva_scale: gva_gbp_m is in GBP million
CAGR_YEARS = 5  # productivity's default cagr_years
BENCH = "ALL"
BENCH_NAME = "All areas"
DECILE_UNIT = "index (all areas = 100)"


def main(panel_path, out_dir):
    df = pd.read_csv(
        panel_path,
        dtype={"area_code": "category", "year": "int64", "industry": "category",
               "gva_gbp_m": "float64", "jobs": "float64", "hours": "float64"},
    )
    # regind keeps areas and industries in order of first appearance, the
    # aggregate after the areas, and periods ascending.
    areas = list(pd.unique(df["area_code"].astype(str))) + [BENCH]
    industries = list(pd.unique(df["industry"].astype(str)))
    years = np.sort(df["year"].unique())
    df["area_code"] = df["area_code"].cat.set_categories(areas)
    df["industry"] = df["industry"].cat.set_categories(industries)
    n_a, n_p, n_i = len(areas), len(years), len(industries)
    measures = ["gva_gbp_m", "jobs", "hours"]

    # By industry: every area plus ALL, the sum over the areas.
    by_ind = df.set_index(["area_code", "year", "industry"])[measures]
    all_ind = df.groupby(["year", "industry"], observed=True)[measures].sum()
    all_ind = pd.concat({BENCH: all_ind}, names=["area_code"])
    by_ind = pd.concat([by_ind, all_ind])
    full_ind = pd.MultiIndex.from_product([areas, years, industries],
                                          names=["area_code", "year", "industry"])
    by_ind = by_ind.reindex(full_ind)

    # Totals over industries; min_count makes an all-missing total NaN, not 0.
    tot = by_ind.groupby(level=["area_code", "year"], sort=False).sum(min_count=n_i)
    gva = tot["gva_gbp_m"].to_numpy().reshape(n_a, n_p)
    jobs = tot["jobs"].to_numpy().reshape(n_a, n_p)
    hours = tot["hours"].to_numpy().reshape(n_a, n_p)
    b = n_a - 1  # row of ALL

    cols = []  # (indicator, output, unit, values in area, period[, industry] order[, only area])

    # prod
    def level_of(denominator):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(denominator > 0, gva * GVA_SCALE / (denominator * 1.0), np.nan)

    def growth(start, end, span):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(start > 0, (np.power(end / start, 1 / span) - 1) * 100, np.nan)

    prod = {}
    for basis, denominator in (("hour", hours), ("job", jobs)):
        level = pd.DataFrame(level_of(denominator), columns=years)
        bench = level.iloc[b]
        index = level.div(bench.where(bench > 0), axis=1) * 100
        prev = level.shift(1, axis=1)
        grow = growth(prev.to_numpy(), level.to_numpy(), 1)
        start = level.reindex(columns=years - CAGR_YEARS).to_numpy()
        cagr = growth(start, level.to_numpy(), CAGR_YEARS)
        prod[basis] = (level.to_numpy(), index.to_numpy(), grow, cagr)
    lh, ih, gh, ch = prod["hour"]
    lj, ij, gj, cj = prod["job"]
    cols += [
        ("prod", "gva_per_hour", "GBP per hour", lh),
        ("prod", "gva_per_job", "GBP per filled job", lj),
        ("prod", "index_per_hour", "index (benchmark = 100)", ih),
        ("prod", "index_per_job", "index (benchmark = 100)", ij),
        ("prod", "growth_per_hour_pct", "%, nominal (current prices)", gh),
        ("prod", "growth_per_job_pct", "%, nominal (current prices)", gj),
        ("prod", "cagr_per_hour_pct", "% a year, nominal (current prices)", ch),
        ("prod", "cagr_per_job_pct", "% a year, nominal (current prices)", cj),
    ]

    # gap (per job, benchmark ALL, target_share 1)
    per_head = level_of(jobs)
    bench = per_head[b]
    bench = np.where(bench > 0, bench, np.nan)
    g_index = per_head / bench * 100
    g_pct = 100 - g_index
    g_head = bench - per_head
    g_total = g_head * jobs * 1.0 / 1e6
    # no target for an area ahead of the benchmark (gva_gap 1.1)
    g_target = np.where(g_total >= 0, g_total * 1.0, np.nan)
    cols += [
        ("gap", "gva_per_head", "GBP per job", per_head),
        ("gap", "index", "index (benchmark = 100)", g_index),
        ("gap", "gap_pct", "percentage points", g_pct),
        ("gap", "gap_per_head_gbp", "GBP per job", g_head),
        ("gap", "gap_total_gbp_m", "GBP million", g_total),
        ("gap", "target_gbp_m", "GBP million", g_target),
    ]

    # lq of jobs by industry against ALL's industry mix
    x = by_ind["jobs"].to_numpy().reshape(n_a, n_p, n_i)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = x / np.where(jobs != 0, jobs, np.nan)[:, :, None]
        bench_share = x[b] / jobs[b][:, None]
        bench_share = np.where(np.isfinite(bench_share) & (bench_share != 0), bench_share, np.nan)
        lq = share / bench_share[None, :, :]
    cols += [
        ("lq", "lq", "ratio (benchmark share = 1)", lq),
        ("lq", "share_pct", "%", share * 100),
    ]

    # deciles of prod.index_per_hour across the areas (ALL is not one of them)
    idx = pd.DataFrame({"year": np.tile(years, n_a - 1), "v": ih[:b].ravel()})
    by_year = idx.groupby("year")["v"]
    q = by_year.quantile([d / 10 for d in range(1, 10)], interpolation="linear").unstack()
    n = by_year.count().reindex(years).to_numpy()
    rank = by_year.rank(ascending=False, method="min").to_numpy().reshape(n_a - 1, n_p)
    below = by_year.rank(ascending=True, method="min").to_numpy().reshape(n_a - 1, n_p) - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        pctl = np.where(n > 1, 100.0 * below / (n - 1), 100.0)
    pctl = np.where(np.isnan(rank), np.nan, pctl)
    # the deciles describe the group: written on ALL's row only
    for d in range(1, 10):
        cols.append(("deciles", "p%d0" % d, DECILE_UNIT, q[d / 10].reindex(years).to_numpy(), b))
    nan_row = np.full((1, n_p), np.nan)
    cols += [
        ("deciles", "rank", "rank (1 = highest)", np.vstack([rank, nan_row])),
        ("deciles", "percentile", "%", np.vstack([pctl, nan_row])),
    ]

    write(out_dir, cols, areas, years, industries)


def write(out_dir, cols, areas, years, industries):
    n_a, n_p, n_i = len(areas), len(years), len(industries)
    names = [BENCH_NAME if a == BENCH else "" for a in areas]
    by_area = pd.DataFrame({"area_code": np.repeat(areas, n_p), "area_name": np.repeat(names, n_p),
                            "period": np.tile(years, n_a)})
    by_ind = pd.DataFrame({"area_code": np.repeat(areas, n_p * n_i),
                           "area_name": np.repeat(names, n_p * n_i),
                           "period": np.tile(np.repeat(years, n_i), n_a),
                           "industry": np.tile(industries, n_a * n_p)})
    deciles = pd.DataFrame({"period": years})
    for indicator, output, _unit, values, *only in cols:
        name = "%s.%s" % (indicator, output)
        if only:
            deciles[name] = values
        elif values.ndim == 3:
            by_ind[name] = values.ravel()
        else:
            by_area[name] = values.ravel()
    by_area.to_csv(os.path.join(out_dir, "by_area.csv"), index=False, na_rep="", lineterminator="\n")
    by_ind.to_csv(os.path.join(out_dir, "by_industry.csv"), index=False, na_rep="", lineterminator="\n")
    deciles.to_csv(os.path.join(out_dir, "deciles.csv"), index=False, na_rep="", lineterminator="\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: peers.py PANEL_CSV OUTPUT_DIR")
    main(sys.argv[1], sys.argv[2])
