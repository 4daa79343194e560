/*
 * fake_host.h — a stand-in for regind's core, so a plugin can be tested alone.
 *
 * Owns fake_call: one ri_call with its own small panel (areas "A0", "A1", ...
 * of type "LEP", one period per consecutive year, no industries, every area in
 * the compared group, no benchmark), copies of the input columns the test
 * binds, parameter values parsed and range-checked from the plugin's declared
 * defaults, and output columns of exactly the panel's size refilled with NaN
 * before each run. Its ri_context records what the plugin reported: log
 * lines, the error message and units replaced with set_unit.
 *
 * The fake also checks the plugin's side of the contract and fails the
 * running cmocka test when it is broken: a descriptor of another ABI or with
 * an empty unit, RI_FAIL without an error message (or a message with RI_OK),
 * an infinity in an output, set_unit on an output that does not exist, or a
 * log line per cell instead of a summary. Bad calls by the test itself (an
 * unknown role, an invalid parameter text) fail the test the same way.
 *
 * Everything fake_call_new() allocates is released by fake_call_free().
 */
#ifndef RI_TESTS_FAKE_HOST_H
#define RI_TESTS_FAKE_HOST_H

#include <regind/plugin.h>

#include <math.h>
#include <stddef.h>

#define FAKE_MSG_MAX 512
/* More lines than this from one compute() means the plugin is not summarising. */
#define FAKE_LOG_MAX 16

struct ri_context {
    char error[FAKE_MSG_MAX]; /* "" until the plugin calls host->error */
    size_t n_errors;
    size_t n_log;
    ri_log_level log_level[FAKE_LOG_MAX];
    char log[FAKE_LOG_MAX][FAKE_MSG_MAX];
    size_t n_outputs;
    char **units; /* [n_outputs]; NULL until set_unit replaces the declared unit */
};

typedef struct fake_call {
    ri_call call;
    ri_context ctx;
    const ri_plugin *plugin;
    double *years;           /* [n_periods] period_years; change with fake_set_years */
    unsigned char *in_group; /* [n_areas], writable: 1 for the compared areas */
    char *labels;            /* storage of area codes and period labels */
    const char **area_codes, **area_names, **area_types, **periods;
    double **inputs;         /* [n_inputs]; NULL until fake_set_input */
    ri_value *params;
    char **param_text;       /* [n_params] owned copy of each value's text */
    double **outputs;
} fake_call;

/* Each test program links the source of one plugin; this is its entry point. */
const ri_plugin *ri_plugin_entry(void);

/* Host services the fake hands to compute(); the statistics ignore NaN. */
extern const ri_host fake_host;

/* A call of plugin over n_areas x n_periods, periods first_year, first_year + 1, ... */
fake_call *fake_call_new(const ri_plugin *plugin, size_t n_areas, size_t n_periods,
                         int first_year);
void fake_call_free(fake_call *fc);

/* Bind role to a copy of values: one per cell, area-major (a * n_periods + p). */
void fake_set_input(fake_call *fc, const char *role, const double *values);
/* Set a parameter from its text form, as a job file would; validated like the host. */
void fake_set_param(fake_call *fc, const char *name, const char *text);
/* Replace the periods' first years (ascending) and their labels. */
void fake_set_years(fake_call *fc, const double *years);

/* Clear what the last run recorded, refill outputs with NaN and call compute(). */
ri_status fake_run(fake_call *fc);

double fake_out(const fake_call *fc, const char *output, size_t area, size_t period);
/* The unit of output in effect: the one set with set_unit, else the declared one. */
const char *fake_unit(const fake_call *fc, const char *output);
size_t fake_log_count(const fake_call *fc, ri_log_level level);
/* The k-th line logged at level, or NULL. */
const char *fake_log_message(const fake_call *fc, ri_log_level level, size_t k);

/* |actual - expected| <= tolerance, reporting both with full precision when not. */
#define assert_near(actual, expected, tolerance) \
    fake_assert_near((actual), (expected), (tolerance), #actual, __FILE__, __LINE__)
#define assert_nan(value) assert_true(isnan(value))

void fake_assert_near(double actual, double expected, double tolerance, const char *what,
                      const char *file, int line);

/*
 * Panels by industry. fake_set_industries gives the call n_industries >= 1
 * labels (borrowed: they must outlive fc) and resizes the output columns
 * declared RI_BY_INDUSTRY; bind inputs after it, one value per cell in the
 * order (a * n_periods + p) * n_industries + i. It fails the test when an
 * input is already bound, since its size would no longer match.
 */
void fake_set_industries(fake_call *fc, size_t n_industries, const char *const *labels);
double fake_out_industry(const fake_call *fc, const char *output, size_t area, size_t period,
                         size_t industry);

#endif
