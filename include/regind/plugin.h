/*
 * regind/plugin.h — the regind indicator plugin SDK.
 *
 * This is the only header a plugin includes. It is self-contained, valid
 * C89/C99/C11 and C++, and it owns every type of the plugin ABI.
 *
 * Lifecycle
 *   1. The host opens the module with libltdl and looks up the entry symbol
 *      RI_PLUGIN_ENTRY_SYMBOL ("ri_plugin_entry"). A plugin exports nothing else.
 *   2. The entry returns a pointer to a static, constant ri_plugin descriptor.
 *      The host checks abi_major == RI_ABI_MAJOR, abi_minor <= the host's
 *      minor, struct_size, and validates every spec (names, units, defaults,
 *      ranges) before anything is computed. `describe` and `list` only read
 *      the descriptor; they never call compute.
 *   3. For every configured indicator the host calls compute() once with a
 *      ri_call: the panel's dimensions and labels, one read-only column per
 *      declared input (in declaration order), one typed, already validated
 *      value per declared parameter (in declaration order), and one
 *      writable column per declared output, pre-filled with NaN.
 *
 * Column layout
 *   A column holds one double per cell of the panel. Cells of a column
 *   without industries are ordered area-major:  index = a * n_periods + p.
 *   Cells of a column by industry (RI_BY_INDUSTRY) are
 *                         index = (a * n_periods + p) * n_industries + i.
 *   Missing values are NaN (suppressed, blank, not applicable). A plugin
 *   writes NaN where a value cannot be computed (missing input, zero
 *   denominator) and says why through host->log at RI_LOG_WARNING; it never
 *   writes 0 or infinity for "unknown".
 *
 * Ownership
 *   Everything the host passes is owned by the host and valid only during
 *   the call. Output columns are owned by the host; the plugin only fills
 *   them. The descriptor and every string it points to are owned by the
 *   plugin and must stay valid while the module is loaded (use static data).
 *
 * ABI evolution
 *   RI_ABI_MAJOR changes only when an existing member changes meaning or
 *   position; the host refuses any other major. RI_ABI_MINOR grows when
 *   members are appended at the end of ri_host, ri_call or ri_plugin, or when
 *   enum values are added; a host accepts plugins built against its own or an
 *   older minor. Structures carry their size so both sides can tell which
 *   appended members exist. Members are never removed or reordered.
 */
#ifndef REGIND_PLUGIN_H
#define REGIND_PLUGIN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RI_ABI_MAJOR 1
#define RI_ABI_MINOR 1

/* The same versions under the package's name, for build scripts that test them. */
#define REGIND_ABI_MAJOR RI_ABI_MAJOR
#define REGIND_ABI_MINOR RI_ABI_MINOR

/* Name of the one symbol every plugin exports. */
#define RI_PLUGIN_ENTRY_SYMBOL "ri_plugin_entry"

/* Index value meaning "no such area" (for example no benchmark configured). */
#define RI_NO_AREA ((size_t)-1)

/* Return codes of compute(). */
typedef enum ri_status {
    RI_OK = 0,
    RI_FAIL = 1 /* the plugin set an error with host->error() */
} ri_status;

typedef enum ri_log_level {
    RI_LOG_ERROR = 0,
    RI_LOG_WARNING = 1,
    RI_LOG_INFO = 2,
    RI_LOG_DEBUG = 3
} ri_log_level;

typedef enum ri_param_type {
    RI_PARAM_DOUBLE = 1, /* value.d; [min, max] inclusive */
    RI_PARAM_INT = 2,    /* value.i; [min, max] inclusive */
    RI_PARAM_BOOL = 3,   /* value.i is 0 or 1 */
    RI_PARAM_STRING = 4, /* value.s; any text */
    RI_PARAM_CHOICE = 5  /* value.s is one of choices; value.i its index */
} ri_param_type;

/* Flags of inputs and outputs. */
#define RI_BY_INDUSTRY 0x1u /* column is area x period x industry */
#define RI_OPTIONAL 0x2u    /* input may be left unbound: its column is NULL */
/* Output with a value on the benchmark area's row only (a statistic of the
   group, such as its median): writers leave out the other areas' cells
   instead of listing them as missing. Since ABI 1.1. */
#define RI_BENCHMARK_ROW 0x4u

/* An input the plugin needs, by role. The job binds each role to a measure. */
typedef struct ri_input_spec {
    const char *role; /* identifier: [a-z][a-z0-9_]* */
    unsigned flags;   /* RI_BY_INDUSTRY, RI_OPTIONAL */
    const char *help; /* one line: what the measure must contain and its unit */
} ri_input_spec;

/* A parameter. The host validates configured values against this schema. */
typedef struct ri_param_spec {
    const char *name;            /* identifier: [a-z][a-z0-9_]* */
    ri_param_type type;
    const char *default_value;   /* text form of the default; NULL = required */
    double min, max;             /* for DOUBLE and INT; ignored when min > max */
    const char *const *choices;  /* for CHOICE: NULL-terminated list */
    const char *help;
} ri_param_spec;

