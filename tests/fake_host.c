#include "fake_host.h"

#include <stdarg.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Wide enough for "A" plus any size_t and for any year. */
#define LABEL_MAX 24

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n > 0 ? n : 1, size);
    if (!p)
        fail_msg("fake host: out of memory");
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xcalloc(n, 1), s, n);
}

/* ---------------------------------------------------------------- host services */

static void fake_log(ri_context *ctx, ri_log_level level, const char *fmt, ...)
{
    va_list ap;
    if (ctx->n_log == FAKE_LOG_MAX)
        fail_msg("fake host: more than %d log lines from one compute(); a plugin summarises",
                 FAKE_LOG_MAX);
    ctx->log_level[ctx->n_log] = level;
    va_start(ap, fmt);
    vsnprintf(ctx->log[ctx->n_log], FAKE_MSG_MAX, fmt, ap);
    va_end(ap);
    ctx->n_log++;
}

static ri_status fake_error(ri_context *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->error, FAKE_MSG_MAX, fmt, ap);
    va_end(ap);
    ctx->n_errors++;
    return RI_FAIL;
}

static void fake_set_unit(ri_context *ctx, size_t output, const char *unit)
{
    if (output >= ctx->n_outputs)
        fail_msg("fake host: set_unit on output %zu; the plugin declares %zu", output,
                 ctx->n_outputs);
    if (!unit || !*unit)
        fail_msg("fake host: set_unit with an empty unit for output %zu", output);
    free(ctx->units[output]);
    ctx->units[output] = xstrdup(unit);
}

/* Copies the non-NaN values into a new array; *n_left receives their count. */
static double *copy_without_nan(const double *v, size_t stride, size_t n, size_t *n_left)
{
    double *copy = xcalloc(n, sizeof *copy);
    *n_left = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i * stride]))
            copy[(*n_left)++] = v[i * stride];
    return copy;
}

static double fake_mean(const double *v, size_t stride, size_t n)
{
    double sum = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i * stride])) {
            sum += v[i * stride];
            k++;
        }
    return k > 0 ? sum / (double)k : NAN;
}

/* Sample standard deviation (n - 1), as gsl_stats_sd. */
static double fake_sd(const double *v, size_t stride, size_t n)
{
    double mean = fake_mean(v, stride, n), ss = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i * stride])) {
            ss += (v[i * stride] - mean) * (v[i * stride] - mean);
            k++;
        }
    return k > 1 ? sqrt(ss / (double)(k - 1)) : NAN;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Linear interpolation between order statistics, as gsl_stats_quantile_from_sorted_data. */
static double fake_quantile(const double *v, size_t stride, size_t n, double q)
{
    size_t k;
    double *sorted = copy_without_nan(v, stride, n, &k);
    double result = NAN;
    if (k > 0 && q >= 0 && q <= 1) {
        qsort(sorted, k, sizeof *sorted, compare_doubles);
        double pos = q * (double)(k - 1);
        size_t lo = (size_t)pos;
        double frac = pos - (double)lo;
        result = lo + 1 < k ? (1 - frac) * sorted[lo] + frac * sorted[lo + 1] : sorted[lo];
    }
    free(sorted);
    return result;
}

static ri_status fake_fit_linear(ri_context *ctx, const double *x, const double *y, size_t n,
                                 double *c0, double *c1, double *se_c1, double *r2)
{
    double sx = 0, sy = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]) && isfinite(y[i])) {
            sx += x[i];
            sy += y[i];
            k++;
        }
    if (k < 3)
        return fake_error(ctx, "fit_linear: %zu pairs of finite values; at least 3 are needed", k);
    double mx = sx / (double)k, my = sy / (double)k, sxx = 0, sxy = 0, syy = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]) && isfinite(y[i])) {
            sxx += (x[i] - mx) * (x[i] - mx);
            sxy += (x[i] - mx) * (y[i] - my);
            syy += (y[i] - my) * (y[i] - my);
        }
    if (sxx == 0)
        return fake_error(ctx, "fit_linear: every x is the same; a line needs at least two");
    *c1 = sxy / sxx;
    *c0 = my - *c1 * mx;
    double ssr = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]) && isfinite(y[i]))
            ssr += (y[i] - *c0 - *c1 * x[i]) * (y[i] - *c0 - *c1 * x[i]);
    *se_c1 = sqrt(ssr / (double)(k - 2) / sxx);
    *r2 = syy > 0 ? 1 - ssr / syy : NAN;
    return RI_OK;
}

