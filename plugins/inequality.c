/*
 * inequality — how unequally a per-capita measure is spread across the
 * compared areas, each period, counting every person (unit of the
 * denominator) once: an area weighs as much as its denominator.
 *
 * Over the group areas with a value, with N_a the numerator, P_a the
 * denominator, y_a = N_a * scale / P_a, N and P the group sums and
 * ybar = N * scale / P:
 *   gini       = 1 - sum_k (P_k / P) (L_k + L_(k-1)), areas sorted by y and
 *                L_k the numerator share of the k poorest (the Lorenz curve)
 *   theil      = sum_a (N_a / N) ln(y_a / ybar)                 (Theil T)
 *   williamson = sqrt(sum_a (P_a / P) (y_a - ybar)^2) / ybar
 *   share_of_total_pct = 100 * N_a / N, on every area's row
 * With equal denominators these are the unweighted indices. The three
 * indices are written on the benchmark area's row; the benchmark enters them
 * only if it is itself in the group.
 */
#include <regind/plugin.h>

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

enum { IN_NUMERATOR, IN_DENOMINATOR };
enum { P_SCALE };
enum { OUT_GINI, OUT_THEIL, OUT_WILLIAMSON, OUT_SHARE };

static const ri_input_spec inputs[] = {
    { "numerator", 0, "an additive measure such as GVA or income, in any unit" },
    { "denominator", 0, "the people it is shared over, e.g. resident population" },
};

static const ri_param_spec params[] = {
    { "scale", RI_PARAM_DOUBLE, "1000000", 1e-12, 1e15, NULL,
      "per-capita value = numerator * scale / denominator (1000000 for GBP million per head)" },
};

static const ri_output_spec outputs[] = {
    { "gini", "index (0 = equal, 1 = all in one area)", 0,
      "population-weighted Gini coefficient across the group (benchmark row)" },
    { "theil", "index (0 = equal)", 0,
      "population-weighted Theil T index across the group (benchmark row)" },
    { "williamson", "ratio (weighted sd / mean)", 0,
      "population-weighted coefficient of variation across the group (benchmark row)" },
    { "share_of_total_pct", "%", 0, "the area's numerator as a share of the group's" },
};

typedef struct group {
    size_t n;
    double *num, *den, *y; /* [n] */
    size_t *order;         /* [n] indices sorting y ascending */
} group;

static void indices(const ri_call *call, const group *g, size_t out)
{
    double num_sum = 0, den_sum = 0, lorenz = 0, gini = 1, theil = 0;
    for (size_t k = 0; k < g->n; k++) {
        num_sum += g->num[k];
        den_sum += g->den[k];
    }
    double ybar = num_sum * call->params[P_SCALE].d / den_sum;
    gsl_sort_index(g->order, g->y, 1, g->n);
    for (size_t k = 0; k < g->n; k++) {
        size_t j = g->order[k];
        double previous = lorenz;
        lorenz += g->num[j] / num_sum;
        gini -= g->den[j] / den_sum * (lorenz + previous);
        /* An area with nothing adds nothing: s ln s -> 0 as s -> 0. */
        if (g->num[j] > 0)
            theil += g->num[j] / num_sum * log(g->y[j] / ybar);
    }
    double variance = gsl_stats_wvariance_with_fixed_mean(g->den, 1, g->y, 1, g->n, ybar);
    call->outputs[OUT_GINI][out] = gini;
    call->outputs[OUT_THEIL][out] = theil;
    call->outputs[OUT_WILLIAMSON][out] = sqrt(variance) / ybar;
}

static ri_status compute(const ri_host *host, const ri_call *call)
{
    const double *num = call->inputs[IN_NUMERATOR], *den = call->inputs[IN_DENOMINATOR];
    double scale = call->params[P_SCALE].d;
    size_t np = call->n_periods, na = call->n_areas;
    size_t n_missing = 0, n_unusable = 0, n_thin = 0;

    if (call->benchmark == RI_NO_AREA)
        return host->error(call->ctx, "inequality: no benchmark area; set benchmark = \"CODE\" "
                           "in the indicator: the indices are written on its row");
    group g = { 0, malloc((na + 1) * sizeof(double)), malloc((na + 1) * sizeof(double)),
                malloc((na + 1) * sizeof(double)), malloc((na + 1) * sizeof(size_t)) };
    if (!g.num || !g.den || !g.y || !g.order) {
        free(g.num);
        free(g.den);
        free(g.y);
        free(g.order);
        return host->error(call->ctx, "inequality: out of memory for %zu areas", na);
    }

    for (size_t p = 0; p < np; p++) {
        g.n = 0;
        for (size_t a = 0; a < na; a++) {
            size_t c = a * np + p;
            if (isnan(num[c]) || isnan(den[c])) {
                n_missing++;
            } else if (den[c] <= 0 || num[c] < 0) {
                n_unusable++;
            } else if (call->in_group[a]) {
                g.num[g.n] = num[c];
                g.den[g.n] = den[c];
                g.y[g.n++] = num[c] * scale / den[c];
            }
        }
        double num_sum = 0;
        for (size_t k = 0; k < g.n; k++)
            num_sum += g.num[k];
        if (g.n < 2 || num_sum <= 0)
            n_thin++;
        else
            indices(call, &g, call->benchmark * np + p);
        for (size_t a = 0; a < na && num_sum > 0; a++) {
            size_t c = a * np + p;
            if (!isnan(num[c]) && !isnan(den[c]) && den[c] > 0 && num[c] >= 0)
                call->outputs[OUT_SHARE][c] = 100 * num[c] / num_sum;
        }
    }
    free(g.num);
    free(g.den);
    free(g.y);
    free(g.order);

    if (n_missing + n_unusable + n_thin > 0)
        host->log(call->ctx, RI_LOG_WARNING,
                  "inequality: %zu area-periods left out: %zu with a missing input, %zu with a "
                  "zero or negative denominator or a negative numerator; %zu periods without "
                  "indices (fewer than 2 group areas or a group total of zero)",
                  n_missing + n_unusable, n_missing, n_unusable, n_thin);
    return RI_OK;
}

static const ri_plugin inequality = {
    RI_PLUGIN_HEADER,
    "inequality", "1.0.0",
    "Gini, Theil and Williamson indices of a per-capita measure across the compared areas",
    inputs, RI_COUNT(inputs),
    params, RI_COUNT(params),
    outputs, RI_COUNT(outputs),
    compute
};

RI_PLUGIN_DEFINE(inequality)
