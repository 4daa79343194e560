/*
 * inequality — how unequally a per-capita measure is spread across the
 * compared areas, each period: by default counting every person (unit of the
 * denominator) once, so an area weighs as much as its denominator; with
 * weighting = "none" every area counts once.
 *
 * Over the group areas with a value, y_a = N_a * scale / P_a, weights w_a
 * (P_a, or 1 unweighted), population shares p_a = w_a / W, the mean
 * ybar = sum_a p_a y_a and income shares s_a = p_a y_a / ybar:
 *   gini       = 1 - sum_k p_k (L_k + L_(k-1)), areas sorted by y and L_k the
 *                income share of the k poorest (the Lorenz curve)
 *   theil      = sum_a s_a ln(y_a / ybar)              Theil T (Theil 1967)
 *   theil_l    = sum_a p_a ln(ybar / y_a)              Theil L, mean log deviation
 *   williamson = sqrt(sum_a p_a (y_a - ybar)^2) / ybar
 *   atkinson   = 1 - (sum_a p_a (y_a / ybar)^(1 - e))^(1 / (1 - e)), and for
 *                e = 1, 1 - exp(sum_a p_a ln y_a) / ybar (Atkinson 1970)
 *   p90_p10    = the 90th over the 10th percentile of y: of people, the
 *                smallest y whose cumulative population share reaches q;
 *                unweighted, GSL's interpolated quantile of the areas
 *   share_of_total_pct = 100 * N_a / N, on every area's row
 * With parent_type, each compared area belongs to the area of that type
 * whose code begins its own (ITL3 TLC41 within ITL1 TLC); with groups g of
 * weight W_g, mean ybar_g, income share S_g and indices T_g, L_g the
 * decomposition is exact (Shorrocks 1980):
 *   theil   = sum_g S_g ln(ybar_g / ybar) + sum_g S_g T_g       between + within
 *   theil_l = sum_g (W_g/W) ln(ybar / ybar_g) + sum_g (W_g/W) L_g
 * Percentile bootstrap intervals (Efron and Tibshirani 1993) of gini, theil
 * and theil_l resample the compared areas with replacement, `bootstrap`
 * times (0: none), with GSL's MT19937 seeded with `seed` in every period, so
 * a run is reproducible; they need 3 compared areas. Group statistics are
 * written on the benchmark area's row; the benchmark enters them only if it
 * is itself in the group.
 * Theil L and Atkinson with e >= 1 take logarithms or negative powers: a
 * period with a value of zero has none.
 */
#include <regind/plugin.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

enum { IN_NUMERATOR, IN_DENOMINATOR };
enum { P_SCALE, P_WEIGHTING, P_EPSILON, P_PARENT_TYPE, P_BOOTSTRAP, P_SEED, P_LEVEL };
enum {
    OUT_GINI, OUT_THEIL, OUT_WILLIAMSON, OUT_SHARE, OUT_THEIL_L, OUT_ATKINSON, OUT_P90_P10,
    OUT_THEIL_BETWEEN, OUT_THEIL_WITHIN, OUT_THEIL_L_BETWEEN, OUT_THEIL_L_WITHIN,
    OUT_GINI_LO, OUT_GINI_HI, OUT_THEIL_LO, OUT_THEIL_HI, OUT_THEIL_L_LO, OUT_THEIL_L_HI
};

#define GROUP RI_BENCHMARK_ROW
#define NONE ((size_t)-1)

static const ri_input_spec inputs[] = {
    { "numerator", 0, "an additive measure such as GVA or income, in any unit" },
    { "denominator", 0, "the people it is shared over, e.g. resident population" },
};

static const char *const weightings[] = { "population", "none", NULL };

static const ri_param_spec params[] = {
    { "scale", RI_PARAM_DOUBLE, "1000000", 1e-12, 1e15, NULL,
      "per-capita value = numerator * scale / denominator (1000000 for GBP million per head)" },
    { "weighting", RI_PARAM_CHOICE, "population", 0, 0, weightings,
      "population: each area weighs its denominator (every person once); none: each area once" },
    { "epsilon", RI_PARAM_DOUBLE, "1", 0, 100, NULL,
      "Atkinson's inequality aversion e >= 0 (1: 1 - geometric mean / mean)" },
    { "parent_type", RI_PARAM_STRING, "", 0, 0, NULL,
      "area type to decompose Theil T and L by, e.g. \"ITL1\": each compared area's parent is "
      "the area of that type whose code begins its own (\"\": no decomposition)" },
    { "bootstrap", RI_PARAM_INT, "999", 0, 100000, NULL,
      "resamples of the compared areas for the intervals (0: no intervals)" },
    { "seed", RI_PARAM_INT, "20250101", 0, 2147483647, NULL,
      "seed of GSL's MT19937 generator for the resamples, so runs are reproducible" },
    { "level", RI_PARAM_DOUBLE, "0.95", 0.5, 0.999, NULL,
      "coverage of the percentile intervals, e.g. 0.95" },
};