const ri_host fake_host = {
    sizeof(ri_host), RI_ABI_MAJOR, RI_ABI_MINOR,
    fake_log, fake_error, fake_set_unit,
    fake_mean, fake_quantile, fake_sd, fake_fit_linear
};

/* ---------------------------------------------------------------- building a call */

static size_t column_size(const fake_call *fc, unsigned flags)
{
    size_t n = fc->call.n_areas * fc->call.n_periods;
    return flags & RI_BY_INDUSTRY ? n * fc->call.n_industries : n;
}

static size_t find_input(const fake_call *fc, const char *role)
{
    for (size_t i = 0; i < fc->plugin->n_inputs; i++)
        if (strcmp(fc->plugin->inputs[i].role, role) == 0)
            return i;
    fail_msg("fake host: plugin %s has no input `%s`", fc->plugin->name, role);
    return 0;
}

static size_t find_output(const fake_call *fc, const char *name)
{
    for (size_t i = 0; i < fc->plugin->n_outputs; i++)
        if (strcmp(fc->plugin->outputs[i].name, name) == 0)
            return i;
    fail_msg("fake host: plugin %s has no output `%s`", fc->plugin->name, name);
    return 0;
}

static void check_descriptor(const ri_plugin *plugin)
{
    assert_non_null(plugin);
    assert_int_equal(plugin->struct_size, sizeof(ri_plugin));
    assert_int_equal(plugin->abi_major, RI_ABI_MAJOR);
    assert_true(plugin->abi_minor <= RI_ABI_MINOR);
    assert_non_null(plugin->compute);
    for (size_t i = 0; i < plugin->n_outputs; i++)
        if (!plugin->outputs[i].unit || !*plugin->outputs[i].unit)
            fail_msg("fake host: output `%s` of %s has no unit", plugin->outputs[i].name,
                     plugin->name);
}

fake_call *fake_call_new(const ri_plugin *plugin, size_t n_areas, size_t n_periods,
                         int first_year)
{
    check_descriptor(plugin);
    fake_call *fc = xcalloc(1, sizeof *fc);
    ri_call *call = &fc->call;
    fc->plugin = plugin;

    call->size = sizeof *call;
    call->ctx = &fc->ctx;
    call->n_areas = n_areas;
    call->n_periods = n_periods;
    call->n_industries = 1;
    call->benchmark = RI_NO_AREA;

    fc->labels = xcalloc(n_areas + n_periods, LABEL_MAX);
    fc->area_codes = xcalloc(n_areas, sizeof *fc->area_codes);
    fc->area_names = xcalloc(n_areas, sizeof *fc->area_names);
    fc->area_types = xcalloc(n_areas, sizeof *fc->area_types);
    fc->in_group = xcalloc(n_areas, 1);
    for (size_t a = 0; a < n_areas; a++) {
        char *code = fc->labels + a * LABEL_MAX;
        snprintf(code, LABEL_MAX, "A%zu", a);
        fc->area_codes[a] = code;
        fc->area_names[a] = "";
        fc->area_types[a] = "LEP";
        fc->in_group[a] = 1;
    }
    fc->periods = xcalloc(n_periods, sizeof *fc->periods);
    fc->years = xcalloc(n_periods, sizeof *fc->years);
    for (size_t p = 0; p < n_periods; p++)
        fc->years[p] = first_year + (double)p;
    fake_set_years(fc, fc->years);
    call->area_codes = fc->area_codes;
    call->area_names = fc->area_names;
    call->area_types = fc->area_types;
    call->periods = fc->periods;
    call->period_years = fc->years;
    call->in_group = fc->in_group;

    fc->inputs = xcalloc(plugin->n_inputs, sizeof *fc->inputs);
    call->inputs = (const double *const *)fc->inputs;

    fc->params = xcalloc(plugin->n_params, sizeof *fc->params);
    fc->param_text = xcalloc(plugin->n_params, sizeof *fc->param_text);
    call->params = fc->params;
    for (size_t i = 0; i < plugin->n_params; i++)
        if (plugin->params[i].default_value)
            fake_set_param(fc, plugin->params[i].name, plugin->params[i].default_value);

    fc->outputs = xcalloc(plugin->n_outputs, sizeof *fc->outputs);
    for (size_t i = 0; i < plugin->n_outputs; i++)
        fc->outputs[i] = xcalloc(column_size(fc, plugin->outputs[i].flags), sizeof(double));
    call->outputs = fc->outputs;
    fc->ctx.n_outputs = plugin->n_outputs;
    fc->ctx.units = xcalloc(plugin->n_outputs, sizeof *fc->ctx.units);
    return fc;
}

