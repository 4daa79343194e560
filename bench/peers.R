#!/usr/bin/env Rscript
# peers.R - the bench/panel.cfg job written in R data.table, for bench/peers.
#
# Usage: Rscript peers.R PANEL_CSV OUTPUT_DIR
#
# Reads the tidy panel (area_code,year,industry,gva_gbp_m,jobs,hours) and
# writes every result in its natural form, one wide table per shape, in
# OUTPUT_DIR: by_area.csv, by_industry.csv and deciles.csv, as peers.py
# describes, in regind's row order, so that bench/peers can compare the
# numbers with regind's wide output cell by cell.
# Formulas follow the plugins' own order of operations so that the results
# agree to rounding. data.table runs on every core (setDTthreads(0)); fwrite
# writes numbers with 15 significant digits, well inside the 1e-9 tolerance.

suppressPackageStartupMessages(library(data.table))
setDTthreads(0)

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) stop("usage: Rscript peers.R PANEL_CSV OUTPUT_DIR")

GVA_SCALE <- 1e6      # the job's gva_scale: gva_gbp_m is in GBP million
CAGR_YEARS <- 5       # productivity's default cagr_years
BENCH <- "ALL"
BENCH_NAME <- "All areas"
DECILE_UNIT <- "index (all areas = 100)"
measures <- c("gva_gbp_m", "jobs", "hours")

dt <- fread(args[1], colClasses = c(area_code = "character", year = "integer",
                                    industry = "character", gva_gbp_m = "double",
                                    jobs = "double", hours = "double"))
# regind keeps areas and industries in order of first appearance, the
# aggregate after the areas, and periods ascending.
areas <- c(unique(dt$area_code), BENCH)
industries <- unique(dt$industry)
years <- sort(unique(dt$year))
n_a <- length(areas); n_p <- length(years); n_i <- length(industries)

# By industry: every area plus ALL, the sum over the areas, on the complete
# area x year x industry grid in output order (NA where the panel has no row).
all_ind <- dt[, lapply(.SD, sum), by = .(year, industry), .SDcols = measures]
all_ind[, area_code := BENCH]
grid <- CJ(area_code = areas, year = years, industry = industries, sorted = FALSE)
by_ind <- rbindlist(list(dt, all_ind), use.names = TRUE)[grid, on = .(area_code, year, industry)]
rm(dt, all_ind)

# Totals over industries; a missing industry makes the total NA, not smaller.
tot <- by_ind[, lapply(.SD, sum), by = .(area_code, year), .SDcols = measures]
gva <- tot$gva_gbp_m; jobs <- tot$jobs; hours <- tot$hours
n_cells <- n_a * n_p
bench_cells <- (n_a - 1) * n_p + seq_len(n_p)   # ALL's rows
period_no <- rep(seq_len(n_p), n_a)
per_bench <- function(v) rep(v[bench_cells], n_a)
positive <- function(v) fifelse(v > 0, v, NA_real_)

cols <- list()
add <- function(indicator, output, unit, values) {
  cols[[length(cols) + 1L]] <<- list(indicator = indicator, output = output, unit = unit,
                                     values = values)
}

# prod
level_of <- function(denominator) fifelse(denominator > 0, gva * GVA_SCALE / (denominator * 1),
                                          NA_real_)
growth <- function(start, end, span) fifelse(start > 0, ((end / start)^(1 / span) - 1) * 100,
                                             NA_real_)
start_pos <- match(years - CAGR_YEARS, years)[period_no]
area_base <- rep(seq(0, by = n_p, length.out = n_a), each = n_p)
prod <- lapply(list(hour = hours, job = jobs), function(denominator) {
  level <- level_of(denominator)
  index <- level / per_bench(positive(level)) * 100
  prev <- shift(level, 1L)
  prev[period_no == 1L] <- NA_real_
  list(level = level, index = index, growth = growth(prev, level, 1),
       cagr = growth(level[area_base + start_pos], level, CAGR_YEARS))
})
add("prod", "gva_per_hour", "GBP per hour", prod$hour$level)
add("prod", "gva_per_job", "GBP per filled job", prod$job$level)
add("prod", "index_per_hour", "index (benchmark = 100)", prod$hour$index)
add("prod", "index_per_job", "index (benchmark = 100)", prod$job$index)
add("prod", "growth_per_hour_pct", "%, nominal (current prices)", prod$hour$growth)
add("prod", "growth_per_job_pct", "%, nominal (current prices)", prod$job$growth)
add("prod", "cagr_per_hour_pct", "% a year, nominal (current prices)", prod$hour$cagr)
add("prod", "cagr_per_job_pct", "% a year, nominal (current prices)", prod$job$cagr)