static const ri_output_spec outputs[] = {
    { "gini", "index (0 = equal, 1 = all in one area)", GROUP,
      "Gini (1912) coefficient across the group, weighted as set (benchmark row)" },
    { "theil", "index (0 = equal)", GROUP,
      "Theil (1967) T index, sum s ln(y / ybar) with s income shares (benchmark row)" },
    { "williamson", "ratio (weighted sd / mean)", GROUP,
      "Williamson (1965) coefficient of variation across the group (benchmark row)" },
    { "share_of_total_pct", "%", 0, "the area's numerator as a share of the group's" },
    { "theil_l", "index (0 = equal)", GROUP,
      "Theil (1967) L index, mean log deviation: sum p ln(ybar / y) with p population shares" },
    { "atkinson", "index (0 = equal, 1 = all in one area)", GROUP,
      "Atkinson (1970) index for aversion epsilon: 1 - equally distributed equivalent / mean" },
    { "p90_p10", "ratio", GROUP, "90th percentile of the per-capita value over its 10th" },
    { "theil_between", "index", GROUP,
      "Theil T between parent_type groups: sum S_g ln(ybar_g / ybar) (Shorrocks 1980)" },
    { "theil_within", "index", GROUP,
      "Theil T within parent_type groups: sum S_g T_g; theil = between + within" },
    { "theil_l_between", "index", GROUP,
      "Theil L between parent_type groups: sum (W_g / W) ln(ybar / ybar_g) (Shorrocks 1980)" },
    { "theil_l_within", "index", GROUP,
      "Theil L within parent_type groups: sum (W_g / W) L_g; theil_l = between + within" },
    { "gini_lo", "index (95 % bootstrap interval)", GROUP,
      "lower end of the percentile bootstrap interval of gini (Efron and Tibshirani 1993)" },
    { "gini_hi", "index (95 % bootstrap interval)", GROUP, "upper end of that interval of gini" },
    { "theil_lo", "index (95 % bootstrap interval)", GROUP,
      "lower end of the percentile bootstrap interval of theil" },
    { "theil_hi", "index (95 % bootstrap interval)", GROUP, "upper end of that interval of theil" },
    { "theil_l_lo", "index (95 % bootstrap interval)", GROUP,
      "lower end of the percentile bootstrap interval of theil_l" },
    { "theil_l_hi", "index (95 % bootstrap interval)", GROUP,
      "upper end of that interval of theil_l" },
};

/* The compared areas of one period: weight, per-capita value, numerator, parent group. */
typedef struct sample {
    size_t n;
    double *w, *y, *num; /* [n] */
    size_t *group;       /* [n] area index of the parent; NONE without parent_type */
    size_t *order;       /* [n] scratch: indices sorting y ascending */
} sample;

typedef struct indices {
    double gini, theil, theil_l, williamson, atkinson, p90_p10;
} indices;

typedef struct counts {
    size_t missing, unusable, thin, zero, no_interval, no_partition;
} counts;

static double weighted_percentile(const sample *s, double w_sum, double q)
{
    double cum = 0;
    for (size_t k = 0; k < s->n; k++) {
        cum += s->w[s->order[k]] / w_sum;
        if (cum >= q * (1 - 1e-12))
            return s->y[s->order[k]];
    }
    return s->y[s->order[s->n - 1]];
}

