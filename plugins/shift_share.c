/*
 * shift_share — the classic decomposition of the change in an area's value
 * since a base period into what the benchmark's growth, the area's industry
 * mix and the area's own performance account for, plus what the published
 * sections cannot split.
 *
 * With e the area's total and e_i its value in section i, E and E_i the
 * benchmark's, 0 the base period and t a later one (Dunn 1960; Stevens and
 * Moore 1980):
 *   g   = E_t / E_0 - 1                  growth of the benchmark total
 *   g_i = E_it / E_i0 - 1                growth of the benchmark's section i
 *   g_S = sum_S E_it / sum_S E_i0 - 1    the benchmark's growth over S
 *   national_share    = e_0 * g
 *   industry_mix      = sum_S e_i0 * (g_i - g_S)
 *   competitive_shift = sum_S (e_it - e_i0 - e_i0 * g_i)
 *   unallocated       = total_change - the three above
 *   total_change      = e_t - e_0, the area's actual change
 * S, the sections split, are those with a value for the area and the
 * benchmark in both periods (and a benchmark base other than zero); the
 * others are counted in a warning. unallocated is the change S cannot
 * attribute: the unsplit sections' change beyond national growth, and the
 * growth gap between the benchmark's split and unsplit sections. It is 0
 * when every section is split and the sections add up to the total. Measured
 * against g_S, the benchmark's own industry mix is 0, and the benchmark's
 * competitive shift and unallocated are 0 too.
 * Esteban-Marquillas (1972) splits the competitive shift with the area's
 * homothetic values, what it would hold in each section of S with the
 * benchmark's mix: h_i = sum_S e_j0 * E_i0 / sum_S E_j0, r_i = e_it / e_i0 - 1:
 *   competitive_homothetic = sum_S h_i * (r_i - g_i)   the area's own edge
 *   allocation             = sum_S (e_i0 - h_i) * (r_i - g_i)
 * and the two add up to competitive_shift (NaN when a section of S grows from
 * a base of zero, which has no r_i). method = "dynamic" (Barff and Knight 1988)
 * applies the decomposition to each pair of consecutive periods, with that
 * year's benchmark growth, and sums the yearly components from base_period:
 * they still add up to the actual change, and a period that cannot be
 * decomposed leaves every later sum NaN. "classical" (the default) compares
 * each period with base_period directly.
 * The totals e and E are the industry row labelled total_industry, else the
 * sum over the sections (unknown when one is missing). The benchmark is the
 * job's benchmark area or, without one, the sum over the compared areas with
 * a value for every section in both periods. Periods before the base are
 * NaN. Industries without any value in the input are labels of another
 * dataset of the panel: they are ignored.
 */
#include <regind/plugin.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { IN_VALUE };
enum { P_BASE_PERIOD, P_TOTAL_INDUSTRY, P_UNIT, P_METHOD };
/* The outputs, in the order of the components of one decomposition. */
enum {
    OUT_NATIONAL, OUT_MIX, OUT_COMPETITIVE, OUT_CHANGE, OUT_UNALLOCATED, OUT_HOMOTHETIC,
    OUT_ALLOCATION, N_PARTS
};

#define NONE ((size_t)-1)

static const ri_input_spec inputs[] = {
    { "value", RI_BY_INDUSTRY,
      "an additive measure by industry (GVA, jobs); one level of the industry hierarchy" },
};

static const char *const methods[] = { "classical", "dynamic", NULL };

static const ri_param_spec params[] = {
    { "base_period", RI_PARAM_STRING, "", 0, 0, NULL,
      "period the changes are measured from, e.g. \"2013\" (\"\": the first period)" },
    { "total_industry", RI_PARAM_STRING, "Total", 0, 0, NULL,
      "label of the industry row holding the total (\"\" when there is none); "
      "it gives the benchmark's growth and is not decomposed" },
    { "unit", RI_PARAM_STRING, "GBP million", 0, 0, NULL, "unit of value, given to the outputs" },
    { "method", RI_PARAM_CHOICE, "classical", 0, 0, methods,
      "classical: each period against base_period; dynamic: year on year, summed "
      "(Barff and Knight 1988)" },
};

static const ri_output_spec outputs[] = {
    { "national_share", "GBP million", 0,
      "change had every industry grown at the benchmark's overall rate" },
    { "industry_mix", "GBP million", 0,
      "extra change from the area's industries growing faster or slower at the benchmark" },
    { "competitive_shift", "GBP million", 0,
      "change beyond what each industry did at the benchmark" },
    { "total_change", "GBP million", 0,
      "the area's actual change since base_period (its total); the sum of the other four" },
    { "unallocated", "GBP million", 0,
      "change of sections the area or the benchmark does not publish, beyond national growth" },
    { "competitive_homothetic", "GBP million", 0,
      "Esteban-Marquillas (1972) competitive effect at the benchmark's mix: sum h_i (r_i - g_i)" },
    { "allocation", "GBP million", 0,
      "Esteban-Marquillas allocation effect: specialisation in the sections the area does "
      "better in; with competitive_homothetic it adds up to competitive_shift" },
};