/* An output column the plugin writes. */
typedef struct ri_output_spec {
    const char *name; /* identifier: [a-z][a-z0-9_]* */
    const char *unit; /* never empty: "GBP", "index (benchmark = 100)", "%", ... */
    unsigned flags;   /* RI_BY_INDUSTRY, RI_BENCHMARK_ROW */
    const char *help;
} ri_output_spec;

/* A validated parameter value. `long` keeps the header C89-clean; INT
   parameters are range-checked by the host to fit it. */
typedef struct ri_value {
    double d;
    long i;
    const char *s;
} ri_value;

typedef struct ri_context ri_context; /* opaque: the host's per-call state */

/* What the host hands to compute(). All arrays are indexed as described above. */
typedef struct ri_call {
    size_t size; /* sizeof(ri_call) of the host */
    ri_context *ctx;

    size_t n_areas, n_periods, n_industries; /* n_industries >= 1 */
    const char *const *area_codes;   /* [n_areas] */
    const char *const *area_names;   /* [n_areas]; "" when unknown */
    const char *const *area_types;   /* [n_areas]: "LEP", "LAD", "ITL1", ... */
    const char *const *periods;      /* [n_periods], ascending */
    const double *period_years;      /* [n_periods]: first year of each period */
    const char *const *industries;   /* [n_industries]; NULL when none */

    size_t benchmark;                /* area index or RI_NO_AREA */
    const unsigned char *in_group;   /* [n_areas]: 1 for the compared areas */

    const double *const *inputs;     /* [n_inputs]; NULL for unbound optional */
    const ri_value *params;          /* [n_params] */
    double *const *outputs;          /* [n_outputs], pre-filled with NaN */
} ri_call;

/* Services of the host. Members are only ever appended. */
typedef struct ri_host {
    size_t size; /* sizeof(ri_host) of the host */
    unsigned abi_major, abi_minor;

    /* Report an event; printf-style. Warnings are counted and shown to the user. */
    void (*log)(ri_context *ctx, ri_log_level level, const char *fmt, ...)
#if defined(__GNUC__)
        __attribute__((format(printf, 3, 4)))
#endif
        ;
    /* Set the error message of this call; returns RI_FAIL for `return host->error(...)`. */
    ri_status (*error)(ri_context *ctx, const char *fmt, ...)
#if defined(__GNUC__)
        __attribute__((format(printf, 2, 3)))
#endif
        ;
    /* Replace an output's declared unit for this call (e.g. "GBP per hour"). */
    void (*set_unit)(ri_context *ctx, size_t output, const char *unit);

    /* Statistics over n values at stride, NaN excluded (GSL-backed).
       Return NaN when no value is left. */
    double (*mean)(const double *v, size_t stride, size_t n);
    double (*quantile)(const double *v, size_t stride, size_t n, double q);
    double (*sd)(const double *v, size_t stride, size_t n);
    /* Least-squares line y = c0 + c1 x over pairs where both are finite.
       Returns RI_FAIL (with a message through ctx) when fewer than 3 pairs. */
    ri_status (*fit_linear)(ri_context *ctx, const double *x, const double *y,
                            size_t n, double *c0, double *c1,
                            double *se_c1, double *r2);
} ri_host;

typedef ri_status (*ri_compute_fn)(const ri_host *host, const ri_call *call);

/* The descriptor a plugin returns from its entry point. */
typedef struct ri_plugin {
    size_t struct_size;        /* sizeof(ri_plugin) when the plugin was built */
    unsigned abi_major, abi_minor;
    const char *name;          /* identifier: [a-z][a-z0-9_]*, unique */
    const char *version;       /* the plugin's own version, e.g. "1.2.0" */
    const char *summary;       /* one line */

    const ri_input_spec *inputs;   size_t n_inputs;
    const ri_param_spec *params;   size_t n_params;
    const ri_output_spec *outputs; size_t n_outputs;

    ri_compute_fn compute;
} ri_plugin;

/* Fill the version fields of a descriptor: RI_PLUGIN_HEADER, "name", ... */
#define RI_PLUGIN_HEADER sizeof(ri_plugin), RI_ABI_MAJOR, RI_ABI_MINOR
#define RI_COUNT(array) (sizeof(array) / sizeof((array)[0]))

typedef const ri_plugin *(*ri_plugin_entry_fn)(void);

#if defined(__GNUC__) && __GNUC__ >= 4
#define RI_EXPORT __attribute__((visibility("default")))
#else
#define RI_EXPORT
#endif

/* Define the entry point: RI_PLUGIN_DEFINE(my_descriptor) */
#define RI_PLUGIN_DEFINE(descriptor) \
    RI_EXPORT const ri_plugin *ri_plugin_entry(void); \
    RI_EXPORT const ri_plugin *ri_plugin_entry(void) { return &(descriptor); }

#ifdef __cplusplus
}
#endif

#endif /* REGIND_PLUGIN_H */