# gap (per job, benchmark ALL, target_share 1)
per_head <- level_of(jobs)
bench <- per_bench(positive(per_head))
g_index <- per_head / bench * 100
g_head <- bench - per_head
g_total <- g_head * jobs * 1 / 1e6
add("gap", "gva_per_head", "GBP per job", per_head)
add("gap", "index", "index (benchmark = 100)", g_index)
add("gap", "gap_pct", "percentage points", 100 - g_index)
add("gap", "gap_per_head_gbp", "GBP per job", g_head)
add("gap", "gap_total_gbp_m", "GBP million", g_total)
add("gap", "target_gbp_m", "GBP million", ifelse(g_total >= 0, g_total * 1, NA_real_))

# lq of jobs by industry against ALL's industry mix
x <- by_ind$jobs
share <- x / rep(fifelse(jobs != 0, jobs, NA_real_), each = n_i)
bench_rows <- (n_a - 1) * n_p * n_i + seq_len(n_p * n_i)
bench_share <- x[bench_rows] / rep(jobs[bench_cells], each = n_i)
bench_share <- fifelse(is.finite(bench_share) & bench_share != 0, bench_share, NA_real_)
add("lq", "lq", "ratio (benchmark share = 1)", share / rep(bench_share, n_a))
add("lq", "share_pct", "%", share * 100)
rm(by_ind, x)

# deciles of prod.index_per_hour across the areas (ALL is not one of them)
d <- data.table(year = rep(years, n_a - 1), v = prod$hour$index[-bench_cells])
q <- d[, as.list(quantile(v, seq(0.1, 0.9, by = 0.1), type = 7, na.rm = TRUE, names = FALSE)),
       by = year]
setkey(q, year)
d[, `:=`(n = sum(!is.na(v)),
         rank = frank(-v, ties.method = "min", na.last = "keep"),
         below = frank(v, ties.method = "min", na.last = "keep") - 1), by = year]
d[, percentile := fifelse(n > 1, 100 * below / (n - 1), 100)]
d[is.na(rank), percentile := NA_real_]
# the deciles describe the group: written on ALL's row only
for (k in 1:9)
  add("deciles", sprintf("p%d0", k), DECILE_UNIT, q[J(years), get(paste0("V", k))])
add("deciles", "rank", "rank (1 = highest)", c(d$rank, rep(NA_real_, n_p)))
add("deciles", "percentile", "%", c(d$percentile, rep(NA_real_, n_p)))

# One wide table per shape; NA writes as an empty field, as regind writes a
# missing value or name.
names <- ifelse(areas == BENCH, BENCH_NAME, NA_character_)
by_area <- data.table(area_code = rep(areas, each = n_p), area_name = rep(names, each = n_p),
                      period = rep(years, n_a))
by_industry <- data.table(area_code = rep(areas, each = n_p * n_i),
                          area_name = rep(names, each = n_p * n_i),
                          period = rep(rep(years, each = n_i), n_a),
                          industry = rep(industries, n_a * n_p))
deciles <- data.table(period = years)
for (col in cols) {
  name <- paste0(col$indicator, ".", col$output)
  target <- if (length(col$values) == n_p) deciles else if (length(col$values) == n_cells) by_area else by_industry
  set(target, j = name, value = col$values)
}
out <- args[2]
fwrite(by_area, file.path(out, "by_area.csv"), na = "")
fwrite(by_industry, file.path(out, "by_industry.csv"), na = "")
fwrite(deciles, file.path(out, "deciles.csv"), na = "")