void fake_call_free(fake_call *fc)
{
    if (!fc)
        return;
    for (size_t i = 0; i < fc->plugin->n_inputs; i++)
        free(fc->inputs[i]);
    for (size_t i = 0; i < fc->plugin->n_params; i++)
        free(fc->param_text[i]);
    for (size_t i = 0; i < fc->plugin->n_outputs; i++) {
        free(fc->outputs[i]);
        free(fc->ctx.units[i]);
    }
    free(fc->inputs);
    free(fc->params);
    free(fc->param_text);
    free(fc->outputs);
    free(fc->ctx.units);
    free(fc->labels);
    free(fc->area_codes);
    free(fc->area_names);
    free(fc->area_types);
    free(fc->periods);
    free(fc->years);
    free(fc->in_group);
    free(fc);
}

void fake_set_input(fake_call *fc, const char *role, const double *values)
{
    size_t i = find_input(fc, role);
    size_t n = column_size(fc, fc->plugin->inputs[i].flags);
    free(fc->inputs[i]);
    fc->inputs[i] = memcpy(xcalloc(n, sizeof(double)), values, n * sizeof(double));
}

static int parse_number(const char *text, double *value)
{
    char *end;
    *value = strtod(text, &end);
    return end != text && *end == '\0';
}

void fake_set_param(fake_call *fc, const char *name, const char *text)
{
    const ri_param_spec *spec = NULL;
    size_t i = 0;
    while (i < fc->plugin->n_params && strcmp(fc->plugin->params[i].name, name) != 0)
        i++;
    if (i == fc->plugin->n_params)
        fail_msg("fake host: plugin %s has no parameter `%s`", fc->plugin->name, name);
    spec = &fc->plugin->params[i];

    ri_value v = { NAN, 0, NULL };
    double d;
    switch (spec->type) {
    case RI_PARAM_DOUBLE:
    case RI_PARAM_INT:
        if (!parse_number(text, &d) || (spec->type == RI_PARAM_INT && d != floor(d)))
            fail_msg("fake host: `%s` = \"%s\" is not a valid number", name, text);
        if (spec->min <= spec->max && (d < spec->min || d > spec->max))
            fail_msg("fake host: `%s` = %s is outside [%g, %g]", name, text, spec->min, spec->max);
        v.d = d;
        v.i = (long)d;
        break;
    case RI_PARAM_BOOL:
        if (strcmp(text, "true") != 0 && strcmp(text, "false") != 0)
            fail_msg("fake host: `%s` = \"%s\"; expected true or false", name, text);
        v.i = strcmp(text, "true") == 0;
        break;
    case RI_PARAM_CHOICE:
        while (spec->choices[v.i] && strcmp(spec->choices[v.i], text) != 0)
            v.i++;
        if (!spec->choices[v.i])
            fail_msg("fake host: `%s` = \"%s\" is not one of its choices", name, text);
        v.s = spec->choices[v.i];
        break;
    case RI_PARAM_STRING:
        break;
    default:
        fail_msg("fake host: parameter `%s` has unknown type %d", name, (int)spec->type);
    }
    free(fc->param_text[i]);
    fc->param_text[i] = xstrdup(text);
    if (spec->type == RI_PARAM_STRING)
        v.s = fc->param_text[i];
    fc->params[i] = v;
}

void fake_set_years(fake_call *fc, const double *years)
{
    for (size_t p = 0; p < fc->call.n_periods; p++) {
        char *label = fc->labels + (fc->call.n_areas + p) * LABEL_MAX;
        fc->years[p] = years[p];
        snprintf(label, LABEL_MAX, "%.0f", years[p]);
        fc->periods[p] = label;
    }
}