static indices measure(const sample *s, double epsilon, int weighted)
{
    indices r = { 1, 0, 0, 0, 0, NAN };
    double w_sum = 0, wy_sum = 0, lorenz = 0, sq = 0, log_mean = 0, power_mean = 0;
    int has_zero = 0;
    for (size_t k = 0; k < s->n; k++) {
        w_sum += s->w[k];
        wy_sum += s->w[k] * s->y[k];
        has_zero |= s->y[k] == 0;
    }
    double ybar = wy_sum / w_sum;
    gsl_sort_index(s->order, s->y, 1, s->n);
    for (size_t k = 0; k < s->n; k++) {
        size_t j = s->order[k];
        double p = s->w[j] / w_sum, previous = lorenz;
        lorenz += s->w[j] * s->y[j] / wy_sum;
        r.gini -= p * (lorenz + previous);
        sq += p * (s->y[j] - ybar) * (s->y[j] - ybar);
        /* An area with nothing adds nothing to Theil T: s ln s -> 0 as s -> 0. */
        if (s->y[j] > 0) {
            r.theil += p * s->y[j] / ybar * log(s->y[j] / ybar);
            r.theil_l += p * log(ybar / s->y[j]);
            log_mean += p * log(s->y[j]);
        }
        if (epsilon != 1)
            power_mean += p * pow(s->y[j] / ybar, 1 - epsilon);
    }
    r.williamson = sqrt(sq) / ybar;
    if (has_zero) {
        r.theil_l = NAN;
        r.atkinson = epsilon >= 1 ? NAN : 1 - pow(power_mean, 1 / (1 - epsilon));
    } else {
        r.atkinson = epsilon == 1 ? 1 - exp(log_mean) / ybar
                                  : 1 - pow(power_mean, 1 / (1 - epsilon));
    }
    double p10, p90;
    if (weighted) {
        p10 = weighted_percentile(s, w_sum, 0.1);
        p90 = weighted_percentile(s, w_sum, 0.9);
    } else {
        double *sorted = s->num; /* the numerators are summed already: reuse their room */
        for (size_t k = 0; k < s->n; k++)
            sorted[k] = s->y[s->order[k]];
        p10 = gsl_stats_quantile_from_sorted_data(sorted, 1, s->n, 0.1);
        p90 = gsl_stats_quantile_from_sorted_data(sorted, 1, s->n, 0.9);
    }
    if (p10 > 0)
        r.p90_p10 = p90 / p10;
    return r;
}

/* The parent of every compared area by code prefix; returns how many have not exactly one. */
static size_t parents(const ri_call *call, const char *type, size_t *parent, const char **culprit)
{
    size_t n_bad = 0;
    for (size_t a = 0; a < call->n_areas; a++) {
        parent[a] = NONE;
        if (!call->in_group[a])
            continue;
        size_t found = 0, len = strlen(call->area_codes[a]);
        for (size_t b = 0; b < call->n_areas; b++) {
            size_t blen = strlen(call->area_codes[b]);
            if (blen < len && strcmp(call->area_types[b], type) == 0 &&
                strncmp(call->area_codes[b], call->area_codes[a], blen) == 0) {
                parent[a] = b;
                found++;
            }
        }
        if (found != 1) {
            parent[a] = NONE;
            if (!n_bad++)
                *culprit = call->area_codes[a];
        }
    }
    return n_bad;
}

static void decompose(const ri_call *call, const sample *s, size_t out, double *scratch)
{
    /* scratch: [n_areas] weight, [n_areas] weighted value, [n_areas] T and L sums per group */
    size_t na = call->n_areas;
    double *w_g = scratch, *wy_g = scratch + na, *t_g = scratch + 2 * na, *l_g = scratch + 3 * na;
    double w = 0, wy = 0;
    for (size_t g = 0; g < na; g++)
        w_g[g] = wy_g[g] = t_g[g] = l_g[g] = 0;
    for (size_t k = 0; k < s->n; k++) {
        w_g[s->group[k]] += s->w[k];
        wy_g[s->group[k]] += s->w[k] * s->y[k];
        w += s->w[k];
        wy += s->w[k] * s->y[k];
    }
    double ybar = wy / w, t_between = 0, t_within = 0, l_between = 0, l_within = 0;
    int has_zero = 0;
    for (size_t k = 0; k < s->n; k++) {
        size_t g = s->group[k];
        double ybar_g = wy_g[g] / w_g[g];
        if (s->y[k] > 0) {
            t_g[g] += s->w[k] * s->y[k] / wy_g[g] * log(s->y[k] / ybar_g);
            l_g[g] += s->w[k] / w_g[g] * log(ybar_g / s->y[k]);
        } else {
            has_zero = 1;
        }
    }
    for (size_t g = 0; g < na; g++) {
        if (!(w_g[g] > 0))
            continue;
        double ybar_g = wy_g[g] / w_g[g];
        if (wy_g[g] > 0) {
            t_between += wy_g[g] / wy * log(ybar_g / ybar);
            t_within += wy_g[g] / wy * t_g[g];
        }
        l_between += w_g[g] / w * log(ybar / ybar_g);
        l_within += w_g[g] / w * l_g[g];
    }
    call->outputs[OUT_THEIL_BETWEEN][out] = t_between;
    call->outputs[OUT_THEIL_WITHIN][out] = t_within;
    if (!has_zero) {
        call->outputs[OUT_THEIL_L_BETWEEN][out] = l_between;
        call->outputs[OUT_THEIL_L_WITHIN][out] = l_within;
    }
}

