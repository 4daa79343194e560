/*
 * specialisation — how an area's industry mix differs from the benchmark's,
 * how concentrated or diverse it is, and how localised each industry is
 * across the compared areas.
 *
 * With x_i an area's value in section i and s_i = x_i / sum_j x_j its share
 * over the sections used (the Total row is not a section):
 *   krugman        = sum_i |s_i - S_i|, S_i the benchmark's shares over the
 *                    same sections; 0 = the benchmark's mix, 2 = no section
 *                    in common (Krugman 1991, Geography and Trade)
 *   hhi            = sum_i s_i^2 (Herfindahl 1950; Hirschman 1945)
 *   hhi_normalised = (hhi - 1/N) / (1 - 1/N) over N sections: 0 = equal
 *                    shares, 1 = one section
 *   entropy        = -sum_i s_i ln s_i, 0 ln 0 = 0 (Shannon 1948): 0 = one
 *                    section, ln N = equal shares
 *   hoover         = 1/2 sum_r |x_ir / X_i - T_r / T| for section i across
 *                    the compared areas r, with X_i their sum in i, T_r an
 *                    area's sum over the sections and T theirs: 0 = spread as
 *                    the whole economy, towards 1 = all in one area (Hoover
 *                    1936, the coefficient of localisation)
 * krugman uses the sections where both the area and the benchmark have a
 * value; hhi and entropy need every section of the area, since a missing one
 * could be the largest; hoover uses the compared areas with a value in every
 * section, at least 3. A negative value has no share: its cell is NaN. The
 * hoover column is written on the benchmark area's row, per section.
 * Industries without any value in the input are labels of another dataset
 * of the panel: they are ignored.
 */
#include <regind/plugin.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { IN_VALUE };
enum { P_TOTAL_INDUSTRY };
enum { OUT_KRUGMAN, OUT_HHI, OUT_HHI_NORM, OUT_ENTROPY, OUT_HOOVER };

#define NONE ((size_t)-1)

static const ri_input_spec inputs[] = {
    { "value", RI_BY_INDUSTRY,
      "an additive measure by industry (GVA, jobs); one level of the industry hierarchy" },
};

static const ri_param_spec params[] = {
    { "total_industry", RI_PARAM_STRING, "Total", 0, 0, NULL,
      "label of the industry row holding the total (\"\" when there is none); it is not a "
      "section and is left out" },
};

static const ri_output_spec outputs[] = {
    { "krugman", "index (0 = benchmark's mix, 2 = none in common)", 0,
      "Krugman (1991) specialisation: sum over sections of |area share - benchmark share|" },
    { "hhi", "index (1/N = equal shares, 1 = one section)", 0,
      "Herfindahl-Hirschman concentration (Herfindahl 1950; Hirschman 1945): sum over "
      "sections of the squared share" },
    { "hhi_normalised", "index (0 = equal shares, 1 = one section)", 0,
      "(hhi - 1/N) / (1 - 1/N) over the N sections" },
    { "entropy", "nats (0 = one section, ln N = equal shares)", 0,
      "Shannon (1948) diversity: -sum over sections of share x ln(share)" },
    { "hoover", "index (0 = spread as the economy, 1 = one area)", RI_BY_INDUSTRY | RI_BENCHMARK_ROW,
      "Hoover (1936) coefficient of localisation of the section across the compared areas: "
      "1/2 sum |area's share of the section - area's share of all sections|" },
};

typedef struct counts {
    size_t krugman_partial, incomplete, negative, hoover_left_out, thin_periods;
} counts;

typedef struct sp_state {
    const ri_call *call;
    const double *x;
    unsigned char *section; /* [n_industries]: has values and is not the total row */
    double *share;          /* [n_areas]: scratch for hoover */
    counts n;
} sp_state;

static const double *row(const sp_state *s, size_t a, size_t p)
{
    return s->x + (a * s->call->n_periods + p) * s->call->n_industries;
}

/* Sum over the sections of a row; NaN when one is missing, -1 when one is negative. */
static double row_sum(const sp_state *s, const double *v)
{
    double sum = 0;
    for (size_t i = 0; i < s->call->n_industries; i++) {
        if (!s->section[i])
            continue;
        if (isnan(v[i]))
            return NAN;
        if (v[i] < 0)
            return -1;
        sum += v[i];
    }
    return sum;
}

static void krugman(sp_state *s, size_t a, size_t p)
{
    const ri_call *call = s->call;
    const double *v = row(s, a, p), *b = row(s, call->benchmark, p);
    double area_sum = 0, bench_sum = 0, k = 0;
    size_t used = 0, sections = 0;
    for (size_t i = 0; i < call->n_industries; i++) {
        if (!s->section[i])
            continue;
        sections++;
        if (isnan(v[i]) || isnan(b[i]))
            continue;
        if (v[i] < 0 || b[i] < 0) {
            s->n.negative++;
            return;
        }
        area_sum += v[i];
        bench_sum += b[i];
        used++;
    }
    if (used < 2 || !(area_sum > 0) || !(bench_sum > 0)) {
        s->n.incomplete++;
        return;
    }
    if (used < sections)
        s->n.krugman_partial++;
    for (size_t i = 0; i < call->n_industries; i++)
        if (s->section[i] && !isnan(v[i]) && !isnan(b[i]))
            k += fabs(v[i] / area_sum - b[i] / bench_sum);
    call->outputs[OUT_KRUGMAN][a * call->n_periods + p] = k;
}