/* ---------------------------------------------------------------- running and reading */

ri_status fake_run(fake_call *fc)
{
    ri_context *ctx = &fc->ctx;
    ctx->error[0] = '\0';
    ctx->n_errors = 0;
    ctx->n_log = 0;
    for (size_t i = 0; i < fc->plugin->n_outputs; i++) {
        free(ctx->units[i]);
        ctx->units[i] = NULL;
        size_t n = column_size(fc, fc->plugin->outputs[i].flags);
        for (size_t c = 0; c < n; c++)
            fc->outputs[i][c] = NAN;
    }

    ri_status rc = fc->plugin->compute(&fake_host, &fc->call);

    if (rc == RI_FAIL && (ctx->n_errors != 1 || !ctx->error[0]))
        fail_msg("fake host: RI_FAIL needs exactly one non-empty host->error; got %zu",
                 ctx->n_errors);
    if (rc == RI_OK && ctx->n_errors > 0)
        fail_msg("fake host: RI_OK after host->error(\"%s\")", ctx->error);
    if (rc != RI_OK && rc != RI_FAIL)
        fail_msg("fake host: compute() returned %d", (int)rc);
    for (size_t i = 0; i < fc->plugin->n_outputs; i++) {
        size_t n = column_size(fc, fc->plugin->outputs[i].flags);
        for (size_t c = 0; c < n; c++)
            if (isinf(fc->outputs[i][c]))
                fail_msg("fake host: output `%s` cell %zu is infinite; unknown is NaN",
                         fc->plugin->outputs[i].name, c);
    }
    return rc;
}

double fake_out(const fake_call *fc, const char *output, size_t area, size_t period)
{
    size_t i = find_output(fc, output);
    assert_true(area < fc->call.n_areas && period < fc->call.n_periods);
    assert_false(fc->plugin->outputs[i].flags & RI_BY_INDUSTRY);
    return fc->outputs[i][area * fc->call.n_periods + period];
}

const char *fake_unit(const fake_call *fc, const char *output)
{
    size_t i = find_output(fc, output);
    return fc->ctx.units[i] ? fc->ctx.units[i] : fc->plugin->outputs[i].unit;
}

size_t fake_log_count(const fake_call *fc, ri_log_level level)
{
    size_t n = 0;
    for (size_t k = 0; k < fc->ctx.n_log; k++)
        n += fc->ctx.log_level[k] == level;
    return n;
}

const char *fake_log_message(const fake_call *fc, ri_log_level level, size_t k)
{
    for (size_t j = 0; j < fc->ctx.n_log; j++)
        if (fc->ctx.log_level[j] == level && k-- == 0)
            return fc->ctx.log[j];
    return NULL;
}

void fake_assert_near(double actual, double expected, double tolerance, const char *what,
                      const char *file, int line)
{
    if (fabs(actual - expected) <= tolerance)
        return;
    print_error("%s = %.17g; expected %.17g within %g\n", what, actual, expected, tolerance);
    _fail(file, line);
}

/* ---------------------------------------------------------------- panels by industry */

void fake_set_industries(fake_call *fc, size_t n_industries, const char *const *labels)
{
    if (n_industries == 0)
        fail_msg("fake host: a panel has at least one industry");
    for (size_t i = 0; i < fc->plugin->n_inputs; i++)
        if (fc->inputs[i])
            fail_msg("fake host: set industries before binding inputs (`%s` is bound)",
                     fc->plugin->inputs[i].role);
    fc->call.n_industries = n_industries;
    fc->call.industries = labels;
    for (size_t i = 0; i < fc->plugin->n_outputs; i++) {
        free(fc->outputs[i]);
        fc->outputs[i] = xcalloc(column_size(fc, fc->plugin->outputs[i].flags), sizeof(double));
    }
}

double fake_out_industry(const fake_call *fc, const char *output, size_t area, size_t period,
                         size_t industry)
{
    size_t i = find_output(fc, output);
    assert_true(area < fc->call.n_areas && period < fc->call.n_periods &&
                industry < fc->call.n_industries);
    assert_true(fc->plugin->outputs[i].flags & RI_BY_INDUSTRY);
    return fc->outputs[i][(area * fc->call.n_periods + period) * fc->call.n_industries + industry];
}