/* What could not be decomposed, for the one warning. */
typedef struct tally {
    size_t excluded, no_total, no_growth, left_out, no_homothetic;
} tally;

typedef struct ss_state {
    const ri_call *call;
    const double *x;
    size_t total_row;
    double *bench0, *bench_t; /* [n_industries] */
    unsigned char *present;   /* [n_industries]: the input has a value somewhere */
    tally n;
} ss_state;

static const double *row(const ss_state *s, size_t a, size_t p)
{
    return s->x + (a * s->call->n_periods + p) * s->call->n_industries;
}

static size_t find_industry(const ri_call *call, const char *label)
{
    for (size_t i = 0; *label && call->industries && i < call->n_industries; i++)
        if (strcmp(call->industries[i], label) == 0)
            return i;
    return NONE;
}

static int complete(const ss_state *s, size_t a, size_t p)
{
    const double *v = row(s, a, p);
    for (size_t i = 0; i < s->call->n_industries; i++)
        if (s->present[i] && isnan(v[i]))
            return 0;
    return 1;
}

/* The benchmark's values in base and t; returns the group areas left out. */
static size_t benchmark(const ss_state *s, size_t base, size_t t)
{
    const ri_call *call = s->call;
    size_t n_ind = call->n_industries, left_out = 0, used = 0;
    if (call->benchmark != RI_NO_AREA) {
        memcpy(s->bench0, row(s, call->benchmark, base), n_ind * sizeof(double));
        memcpy(s->bench_t, row(s, call->benchmark, t), n_ind * sizeof(double));
        return 0;
    }
    /* The same areas in both periods, or membership would pass for growth. */
    for (size_t i = 0; i < n_ind; i++)
        s->bench0[i] = s->bench_t[i] = 0;
    for (size_t a = 0; a < call->n_areas; a++) {
        if (!call->in_group[a])
            continue;
        if (!complete(s, a, base) || !complete(s, a, t)) {
            left_out++;
            continue;
        }
        for (size_t i = 0; i < n_ind; i++) {
            s->bench0[i] += row(s, a, base)[i];
            s->bench_t[i] += row(s, a, t)[i];
        }
        used++;
    }
    if (used == 0)
        for (size_t i = 0; i < n_ind; i++)
            s->bench0[i] = s->bench_t[i] = NAN;
    return left_out;
}

static double total_of(const ss_state *s, const double *v)
{
    if (s->total_row != NONE)
        return v[s->total_row];
    double sum = 0;
    for (size_t i = 0; i < s->call->n_industries; i++)
        if (s->present[i])
            sum += v[i];
    return sum;
}

/* The benchmark's growth from p0 to p1, with its values in s->bench0 and s->bench_t. */
static double growth(ss_state *s, size_t p0, size_t p1)
{
    s->n.left_out += benchmark(s, p0, p1);
    double total0 = total_of(s, s->bench0);
    double g = total0 != 0 ? total_of(s, s->bench_t) / total0 - 1 : NAN;
    if (!isfinite(g)) {
        s->n.no_growth++;
        return NAN;
    }
    return g;
}

/* The components of area a from p0 to p1 at benchmark growth g into part[N_PARTS]. */
static void split(ss_state *s, size_t a, size_t p0, size_t p1, double g, double *part)
{
    const double *e0 = row(s, a, p0), *et = row(s, a, p1), *b0 = s->bench0, *bt = s->bench_t;
    double area0 = total_of(s, e0), change = total_of(s, et) - area0;
    for (size_t k = 0; k < N_PARTS; k++)
        part[k] = NAN;
    if (isnan(g))
        return;
    if (isnan(change)) {
        s->n.no_total++;
        return;
    }
    double mix = 0, competitive = 0, split0 = 0, bench_split0 = 0, bench_split_t = 0;
    int zero_base = 0;
    for (size_t i = 0; i < s->call->n_industries; i++) {
        if (i == s->total_row || !s->present[i])
            continue;
        if (isnan(e0[i]) || isnan(et[i]) || isnan(b0[i]) || isnan(bt[i]) || b0[i] == 0) {
            s->n.excluded++;
            continue;
        }
        double g_i = bt[i] / b0[i] - 1;
        mix += e0[i] * g_i;
        competitive += et[i] - e0[i] - e0[i] * g_i;
        split0 += e0[i];
        bench_split0 += b0[i];
        bench_split_t += bt[i];
        zero_base |= e0[i] == 0 && et[i] != 0;
    }
    part[OUT_NATIONAL] = area0 * g;
    part[OUT_CHANGE] = change;
    if (bench_split0 == 0) {
        /* No section to split: all but the national share is unallocated. */
        part[OUT_UNALLOCATED] = change - part[OUT_NATIONAL];
        return;
    }
    mix -= split0 * (bench_split_t / bench_split0 - 1);
    part[OUT_MIX] = mix;
    part[OUT_COMPETITIVE] = competitive;
    part[OUT_UNALLOCATED] = change - part[OUT_NATIONAL] - mix - competitive;
    if (zero_base) {
        s->n.no_homothetic++;
        return;
    }
    double homothetic = 0, allocation = 0;
    for (size_t i = 0; i < s->call->n_industries; i++) {
        if (i == s->total_row || !s->present[i] || isnan(e0[i]) || isnan(et[i]) ||
            isnan(b0[i]) || isnan(bt[i]) || b0[i] == 0)
            continue;
        double h = split0 * b0[i] / bench_split0;
        /* A section with nothing in both periods did not grow. */
        double r_i = e0[i] != 0 ? et[i] / e0[i] - 1 : 0;
        double edge = r_i - (bt[i] / b0[i] - 1);
        homothetic += h * edge;
        allocation += (e0[i] - h) * edge;
    }
    part[OUT_HOMOTHETIC] = homothetic;
    part[OUT_ALLOCATION] = allocation;
}