static void concentration(sp_state *s, size_t a, size_t p)
{
    const ri_call *call = s->call;
    const double *v = row(s, a, p);
    double sum = row_sum(s, v), hhi = 0, entropy = 0;
    size_t n = 0;
    if (sum < 0) {
        s->n.negative++;
        return;
    }
    if (!(sum > 0)) {
        s->n.incomplete++;
        return;
    }
    for (size_t i = 0; i < call->n_industries; i++) {
        if (!s->section[i])
            continue;
        double share = v[i] / sum;
        hhi += share * share;
        if (share > 0)
            entropy -= share * log(share);
        n++;
    }
    size_t cell = a * call->n_periods + p;
    call->outputs[OUT_HHI][cell] = hhi;
    call->outputs[OUT_ENTROPY][cell] = entropy;
    if (n > 1)
        call->outputs[OUT_HHI_NORM][cell] = (hhi - 1.0 / n) / (1 - 1.0 / n);
}

static void hoover(sp_state *s, size_t p)
{
    const ri_call *call = s->call;
    size_t n_ind = call->n_industries, used = 0;
    double total = 0;
    for (size_t a = 0; a < call->n_areas; a++) {
        s->share[a] = NAN;
        if (!call->in_group[a])
            continue;
        double sum = row_sum(s, row(s, a, p));
        if (sum >= 0) {
            s->share[a] = sum;
            total += sum;
            used++;
        } else {
            s->n.hoover_left_out++;
        }
    }
    if (used < 3 || !(total > 0)) {
        s->n.thin_periods++;
        return;
    }
    double *out = call->outputs[OUT_HOOVER] + (call->benchmark * call->n_periods + p) * n_ind;
    for (size_t i = 0; i < n_ind; i++) {
        double section = 0, h = 0;
        if (!s->section[i])
            continue;
        for (size_t a = 0; a < call->n_areas; a++)
            if (!isnan(s->share[a]))
                section += row(s, a, p)[i];
        if (!(section > 0))
            continue;
        for (size_t a = 0; a < call->n_areas; a++)
            if (!isnan(s->share[a]))
                h += fabs(row(s, a, p)[i] / section - s->share[a] / total);
        out[i] = h / 2;
    }
}

static ri_status compute(const ri_host *host, const ri_call *call)
{
    size_t n_ind = call->n_industries;
    const char *total_label = call->params[P_TOTAL_INDUSTRY].s;

    if (call->benchmark == RI_NO_AREA)
        return host->error(call->ctx, "specialisation: no benchmark area; set benchmark = \"CODE\" "
                           "in the indicator: krugman compares with it and hoover is written "
                           "on its row");
    sp_state s = { call, call->inputs[IN_VALUE], calloc(n_ind, 1),
                   malloc((call->n_areas + 1) * sizeof(double)), { 0, 0, 0, 0, 0 } };
    if (!s.section || !s.share) {
        free(s.section);
        free(s.share);
        return host->error(call->ctx, "specialisation: out of memory for %zu areas", call->n_areas);
    }
    for (size_t c = 0; c < call->n_areas * call->n_periods * n_ind; c++)
        if (!isnan(s.x[c]))
            s.section[c % n_ind] = 1;
    for (size_t i = 0; *total_label && call->industries && i < n_ind; i++)
        if (strcmp(call->industries[i], total_label) == 0)
            s.section[i] = 0;

    for (size_t p = 0; p < call->n_periods; p++) {
        for (size_t a = 0; a < call->n_areas; a++) {
            krugman(&s, a, p);
            concentration(&s, a, p);
        }
        hoover(&s, p);
    }
    free(s.section);
    free(s.share);

    if (s.n.krugman_partial + s.n.incomplete + s.n.negative + s.n.hoover_left_out +
        s.n.thin_periods > 0)
        host->log(call->ctx, RI_LOG_WARNING,
                  "specialisation: %zu area-periods have krugman over fewer sections than the "
                  "input has (a section missing for the area or the benchmark); %zu "
                  "area-period measures are NaN for a missing section or a total of zero "
                  "(hhi and entropy need every section, krugman two shared ones) and %zu for "
                  "a negative value, which has no share; %zu compared area-periods left out of "
                  "hoover for a missing or negative section; %zu periods without hoover (fewer "
                  "than 3 compared areas with every section)",
                  s.n.krugman_partial, s.n.incomplete, s.n.negative, s.n.hoover_left_out,
                  s.n.thin_periods);
    return RI_OK;
}

static const ri_plugin specialisation = {
    RI_PLUGIN_HEADER,
    "specialisation", "1.0.0",
    "Krugman specialisation, Herfindahl-Hirschman concentration, Shannon diversity and Hoover "
    "localisation of industry mixes",
    inputs, RI_COUNT(inputs),
    params, RI_COUNT(params),
    outputs, RI_COUNT(outputs),
    compute
};

RI_PLUGIN_DEFINE(specialisation)