typedef struct boot {
    gsl_rng *rng;
    size_t *count; /* [n] times each area is drawn in a resample */
    double *logy;  /* [n] ln y, NaN for y = 0 */
    double *stats; /* [3 * resamples]: gini, theil, theil_l */
} boot;

static double interval_end(double *v, size_t n, double q)
{
    gsl_sort(v, 1, n);
    return gsl_stats_quantile_from_sorted_data(v, 1, n, q);
}

/*
 * A resample is the number of times each area is drawn, so its indices come
 * from sums over the areas in the order measure() sorted them, with no sort
 * and no logarithm per resample: theil = sum(w y ln y) / sum(w y) - ln ybar
 * and theil_l = ln ybar - sum(w ln y) / sum(w), w counting each draw.
 */
static void bootstrap(const ri_call *call, const sample *s, boot *b, size_t out)
{
    size_t reps = (size_t)call->params[P_BOOTSTRAP].i, kept = 0;
    double level = call->params[P_LEVEL].d;
    int has_zero = 0;
    for (size_t k = 0; k < s->n; k++) {
        b->logy[k] = s->y[k] > 0 ? log(s->y[k]) : NAN;
        has_zero |= !(s->y[k] > 0);
    }
    gsl_rng_set(b->rng, (unsigned long)call->params[P_SEED].i);
    for (size_t r = 0; r < reps; r++) {
        double w = 0, wy = 0, wyly = 0, wly = 0, lorenz = 0, gini = 1;
        memset(b->count, 0, s->n * sizeof *b->count);
        for (size_t k = 0; k < s->n; k++)
            b->count[gsl_rng_uniform_int(b->rng, s->n)]++;
        for (size_t k = 0; k < s->n; k++) {
            double cw = (double)b->count[k] * s->w[k];
            w += cw;
            wy += cw * s->y[k];
            if (s->y[k] > 0) {
                wyly += cw * s->y[k] * b->logy[k];
                wly += cw * b->logy[k];
            }
        }
        /* A resample of areas with nothing has no mean to compare with. */
        if (!(wy > 0))
            continue;
        for (size_t k = 0; k < s->n; k++) {
            size_t j = s->order[k];
            double cw = (double)b->count[j] * s->w[j], previous = lorenz;
            lorenz += cw * s->y[j] / wy;
            gini -= cw / w * (lorenz + previous);
        }
        double ln_ybar = log(wy / w);
        b->stats[kept] = gini;
        b->stats[reps + kept] = wyly / wy - ln_ybar;
        b->stats[2 * reps + kept] = ln_ybar - wly / w;
        kept++;
    }
    if (kept == 0)
        return;
    double lo = (1 - level) / 2, hi = (1 + level) / 2;
    for (size_t m = 0; m < (has_zero ? 2u : 3u); m++) {
        double *v = b->stats + m * reps;
        call->outputs[OUT_GINI_LO + 2 * m][out] = interval_end(v, kept, lo);
        call->outputs[OUT_GINI_LO + 2 * m + 1][out] = interval_end(v, kept, hi);
    }
}

static void set_units(const ri_host *host, const ri_call *call)
{
    char unit[64];
    snprintf(unit, sizeof unit, "index (%g %% bootstrap interval)", 100 * call->params[P_LEVEL].d);
    for (size_t o = OUT_GINI_LO; o <= OUT_THEIL_L_HI; o++)
        host->set_unit(call->ctx, o, unit);
}