static ri_status compute(const ri_host *host, const ri_call *call)
{
    const char *base_label = call->params[P_BASE_PERIOD].s;
    const char *unit = call->params[P_UNIT].s;
    int dynamic = call->params[P_METHOD].i == 1;
    size_t n_ind = call->n_industries, base = 0, np = call->n_periods;

    if (!*unit)
        return host->error(call->ctx, "shift_share: parameter unit is empty; expected the unit "
                           "of value, e.g. \"GBP million\"");
    if (*base_label) {
        while (base < np && strcmp(call->periods[base], base_label) != 0)
            base++;
        if (base == np)
            return host->error(call->ctx, "shift_share: parameter base_period = \"%s\" is not a "
                               "period with data; expected one of %s to %s", base_label,
                               np ? call->periods[0] : "(none)",
                               np ? call->periods[np - 1] : "(none)");
    }
    for (size_t o = 0; o < RI_COUNT(outputs); o++)
        host->set_unit(call->ctx, o, unit);

    ss_state s = { call, call->inputs[IN_VALUE], NONE, malloc(n_ind * sizeof(double)),
                   malloc(n_ind * sizeof(double)), calloc(n_ind, 1), { 0, 0, 0, 0, 0 } };
    double *sum = malloc((call->n_areas * N_PARTS + 1) * sizeof *sum);
    if (!s.bench0 || !s.bench_t || !s.present || !sum) {
        free(s.bench0);
        free(s.bench_t);
        free(s.present);
        free(sum);
        return host->error(call->ctx, "shift_share: out of memory for %zu industries", n_ind);
    }
    for (size_t c = 0; c < call->n_areas * np * n_ind; c++)
        if (!isnan(s.x[c]))
            s.present[c % n_ind] = 1;
    s.total_row = find_industry(call, call->params[P_TOTAL_INDUSTRY].s);
    if (s.total_row != NONE && !s.present[s.total_row])
        s.total_row = NONE;

    for (size_t t = base; t < np; t++) {
        size_t from = dynamic && t > base ? t - 1 : base;
        double g = growth(&s, from, t);
        for (size_t a = 0; a < call->n_areas; a++) {
            double part[N_PARTS], *acc = sum + a * N_PARTS;
            split(&s, a, from, t, g, part);
            /* NaN carries on: a year that cannot be decomposed breaks the chain. */
            for (size_t k = 0; k < N_PARTS; k++) {
                acc[k] = dynamic && t > base ? acc[k] + part[k] : part[k];
                call->outputs[k][a * np + t] = acc[k];
            }
        }
    }
    free(s.bench0);
    free(s.bench_t);
    free(s.present);
    free(sum);

    tally n = s.n;
    if (n.excluded + n.no_growth + n.left_out + n.no_total + n.no_homothetic > 0)
        host->log(call->ctx, RI_LOG_WARNING,
                  "shift_share: %zu area-industry-periods not split for a missing value (area or "
                  "benchmark, base or later period) or a benchmark base of zero: their change is "
                  "in unallocated; %zu area-periods without a total in both periods (all NaN); "
                  "%zu periods without benchmark growth (missing or zero total); %zu "
                  "area-periods with a missing value left out of the group benchmark; %zu "
                  "area-periods without the Esteban-Marquillas split (a section growing from a "
                  "base of zero)", n.excluded, n.no_total, n.no_growth, n.left_out, n.no_homothetic);
    return RI_OK;
}

static const ri_plugin shift_share = {
    RI_PLUGIN_HEADER,
    "shift_share", "1.1.0",
    "Shift-share decomposition (classical or dynamic, with the Esteban-Marquillas split) of "
    "the change since a base period against a benchmark",
    inputs, RI_COUNT(inputs),
    params, RI_COUNT(params),
    outputs, RI_COUNT(outputs),
    compute
};

RI_PLUGIN_DEFINE(shift_share)