static ri_status compute(const ri_host *host, const ri_call *call)
{
    const double *num = call->inputs[IN_NUMERATOR], *den = call->inputs[IN_DENOMINATOR];
    double scale = call->params[P_SCALE].d, epsilon = call->params[P_EPSILON].d;
    int weighted = call->params[P_WEIGHTING].i == 0;
    const char *parent_type = call->params[P_PARENT_TYPE].s;
    size_t np = call->n_periods, na = call->n_areas, reps = (size_t)call->params[P_BOOTSTRAP].i;
    counts n = { 0, 0, 0, 0, 0, 0 };
    const char *culprit = "";

    if (call->benchmark == RI_NO_AREA)
        return host->error(call->ctx, "inequality: no benchmark area; set benchmark = \"CODE\" "
                           "in the indicator: the indices are written on its row");
    set_units(host, call);
    size_t m = na + 1;
    sample s = { 0, malloc(m * sizeof(double)), malloc(m * sizeof(double)),
                 malloc(m * sizeof(double)), malloc(m * sizeof(size_t)), malloc(m * sizeof(size_t)) };
    boot b = { reps ? gsl_rng_alloc(gsl_rng_mt19937) : NULL, malloc(m * sizeof(size_t)),
               malloc(m * sizeof(double)), malloc((3 * reps + 1) * sizeof(double)) };
    size_t *parent = malloc(m * sizeof(size_t));
    double *scratch = malloc(4 * m * sizeof(double));
    ri_status rc = RI_OK;
    if (!s.w || !s.y || !s.num || !s.group || !s.order || (reps && !b.rng) || !b.count ||
        !b.logy || !b.stats || !parent || !scratch) {
        rc = host->error(call->ctx, "inequality: out of memory for %zu areas", na);
        goto done;
    }
    if (*parent_type)
        n.no_partition = parents(call, parent_type, parent, &culprit);

    for (size_t p = 0; p < np; p++) {
        int partitioned = *parent_type && !n.no_partition;
        s.n = 0;
        for (size_t a = 0; a < na; a++) {
            size_t c = a * np + p;
            if (isnan(num[c]) || isnan(den[c])) {
                n.missing++;
            } else if (den[c] <= 0 || num[c] < 0) {
                n.unusable++;
            } else if (call->in_group[a]) {
                s.num[s.n] = num[c];
                s.w[s.n] = weighted ? den[c] : 1;
                s.group[s.n] = parent[a];
                s.y[s.n++] = num[c] * scale / den[c];
            }
        }
        double num_sum = 0;
        for (size_t k = 0; k < s.n; k++)
            num_sum += s.num[k];
        size_t out = call->benchmark * np + p;
        for (size_t a = 0; a < na && num_sum > 0; a++) {
            size_t c = a * np + p;
            if (!isnan(num[c]) && !isnan(den[c]) && den[c] > 0 && num[c] >= 0)
                call->outputs[OUT_SHARE][c] = 100 * num[c] / num_sum;
        }
        if (s.n < 2 || num_sum <= 0) {
            n.thin++;
        } else {
            indices x = measure(&s, epsilon, weighted);
            call->outputs[OUT_GINI][out] = x.gini;
            call->outputs[OUT_THEIL][out] = x.theil;
            call->outputs[OUT_WILLIAMSON][out] = x.williamson;
            call->outputs[OUT_THEIL_L][out] = x.theil_l;
            call->outputs[OUT_ATKINSON][out] = x.atkinson;
            call->outputs[OUT_P90_P10][out] = x.p90_p10;
            n.zero += isnan(x.theil_l);
            if (partitioned)
                decompose(call, &s, out, scratch);
            if (reps && s.n >= 3)
                bootstrap(call, &s, &b, out);
            else if (reps)
                n.no_interval++;
        }
    }

    if (n.missing + n.unusable + n.thin + n.zero + n.no_interval > 0)
        host->log(call->ctx, RI_LOG_WARNING,
                  "inequality: %zu area-periods left out: %zu with a missing input, %zu with a "
                  "zero or negative denominator or a negative numerator; %zu periods without "
                  "indices (fewer than 2 group areas or a group total of zero); %zu periods "
                  "with a per-capita value of zero, which has no logarithm: no theil_l%s; %zu "
                  "periods without bootstrap intervals (fewer than 3 group areas)",
                  n.missing + n.unusable, n.missing, n.unusable, n.thin, n.zero,
                  epsilon >= 1 ? " or atkinson" : "", n.no_interval);
    if (n.no_partition)
        host->log(call->ctx, RI_LOG_WARNING,
                  "inequality: parent_type = \"%s\" does not partition the compared areas: %zu "
                  "of them (first %s) are not within exactly one area of that type by code; "
                  "no decomposition", parent_type, n.no_partition, culprit);
done:
    free(s.w);
    free(s.y);
    free(s.num);
    free(s.group);
    free(s.order);
    if (b.rng)
        gsl_rng_free(b.rng);
    free(b.count);
    free(b.logy);
    free(b.stats);
    free(parent);
    free(scratch);
    return rc;
}

static const ri_plugin inequality = {
    RI_PLUGIN_HEADER,
    "inequality", "1.1.0",
    "Gini, Theil T and L, Williamson and Atkinson indices, p90/p10, a between/within "
    "decomposition and bootstrap intervals of a per-capita measure across the compared areas",
    inputs, RI_COUNT(inputs),
    params, RI_COUNT(params),
    outputs, RI_COUNT(outputs),
    compute
};

RI_PLUGIN_DEFINE(inequality)
