/* config.c — reading and validating regind job files (see config.h and regind.cfg(5)). */
#define _POSIX_C_SOURCE 200809L

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "derive.h"
#include "strtab.h"
#include "suggest.h"
#include "xlsx.h"

#define TRY(expr)                      \
    do {                               \
        ri_rc try_rc_ = (expr);        \
        if (try_rc_ != RI_RC_OK)       \
            return try_rc_;            \
    } while (0)

typedef struct loader {
    ri_job *job;
    ri_error *err;
    /* A job file after the first (-c A -c B): it adds datasets, derived measures, lookups,
       aggregates and indicators after those already in the job, whose counts these are. */
    int later;
    const char *path; /* the file being read; NULL: the job's own */
    size_t base_datasets, base_derived, base_lookups, base_aggregates, base_indicators;
} loader;

static const char *const root_keys[] = {
    "version", "plugin_path", "missing", "breakdown", "max_panel_values", "datasets", "derived", "geography",
    "indicators", "groups", "outputs", "compare", "run", NULL};
static const char *const dataset_keys[] = {
    "id", "file", "layout", "skip_rows", "area", "area_name", "area_type",
    "period", "industry", "filter", "measures", "measure", "period_prefix",
    "additive", "duplicates", "missing", "prefer_over", "sheet", NULL};
static const char *const filter_keys[] = {"column", "values", NULL};
static const char *const geography_keys[] = {"lookups", "aggregates", NULL};
static const char *const lookup_keys[] = {
    "id", "file", "child", "parent", "parent_name", "parent_type", "filter", "aggregate",
    "members_rule", "min_coverage", NULL};
static const char *const derived_keys[] = {"name", "expr", "additive", NULL};
static const char *const group_keys[] = {"id", "members", NULL};
static const char *const aggregate_keys[] = {
    "code", "name", "type", "members_type", "members_prefix", "members",
    "members_rule", "min_coverage", NULL};
static const char *const indicator_keys[] = {
    "id", "plugin", "inputs", "params", "benchmark", "group_type", "sample", NULL};
static const char *const output_keys[] = {"file", "format", "shape", "indicators", "area_types", "members_of", NULL};
static const char *const compare_keys[] = {"area_type", "indicators", "period", NULL};
static const char *const run_keys[] = {
    "lock_file", "manifest", "skip_if_unchanged", "period", "required_periods",
    "required_datasets", NULL};

/* What only the first of several job files may set: one job writes one set of outputs. */
static const char *const first_file_keys[] = {"outputs", "compare", "run", "max_panel_values", "breakdown", NULL};
static const char *const layout_names[] = {"tidy", "wide", NULL};
static const char *const duplicates_names[] = {"error", "identical", NULL};
static const char *const format_names[] = {"csv", "json", "html", "xlsx", NULL};
static const char *const shape_names[] = {"tidy", "wide", NULL};
static const char *const sample_names[] = {"all", "balanced", NULL};
static const char *const members_rule_names[] = {"strict", "complete_members", "present_members", NULL};

/* ------------------------------------------------------------ paths */

char *ri_path_resolve(const char *dir, const char *path)
{
    size_t ld, lp;
    char *out;

    if (!path)
        return NULL;
    if (path[0] == '/' || !dir || dir[0] == '\0')
        return strdup(path);
    ld = strlen(dir);
    lp = strlen(path);
    out = malloc(ld + 1 + lp + 1);
    if (!out)
        return NULL;
    memcpy(out, dir, ld);
    /* "/" as the directory must not become "//file". */
    if (dir[ld - 1] != '/')
        out[ld++] = '/';
    memcpy(out + ld, path, lp + 1);
    return out;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t len;
    char *out;

    if (!slash)
        return strdup(".");
    len = (size_t)(slash - path);
    while (len > 0 && path[len - 1] == '/')
        len--;
    if (len == 0)
        return strdup("/");
    out = malloc(len + 1);
    if (!out)
        return NULL;
    memcpy(out, path, len);
    out[len] = '\0';
    return out;
}

/*
 * libconfig names the main file as it was given and an included file as
 * written after @include, although it opened it relative to the include
 * directory (the job's directory). Users need a name they can open from
 * where they ran regind, so included names are joined to the job's directory.
 */
static char *source_path(const loader *ld, const char *file)
{
    const ri_job *job = ld->job;
    const char *self = ld->path ? ld->path : job->path;
    if (!file || strcmp(file, self) == 0)
        return strdup(self);
    if (file[0] == '/' || strcmp(job->dir, ".") == 0)
        return strdup(file);
    return ri_path_resolve(job->dir, file);
}

/* ------------------------------------------------------------ errors */

static ri_rc oom(loader *ld)
{
    return ri_fail(ld->err, RI_RC_DATA, "%s: out of memory while reading the job file",
                   ld->job->path);
}

static ri_rc vfail_in(loader *ld, const char *file, int line, const char *fmt, va_list ap)
{
    char msg[RI_ERROR_MAX];
    char *where = source_path(ld, file);
    const char *name = where ? where : ld->job->path;

    vsnprintf(msg, sizeof msg, fmt, ap);
    if (line > 0)
        ri_fail(ld->err, RI_RC_USAGE, "%s:%d: %s", name, line, msg);
    else
        ri_fail(ld->err, RI_RC_USAGE, "%s: %s", name, msg);
    free(where);
    return RI_RC_USAGE;
}

/* An error located at setting s: "FILE:LINE: message". */
static ri_rc fail_at(loader *ld, const config_setting_t *s, const char *fmt, ...) RI_PRINTF(3, 4);
static ri_rc fail_at(loader *ld, const config_setting_t *s, const char *fmt, ...)
{
    va_list ap;
    ri_rc rc;
    va_start(ap, fmt);
    rc = vfail_in(ld, config_setting_source_file(s), (int)config_setting_source_line(s), fmt, ap);
    va_end(ap);
    return rc;
}

static const char *type_name(const config_setting_t *s)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT: return "an integer";
    case CONFIG_TYPE_INT64: return "a 64-bit integer";
    case CONFIG_TYPE_FLOAT: return "a float";
    case CONFIG_TYPE_STRING: return "a string";
    case CONFIG_TYPE_BOOL: return "a boolean";
    case CONFIG_TYPE_ARRAY: return "an array";
    case CONFIG_TYPE_LIST: return "a list";
    case CONFIG_TYPE_GROUP: return "a group";
    default: return "an unknown type";
    }
}

/* The key of s, or the key of the array or list it is an element of. */
static const char *key_of(const config_setting_t *s)
{
    while (s && !config_setting_name(s))
        s = config_setting_parent(s);
    return s && config_setting_name(s) ? config_setting_name(s) : "(element)";
}

/* ------------------------------------------------------------ suggestions */

static size_t count_names(const char *const *names)
{
    size_t n = 0;
    while (names[n])
        n++;
    return n;
}

/*
 * "; did you mean "x"?" when a candidate is a plausible typo, else the list
 * of valid names ("; known: "a", "b"), or "" when there are none.
 */
static void suggestion(char *buf, size_t size, const char *name, const char *const *cand, size_t n)
{
    const char *best = ri_suggest(name, cand, n);
    size_t used;

    buf[0] = '\0';
    if (best) {
        snprintf(buf, size, "; did you mean \"%s\"?", best);
        return;
    }
    if (n == 0 || size < 16)
        return;
    used = (size_t)snprintf(buf, size, "; known:");
    for (size_t i = 0; i < n; i++) {
        size_t need = strlen(cand[i]) + 4;
        /* Keep room for " ..." so a cut list says it was cut. */
        if (used + need + 5 > size) {
            snprintf(buf + used, size - used, " ...");
            return;
        }
        used += (size_t)snprintf(buf + used, size - used, "%s \"%s\"", i ? "," : "", cand[i]);
    }
}

static void join_names(char *buf, size_t size, const char *const *names, const char *sep)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; names[i] && used < size; i++) {
        int w = snprintf(buf + used, size - used, "%s%s", i ? sep : "", names[i]);
        if (w < 0)
            return;
        used += (size_t)w;
    }
}

static ri_rc check_keys(loader *ld, const config_setting_t *g, const char *const *known)
{
    int n = config_setting_length(g);
    for (int i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
        const char *name = config_setting_name(s);
        const char *best;
        size_t k;

        for (k = 0; known[k]; k++)
            if (strcmp(known[k], name) == 0)
                break;
        if (known[k])
            continue;
        best = ri_suggest(name, known, count_names(known));
        if (best)
            return fail_at(ld, s, "unknown setting \"%s\"; did you mean \"%s\"?", name, best);
        {
            char list[512];
            join_names(list, sizeof list, known, ", ");
            return fail_at(ld, s, "unknown setting \"%s\"; expected one of: %s", name, list);
        }
    }
    return RI_RC_OK;
}

/* ------------------------------------------------------------ job storage */

/* The location of s; its file name is stored once in job->files. */
/* Keep the file name (taken over) in job->files once; *kept gets the stored name. The files
   there are the job's for the run manifest and its fingerprint. */
static ri_rc keep_file(loader *ld, char *name, const char **kept)
{
    ri_job *job = ld->job;
    char **grown;

    if (!name)
        return oom(ld);
    for (size_t i = 0; i < job->n_files; i++) {
        if (strcmp(job->files[i], name) == 0) {
            free(name);
            *kept = job->files[i];
            return RI_RC_OK;
        }
    }
    grown = realloc(job->files, (job->n_files + 1) * sizeof *grown);
    if (!grown) {
        free(name);
        return oom(ld);
    }
    job->files = grown;
    job->files[job->n_files++] = name;
    *kept = name;
    return RI_RC_OK;
}

static ri_rc loc_of(loader *ld, const config_setting_t *s, ri_loc *loc)
{
    loc->line = (int)config_setting_source_line(s);
    return keep_file(ld, source_path(ld, config_setting_source_file(s)), &loc->file);
}

static ri_rc copy(loader *ld, const char *s, char **out)
{
    if (!(*out = strdup(s)))
        return oom(ld);
    return RI_RC_OK;
}

/* Zeroed storage for n elements, so a partly filled job can always be freed. */
/* Room for n more elements after the first `have` of *array, zeroed. */
static ri_rc grow_array(loader *ld, size_t have, size_t n, size_t size, void **array)
{
    char *grown;
    if (n == 0)
        return RI_RC_OK;
    if (!(grown = realloc(*array, (have + n) * size)))
        return oom(ld);
    memset(grown + have * size, 0, n * size);
    *array = grown;
    return RI_RC_OK;
}

static ri_rc alloc_array(loader *ld, size_t n, size_t size, void **out)
{
    *out = NULL;
    if (n == 0)
        return RI_RC_OK;
    if (!(*out = calloc(n, size)))
        return oom(ld);
    return RI_RC_OK;
}

/* ------------------------------------------------------------ value checks */

static int is_id(const char *s)
{
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
        return 0;
    for (s++; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')
              || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
            return 0;
    return 1;
}

static int is_name(const char *s)
{
    if (!(*s >= 'a' && *s <= 'z'))
        return 0;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

enum {
    STR_REQUIRED = 1u,  /* absence is an error */
    STR_EMPTY_OK = 2u,  /* "" is a meaningful value */
    STR_ID = 4u,        /* [A-Za-z][A-Za-z0-9_-]* */
    STR_NAME = 8u,      /* [a-z][a-z0-9_]* */
    STR_PATH = 16u      /* resolved against the job's directory */
};

static ri_rc take_string(loader *ld, const config_setting_t *s, unsigned flags, char **out)
{
    const char *key = key_of(s);
    const char *v;

    if (config_setting_type(s) != CONFIG_TYPE_STRING) {
        const char *what = flags & STR_ID ? "an identifier string"
                           : flags & STR_NAME ? "a name string"
                           : flags & STR_PATH ? "a file name string" : "a string";
        return fail_at(ld, s, "\"%s\" must be %s; got %s", key, what, type_name(s));
    }
    v = config_setting_get_string(s);
    if (v[0] == '\0' && !(flags & STR_EMPTY_OK))
        return fail_at(ld, s, "\"%s\" must not be empty", key);
    if ((flags & STR_ID) && !is_id(v))
        return fail_at(ld, s,
                       "\"%s\" must be an identifier (a letter, then letters, digits, '_' or '-'); got \"%s\"",
                       key, v);
    if ((flags & STR_NAME) && !is_name(v))
        return fail_at(ld, s,
                       "\"%s\" must be a name (a lowercase letter, then lowercase letters, digits or '_'); got \"%s\"",
                       key, v);
    if (flags & STR_PATH) {
        if (!(*out = ri_path_resolve(ld->job->dir, v)))
            return oom(ld);
        return RI_RC_OK;
    }
    return copy(ld, v, out);
}

/* Member key of group g as a string; *out stays NULL when it is absent and optional. */
static ri_rc str_member(loader *ld, const config_setting_t *g, const char *key, unsigned flags,
                        const char *owner, char **out)
{
    const config_setting_t *s = config_setting_get_member(g, key);
    if (!s) {
        if (flags & STR_REQUIRED)
            return fail_at(ld, g, "%s is missing required setting \"%s\" (a string)", owner, key);
        return RI_RC_OK;
    }
    return take_string(ld, s, flags, out);
}

/* Index of the string member key among choices; *out keeps its default when absent. */
static ri_rc choice_member(loader *ld, const config_setting_t *g, const char *key,
                           const char *const *choices, int *out)
{
    const config_setting_t *s = config_setting_get_member(g, key);
    char list[128];
    const char *v;

    if (!s)
        return RI_RC_OK;
    join_names(list, sizeof list, choices, "\" or \"");
    if (config_setting_type(s) != CONFIG_TYPE_STRING)
        return fail_at(ld, s, "\"%s\" must be a string, \"%s\"; got %s", key, list, type_name(s));
    v = config_setting_get_string(s);
    for (int i = 0; choices[i]; i++) {
        if (strcmp(choices[i], v) == 0) {
            *out = i;
            return RI_RC_OK;
        }
    }
    return fail_at(ld, s, "\"%s\" must be \"%s\"; got \"%s\"", key, list, v);
}

/* members_rule and min_coverage of an aggregate or lookup group (default: strict, 95 %). */
static ri_rc members_policy(loader *ld, const config_setting_t *g, ri_members_policy *pol)
{
    const config_setting_t *s = config_setting_get_member(g, "min_coverage");
    int rule = RI_MEMBERS_STRICT;

    TRY(choice_member(ld, g, "members_rule", members_rule_names, &rule));
    pol->rule = (ri_members_rule)rule;
    pol->min_coverage = 95.0;
    if (!s)
        return RI_RC_OK;
    if (config_setting_type(s) == CONFIG_TYPE_FLOAT)
        pol->min_coverage = config_setting_get_float(s);
    else if (config_setting_type(s) == CONFIG_TYPE_INT || config_setting_type(s) == CONFIG_TYPE_INT64)
        pol->min_coverage = (double)config_setting_get_int64(s);
    else
        return fail_at(ld, s, "\"min_coverage\" must be a percentage (a number from 0 to 100); got %s",
                       type_name(s));
    if (!(pol->min_coverage >= 0.0 && pol->min_coverage <= 100.0))
        return fail_at(ld, s, "\"min_coverage\" must be a percentage from 0 to 100; got %g", pol->min_coverage);
    return RI_RC_OK;
}

static int is_integer(const config_setting_t *s)
{
    return config_setting_type(s) == CONFIG_TYPE_INT || config_setting_type(s) == CONFIG_TYPE_INT64;
}

/* An array of strings; a list of strings is accepted too, as people write both. */
static ri_rc take_strings(loader *ld, const config_setting_t *s, unsigned flags,
                          char ***out, size_t *n_out)
{
    int n;

    if (config_setting_type(s) != CONFIG_TYPE_ARRAY && config_setting_type(s) != CONFIG_TYPE_LIST)
        return fail_at(ld, s, "\"%s\" must be an array of strings ([ \"a\", \"b\" ]); got %s",
                       key_of(s), type_name(s));
    n = config_setting_length(s);
    TRY(alloc_array(ld, (size_t)n, sizeof **out, (void **)out));
    *n_out = (size_t)n;
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        if (config_setting_type(e) != CONFIG_TYPE_STRING)
            return fail_at(ld, e, "elements of \"%s\" must be strings; got %s", key_of(s),
                           type_name(e));
        TRY(take_string(ld, e, flags, &(*out)[i]));
    }
    return RI_RC_OK;
}

/* take_strings appending to what *out holds already (plugin_path and missing of several job files). */
static ri_rc add_strings(loader *ld, const config_setting_t *s, unsigned flags, char ***out, size_t *n_out)
{
    char **more = NULL, **grown;
    size_t n = 0;
    ri_rc rc = take_strings(ld, s, flags, &more, &n);
    if (rc == RI_RC_OK && n && !(grown = realloc(*out, (*n_out + n) * sizeof *grown)))
        rc = oom(ld);
    else if (rc == RI_RC_OK && n) {
        memcpy(grown + *n_out, more, n * sizeof *more);
        *out = grown;
        *n_out += n;
        n = 0;
    }
    for (size_t i = 0; i < n; i++)
        free(more[i]);
    free(more);
    return rc;
}

/* A string array whose elements must be distinct (ids, codes): repeating one is a mistake. */
static ri_rc take_distinct_strings(loader *ld, const config_setting_t *s, unsigned flags,
                                   char ***out, size_t *n_out)
{
    ri_strtab *seen;

    TRY(take_strings(ld, s, flags, out, n_out));
    /* Hashed: an aggregate may list hundreds of thousands of member codes. */
    if (!(seen = ri_strtab_new(*n_out)))
        return oom(ld);
    for (size_t i = 0; i < *n_out; i++) {
        const char *v = (*out)[i];
        long before = (long)ri_strtab_count(seen), k = ri_strtab_intern(seen, v, strlen(v));
        if (k < 0) {
            ri_strtab_free(seen);
            return oom(ld);
        }
        if (k < before) {
            ri_strtab_free(seen);
            return fail_at(ld, config_setting_get_elem(s, (unsigned)i), "\"%s\" lists \"%s\" twice",
                           key_of(s), v);
        }
    }
    ri_strtab_free(seen);
    return RI_RC_OK;
}

static ri_rc require_group(loader *ld, const config_setting_t *s, const char *example)
{
    if (!config_setting_is_group(s))
        return fail_at(ld, s, "\"%s\" must be a group (%s); got %s", key_of(s), example,
                       type_name(s));
    return RI_RC_OK;
}

/* A list of groups such as datasets = ( { ... }, { ... } ). */
static ri_rc require_list(loader *ld, const config_setting_t *s, const char *example)
{
    if (!config_setting_is_list(s))
        return fail_at(ld, s, "\"%s\" must be a list of groups (%s); got %s", key_of(s), example,
                       type_name(s));
    for (int i = 0; i < config_setting_length(s); i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        if (!config_setting_is_group(e))
            return fail_at(ld, e, "elements of \"%s\" must be groups ({ ... }); got %s",
                           key_of(s), type_name(e));
    }
    return RI_RC_OK;
}

/* ------------------------------------------------------------ filters and bindings */

static ri_rc filter_values(loader *ld, const config_setting_t *s, ri_filter *f)
{
    if (config_setting_type(s) == CONFIG_TYPE_STRING) {
        TRY(alloc_array(ld, 1, sizeof *f->values, (void **)&f->values));
        f->n_values = 1;
        return take_string(ld, s, STR_EMPTY_OK, &f->values[0]);
    }
    if (config_setting_type(s) != CONFIG_TYPE_ARRAY && config_setting_type(s) != CONFIG_TYPE_LIST)
        return fail_at(ld, s, "filter \"%s\" must be a string or an array of strings; got %s",
                       f->column ? f->column : key_of(s), type_name(s));
    if (config_setting_length(s) == 0)
        return fail_at(ld, s, "filter \"%s\" must list at least one value; an empty list keeps no rows",
                       f->column ? f->column : key_of(s));
    return take_strings(ld, s, STR_EMPTY_OK, &f->values, &f->n_values);
}

/*
 * Both forms fill the same ri_filter: a group is shorter, a list of
 * { column; values; } admits headers that are not valid libconfig names.
 */
static ri_rc parse_filters(loader *ld, const config_setting_t *s, ri_filter **out, size_t *n_out)
{
    int n = config_setting_length(s);

    if (!config_setting_is_group(s) && !config_setting_is_list(s))
        return fail_at(ld, s,
                       "\"filter\" must be a group ({ column = \"value\"; }) or a list "
                       "(( { column = \"Header\"; values = [ \"a\" ]; } )); got %s",
                       type_name(s));
    TRY(alloc_array(ld, (size_t)n, sizeof **out, (void **)out));
    *n_out = (size_t)n;
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        ri_filter *f = &(*out)[i];

        TRY(loc_of(ld, e, &f->loc));
        if (config_setting_is_group(s)) {
            TRY(copy(ld, config_setting_name(e), &f->column));
            TRY(filter_values(ld, e, f));
            continue;
        }
        if (!config_setting_is_group(e))
            return fail_at(ld, e,
                           "elements of \"filter\" must be groups ({ column = \"Header\"; values = [ \"a\" ]; }); got %s",
                           type_name(e));
        TRY(check_keys(ld, e, filter_keys));
        TRY(str_member(ld, e, "column", STR_REQUIRED, "this filter", &f->column));
        {
            const config_setting_t *v = config_setting_get_member(e, "values");
            if (!v)
                return fail_at(ld, e,
                               "this filter is missing required setting \"values\" (a string or an array of strings)");
            TRY(filter_values(ld, v, f));
        }
    }
    return RI_RC_OK;
}

/* name = "text" pairs; names follow rule (STR_NAME or 0), texts must not be empty. */
static ri_rc parse_bindings(loader *ld, const config_setting_t *s, unsigned name_rule,
                            const char *what, ri_binding **out, size_t *n_out)
{
    int n = config_setting_length(s);

    TRY(alloc_array(ld, (size_t)n, sizeof **out, (void **)out));
    *n_out = (size_t)n;
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        ri_binding *b = &(*out)[i];
        const char *name = config_setting_name(e);

        if ((name_rule & STR_NAME) && !is_name(name))
            return fail_at(ld, e,
                           "%s name \"%s\" is not valid; expected a lowercase letter, then lowercase letters, digits or '_'",
                           what, name);
        if (config_setting_type(e) != CONFIG_TYPE_STRING)
            return fail_at(ld, e, "%s \"%s\" must be a string; got %s", what, name, type_name(e));
        TRY(loc_of(ld, e, &b->loc));
        TRY(copy(ld, name, &b->name));
        TRY(take_string(ld, e, 0, &b->value));
    }
    return RI_RC_OK;
}

/* ------------------------------------------------------------ datasets */

/* Whether ds reads a measure called name. */
static int dataset_has(const ri_dataset_cfg *ds, const char *name)
{
    if (ds->measure && strcmp(ds->measure, name) == 0)
        return 1;
    for (size_t i = 0; i < ds->n_measures; i++)
        if (ds->measures[i].name && strcmp(ds->measures[i].name, name) == 0)
            return 1;
    return 0;
}

/* Every measure name of ds (pointers into ds), for suggestions; caller frees the array. */
static const char **dataset_names(const ri_dataset_cfg *ds, size_t *n)
{
    const char **names = malloc((ds->n_measures + 1) * sizeof *names);
    *n = 0;
    if (!names)
        return NULL;
    if (ds->measure)
        names[(*n)++] = ds->measure;
    for (size_t i = 0; i < ds->n_measures; i++)
        names[(*n)++] = ds->measures[i].name;
    return names;
}

static ri_rc parse_additive(loader *ld, const config_setting_t *s, ri_dataset_cfg *ds)
{
    TRY(take_distinct_strings(ld, s, 0, &ds->additive, &ds->n_additive));
    for (size_t i = 0; i < ds->n_additive; i++) {
        if (!dataset_has(ds, ds->additive[i])) {
            size_t n;
            const char **names = dataset_names(ds, &n);
            char hint[512];
            if (!names)
                return oom(ld);
            suggestion(hint, sizeof hint, ds->additive[i], names, n);
            free(names);
            return fail_at(ld, config_setting_get_elem(s, (unsigned)i),
                           "\"additive\" names \"%s\", which is not a measure of dataset \"%s\"%s",
                           ds->additive[i], ds->id, hint);
        }
    }
    return RI_RC_OK;
}

static ri_rc parse_layout_keys(loader *ld, const config_setting_t *g, ri_dataset_cfg *ds,
                               const char *owner)
{
    const config_setting_t *s;

    if (ds->layout == RI_LAYOUT_WIDE) {
        if ((s = config_setting_get_member(g, "period")))
            return fail_at(ld, s,
                           "\"period\" is not used with layout = \"wide\": the periods are the column headers; remove it");
        if ((s = config_setting_get_member(g, "measures")))
            return fail_at(ld, s,
                           "\"measures\" is for layout = \"tidy\"; a wide dataset holds one measure: use measure = \"name\"");
        if (!(s = config_setting_get_member(g, "measure")))
            return fail_at(ld, g,
                           "%s is missing required setting \"measure\" (a name; required for layout = \"wide\")",
                           owner);
        TRY(take_string(ld, s, STR_NAME, &ds->measure));
        TRY(str_member(ld, g, "period_prefix", STR_EMPTY_OK, owner, &ds->period_prefix));
        return ds->period_prefix ? RI_RC_OK : copy(ld, "", &ds->period_prefix);
    }
    if ((s = config_setting_get_member(g, "measure")))
        return fail_at(ld, s,
                       "\"measure\" is for layout = \"wide\" (this dataset is \"tidy\"); name the measures with measures = { name = \"column header\"; }");
    if ((s = config_setting_get_member(g, "period_prefix")))
        return fail_at(ld, s,
                       "\"period_prefix\" is for layout = \"wide\" (this dataset is \"tidy\"); remove it");
    if (!config_setting_get_member(g, "period"))
        return fail_at(ld, g,
                       "%s is missing required setting \"period\" (the header of the period column; required for layout = \"tidy\")",
                       owner);
    TRY(str_member(ld, g, "period", 0, owner, &ds->period_col));
    if (!(s = config_setting_get_member(g, "measures")))
        return fail_at(ld, g,
                       "%s is missing required setting \"measures\" (a group: name = \"column header\"; required for layout = \"tidy\")",
                       owner);
    TRY(require_group(ld, s, "measures = { name = \"column header\"; }"));
    if (config_setting_length(s) == 0)
        return fail_at(ld, s, "\"measures\" must name at least one measure");
    return parse_bindings(ld, s, STR_NAME, "measure", &ds->measures, &ds->n_measures);
}

static ri_rc parse_dataset(loader *ld, const config_setting_t *g, size_t index, ri_dataset_cfg *ds)
{
    char owner[160];
    const config_setting_t *s;
    int choice;

    TRY(loc_of(ld, g, &ds->loc));
    TRY(check_keys(ld, g, dataset_keys));
    snprintf(owner, sizeof owner, "dataset #%zu", index + 1);
    TRY(str_member(ld, g, "id", STR_REQUIRED | STR_ID, owner, &ds->id));
    snprintf(owner, sizeof owner, "dataset \"%s\"", ds->id);
    TRY(str_member(ld, g, "file", STR_REQUIRED | STR_PATH, owner, &ds->path));
    choice = RI_LAYOUT_TIDY;
    TRY(choice_member(ld, g, "layout", layout_names, &choice));
    ds->layout = (ri_layout)choice;
    if ((s = config_setting_get_member(g, "skip_rows"))) {
        if (!is_integer(s) || config_setting_get_int64(s) < 0)
            return fail_at(ld, s, "\"skip_rows\" must be an integer >= 0; got %s",
                           is_integer(s) ? "a negative integer" : type_name(s));
        ds->skip_rows = (long)config_setting_get_int64(s);
        ds->has_skip_rows = 1;
    }
    TRY(str_member(ld, g, "sheet", 0, owner, &ds->sheet));
    if (ds->sheet && !ri_xlsx_is_workbook(ds->path))
        return fail_at(ld, config_setting_get_member(g, "sheet"),
                       "\"sheet\" is for .xlsx workbooks (dataset \"%s\" reads a CSV file); remove it", ds->id);
    TRY(str_member(ld, g, "area", STR_REQUIRED, owner, &ds->area_col));
    TRY(str_member(ld, g, "area_name", 0, owner, &ds->area_name_col));
    TRY(str_member(ld, g, "area_type", 0, owner, &ds->area_type_col));
    TRY(str_member(ld, g, "industry", 0, owner, &ds->industry_col));
    TRY(parse_layout_keys(ld, g, ds, owner));
    if ((s = config_setting_get_member(g, "filter")))
        TRY(parse_filters(ld, s, &ds->filters, &ds->n_filters));
    if ((s = config_setting_get_member(g, "additive")))
        TRY(parse_additive(ld, s, ds));
    choice = RI_DUP_ERROR;
    TRY(choice_member(ld, g, "duplicates", duplicates_names, &choice));
    ds->duplicates = (ri_dup_policy)choice;
    if ((s = config_setting_get_member(g, "missing")))
        TRY(take_strings(ld, s, STR_EMPTY_OK, &ds->missing, &ds->n_missing));
    if ((s = config_setting_get_member(g, "prefer_over"))) {
        TRY(take_distinct_strings(ld, s, STR_ID, &ds->prefer_over, &ds->n_prefer_over));
        for (size_t i = 0; i < ds->n_prefer_over; i++)
            if (strcmp(ds->prefer_over[i], ds->id) == 0)
                return fail_at(ld, config_setting_get_elem(s, (unsigned)i),
                               "dataset \"%s\" lists itself in \"prefer_over\"; name other datasets",
                               ds->id);
    }
    return RI_RC_OK;
}

static ri_rc parse_datasets(loader *ld, const config_setting_t *root)
{
    const config_setting_t *s = config_setting_get_member(root, "datasets");
    ri_job *job = ld->job;
    int n;

    if (!s && ld->later)
        return RI_RC_OK;
    if (!s)
        return fail_at(ld, root,
                       "missing required setting \"datasets\"; expected a list of dataset groups: datasets = ( { id = \"...\"; file = \"...\"; ... } );");
    TRY(require_list(ld, s, "datasets = ( { id = \"...\"; ... } )"));
    n = config_setting_length(s);
    if (n == 0)
        return fail_at(ld, s, "\"datasets\" must hold at least one dataset");
    TRY(grow_array(ld, ld->base_datasets, (size_t)n, sizeof *job->datasets, (void **)&job->datasets));
    for (int k = 0; k < n; k++) {
        size_t i = ld->base_datasets + (size_t)k;
        const config_setting_t *g = config_setting_get_elem(s, (unsigned)k);
        ri_dataset_cfg *ds = &job->datasets[i];
        job->n_datasets = i + 1;
        TRY(parse_dataset(ld, g, i, ds));
        for (size_t j = 0; j < i; j++)
            if (strcmp(job->datasets[j].id, ds->id) == 0)
                return fail_at(ld, config_setting_get_member(g, "id"),
                               "dataset id \"%s\" is already used by the dataset at %s:%d",
                               ds->id, job->datasets[j].loc.file, job->datasets[j].loc.line);
    }
    return RI_RC_OK;
}

/* ------------------------------------------------------------ geography */

static ri_rc parse_lookup(loader *ld, const config_setting_t *g, size_t index, ri_lookup_cfg *lk)
{
    char owner[160];
    const config_setting_t *s;

    TRY(loc_of(ld, g, &lk->loc));
    TRY(check_keys(ld, g, lookup_keys));
    snprintf(owner, sizeof owner, "lookup #%zu", index + 1);
    TRY(str_member(ld, g, "id", STR_REQUIRED | STR_ID, owner, &lk->id));
    snprintf(owner, sizeof owner, "lookup \"%s\"", lk->id);
    TRY(str_member(ld, g, "file", STR_REQUIRED | STR_PATH, owner, &lk->path));
    TRY(str_member(ld, g, "child", STR_REQUIRED, owner, &lk->child_col));
    TRY(str_member(ld, g, "parent", STR_REQUIRED, owner, &lk->parent_col));
    TRY(str_member(ld, g, "parent_name", 0, owner, &lk->parent_name_col));
    TRY(str_member(ld, g, "parent_type", 0, owner, &lk->parent_type));
    if ((s = config_setting_get_member(g, "filter")))
        TRY(parse_filters(ld, s, &lk->filters, &lk->n_filters));
    /* Which measures exist is known only after the datasets: see check_lookup_aggregates(). */
    if ((s = config_setting_get_member(g, "aggregate")))
        TRY(take_distinct_strings(ld, s, STR_NAME, &lk->aggregate, &lk->n_aggregate));
    return members_policy(ld, g, &lk->members);
}

static ri_rc parse_aggregate(loader *ld, const config_setting_t *g, size_t index,
                             ri_aggregate_cfg *ag)
{
    char owner[160];
    const config_setting_t *members = config_setting_get_member(g, "members");
    const config_setting_t *mtype = config_setting_get_member(g, "members_type");
    const config_setting_t *prefix = config_setting_get_member(g, "members_prefix");

    TRY(loc_of(ld, g, &ag->loc));
    TRY(check_keys(ld, g, aggregate_keys));
    TRY(members_policy(ld, g, &ag->policy));
    snprintf(owner, sizeof owner, "aggregate #%zu", index + 1);
    TRY(str_member(ld, g, "code", STR_REQUIRED, owner, &ag->code));
    snprintf(owner, sizeof owner, "aggregate \"%s\"", ag->code);
    TRY(str_member(ld, g, "name", STR_REQUIRED, owner, &ag->name));
    TRY(str_member(ld, g, "type", STR_REQUIRED, owner, &ag->type));
    if (members && mtype)
        return fail_at(ld, members,
                       "%s has both \"members\" and \"members_type\"; give one: a list of codes, or a type (with an optional members_prefix)",
                       owner);
    if (!members && !mtype)
        return fail_at(ld, g,
                       "%s has no members; give members = [ \"code\", ... ] or members_type = \"LAD\" (with an optional members_prefix)",
                       owner);
    if (members) {
        if (prefix)
            return fail_at(ld, prefix,
                           "\"members_prefix\" selects areas of members_type; it cannot be used with \"members\"");
        TRY(take_distinct_strings(ld, members, 0, &ag->members, &ag->n_members));
        if (ag->n_members == 0)
            return fail_at(ld, members, "\"members\" must list at least one area code");
        return RI_RC_OK;
    }
    TRY(take_string(ld, mtype, 0, &ag->members_type));
    TRY(str_member(ld, g, "members_prefix", STR_EMPTY_OK, owner, &ag->members_prefix));
    return ag->members_prefix ? RI_RC_OK : copy(ld, "", &ag->members_prefix);
}

static ri_rc parse_geography(loader *ld, const config_setting_t *root)
{
    const config_setting_t *geo = config_setting_get_member(root, "geography");
    const config_setting_t *s;
    ri_job *job = ld->job;

    if (!geo)
        return RI_RC_OK;
    TRY(require_group(ld, geo, "geography = { lookups = ( ... ); aggregates = ( ... ); }"));
    TRY(check_keys(ld, geo, geography_keys));
    if ((s = config_setting_get_member(geo, "lookups"))) {
        int n;
        TRY(require_list(ld, s, "lookups = ( { id = \"...\"; ... } )"));
        n = config_setting_length(s);
        TRY(grow_array(ld, ld->base_lookups, (size_t)n, sizeof *job->lookups, (void **)&job->lookups));
        for (int k = 0; k < n; k++) {
            size_t i = ld->base_lookups + (size_t)k;
            const config_setting_t *g = config_setting_get_elem(s, (unsigned)k);
            job->n_lookups = i + 1;
            TRY(parse_lookup(ld, g, i, &job->lookups[i]));
            for (size_t j = 0; j < i; j++)
                if (strcmp(job->lookups[j].id, job->lookups[i].id) == 0)
                    return fail_at(ld, config_setting_get_member(g, "id"),
                                   "lookup id \"%s\" is already used by the lookup at %s:%d",
                                   job->lookups[i].id, job->lookups[j].loc.file,
                                   job->lookups[j].loc.line);
        }
    }
    if ((s = config_setting_get_member(geo, "aggregates"))) {
        int n;
        TRY(require_list(ld, s, "aggregates = ( { code = \"...\"; ... } )"));
        n = config_setting_length(s);
        TRY(grow_array(ld, ld->base_aggregates, (size_t)n, sizeof *job->aggregates, (void **)&job->aggregates));
        for (int k = 0; k < n; k++) {
            size_t i = ld->base_aggregates + (size_t)k;
            const config_setting_t *g = config_setting_get_elem(s, (unsigned)k);
            job->n_aggregates = i + 1;
            TRY(parse_aggregate(ld, g, i, &job->aggregates[i]));
            for (size_t j = 0; j < i; j++)
                if (strcmp(job->aggregates[j].code, job->aggregates[i].code) == 0)
                    return fail_at(ld, config_setting_get_member(g, "code"),
                                   "aggregate code \"%s\" is already used by the aggregate at %s:%d",
                                   job->aggregates[i].code, job->aggregates[j].loc.file,
                                   job->aggregates[j].loc.line);
        }
    }
    return RI_RC_OK;
}

/* ------------------------------------------------------------ measures of the job */

/* Every measure name of the job (datasets' and job-level derived); the array points into the job. */
static const char **all_measures(const ri_job *job, size_t *n)
{
    size_t cap = 0;
    const char **names;

    for (size_t d = 0; d < job->n_datasets; d++)
        cap += job->datasets[d].n_measures + 1;
    cap += job->n_derived;
    names = malloc((cap + 1) * sizeof *names);
    *n = 0;
    if (!names)
        return NULL;
    for (size_t d = 0; d < job->n_datasets; d++) {
        size_t k;
        const char **some = dataset_names(&job->datasets[d], &k);
        if (!some) {
            free(names);
            return NULL;
        }
        memcpy(names + *n, some, k * sizeof *some);
        *n += k;
        free(some);
    }
    for (size_t d = 0; d < job->n_derived; d++)
        if (job->derived[d].name)
            names[(*n)++] = job->derived[d].name;
    return names;
}

const ri_indicator_cfg *ri_job_indicator(const ri_job *job, const char *id)
{
    for (size_t k = 0; k < job->n_indicators; k++)
        if (strcmp(job->indicators[k].id, id) == 0)
            return &job->indicators[k];
    return NULL;
}

const char **ri_job_measures(const ri_job *job, size_t *n)
{
    return all_measures(job, n);
}

/* ------------------------------------------------------------ job-level derived measures */

/* The first dataset that reads name, or NULL. */
static const ri_dataset_cfg *provider(const ri_job *job, const char *name)
{
    for (size_t d = 0; d < job->n_datasets; d++)
        if (dataset_has(&job->datasets[d], name))
            return &job->datasets[d];
    return NULL;
}

/* The job-level derived measure called name among the first limit, or NULL. */
static const ri_derived_cfg *job_derived(const ri_job *job, const char *name, size_t limit)
{
    for (size_t i = 0; i < job->n_derived && i < limit; i++)
        if (job->derived[i].name && strcmp(job->derived[i].name, name) == 0)
            return &job->derived[i];
    return NULL;
}

typedef struct job_derive_check {
    const ri_job *job;
    size_t limit;          /* derived measures usable: those defined earlier */
    char unknown[128];     /* the first name that did not resolve */
} job_derive_check;

/*
 * The panel evaluates these over columns without industries, after the
 * datasets are joined, in file order: the same scope is checked here.
 */
static const double *job_derive_lookup(void *user, const char *name)
{
    static const double placeholder = 0.0;
    job_derive_check *dc = user;
    const ri_dataset_cfg *ds = provider(dc->job, name);

    if ((ds && !ds->industry_col) || job_derived(dc->job, name, dc->limit))
        return &placeholder;
    /* total(x) sums a measure kept by industry over its industries. */
    if (strncmp(name, "total(", 6) == 0 && name[strlen(name) - 1] == ')') {
        char inner[128];
        snprintf(inner, sizeof inner, "%.*s", (int)(strlen(name) - 7), name + 6);
        ds = provider(dc->job, inner);
        if (ds && ds->industry_col)
            return &placeholder;
    }
    if (!dc->unknown[0])
        snprintf(dc->unknown, sizeof dc->unknown, "%s", name);
    return NULL;
}

/* Whether a job-level derived measure after index (not yet read) is called name. */
static int defined_later(const config_setting_t *list, size_t index, const char *name)
{
    for (int i = (int)index + 1; i < config_setting_length(list); i++) {
        const config_setting_t *n =
            config_setting_get_member(config_setting_get_elem(list, (unsigned)i), "name");
        if (n && config_setting_type(n) == CONFIG_TYPE_STRING
            && strcmp(config_setting_get_string(n), name) == 0)
            return 1;
    }
    return 0;
}

/* The error for an expression naming a measure outside its scope, saying why it is outside. */
static ri_rc explain_unknown(loader *ld, const config_setting_t *list, size_t index,
                             const config_setting_t *s, const job_derive_check *dc)
{
    const ri_job *job = ld->job;
    const char *name = job->derived[ld->base_derived + index].name;
    const ri_dataset_cfg *ds = provider(job, dc->unknown);
    const char **names;
    char hint[512];
    size_t n = 0, cap = ld->base_derived + index + 1;

    if (ds)
        return fail_at(ld, s,
                       "derived measure \"%s\": \"%s\" is kept by industry (dataset \"%s\" has an industry column); expected a measure without industries",
                       name, dc->unknown, ds->id);
    if (defined_later(list, index, dc->unknown))
        return fail_at(ld, s,
                       "derived measure \"%s\" uses \"%s\", which is defined after it; move \"%s\" earlier in \"derived\"",
                       name, dc->unknown, dc->unknown);
    for (size_t d = 0; d < job->n_datasets; d++)
        cap += job->datasets[d].n_measures + 1;
    if (!(names = malloc(cap * sizeof *names)))
        return oom(ld);
    for (size_t d = 0; d < job->n_datasets; d++) {
        size_t k;
        const char **some;
        if (job->datasets[d].industry_col)
            continue;
        if (!(some = dataset_names(&job->datasets[d], &k))) {
            free(names);
            return oom(ld);
        }
        memcpy(names + n, some, k * sizeof *some);
        n += k;
        free(some);
    }
    for (size_t d = 0; d < ld->base_derived + index; d++)
        names[n++] = job->derived[d].name;
    suggestion(hint, sizeof hint, dc->unknown, names, n);
    free(names);
    return fail_at(ld, s, "derived measure \"%s\": no dataset provides measure \"%s\"%s", name,
                   dc->unknown, hint);
}

static ri_rc parse_job_derived_one(loader *ld, const config_setting_t *list, size_t index)
{
    ri_job *job = ld->job;
    size_t slot = ld->base_derived + index;
    ri_derived_cfg *d = &job->derived[slot];
    const config_setting_t *g = config_setting_get_elem(list, (unsigned)index);
    const config_setting_t *s;
    const ri_dataset_cfg *clash;
    job_derive_check dc;
    ri_error derr;
    char owner[64];

    snprintf(owner, sizeof owner, "derived measure #%zu", slot + 1);
    TRY(loc_of(ld, g, &d->loc));
    TRY(check_keys(ld, g, derived_keys));
    TRY(str_member(ld, g, "name", STR_REQUIRED | STR_NAME, owner, &d->name));
    if ((clash = provider(job, d->name)))
        return fail_at(ld, config_setting_get_member(g, "name"),
                       "derived measure \"%s\" has the name of a measure of dataset \"%s\"; choose another name",
                       d->name, clash->id);
    if (job_derived(job, d->name, slot))
        return fail_at(ld, config_setting_get_member(g, "name"),
                       "derived measure \"%s\" is defined twice", d->name);
    TRY(str_member(ld, g, "expr", STR_REQUIRED, owner, &d->expr));
    if ((s = config_setting_get_member(g, "additive"))) {
        if (config_setting_type(s) != CONFIG_TYPE_BOOL)
            return fail_at(ld, s, "\"additive\" must be a boolean (true or false); got %s",
                           type_name(s));
        d->additive = config_setting_get_bool(s) ? 1 : 0;
    }
    memset(&dc, 0, sizeof dc);
    dc.job = job;
    dc.limit = slot;
    s = config_setting_get_member(g, "expr");
    if (ri_derive_eval(d->expr, job_derive_lookup, &dc, 0, NULL, &derr) != RI_RC_OK)
        return dc.unknown[0] ? explain_unknown(ld, list, index, s, &dc)
                             : fail_at(ld, s, "derived measure \"%s\": %s", d->name, derr.msg);
    return RI_RC_OK;
}

static ri_rc parse_job_derived(loader *ld, const config_setting_t *root)
{
    const config_setting_t *s = config_setting_get_member(root, "derived");
    ri_job *job = ld->job;
    int n;

    if (!s)
        return RI_RC_OK;
    TRY(require_list(ld, s, "derived = ( { name = \"...\"; expr = \"a * b\"; } )"));
    n = config_setting_length(s);
    TRY(grow_array(ld, ld->base_derived, (size_t)n, sizeof *job->derived, (void **)&job->derived));
    for (int i = 0; i < n; i++) {
        job->n_derived = ld->base_derived + (size_t)i + 1;
        TRY(parse_job_derived_one(ld, s, (size_t)i));
    }
    return RI_RC_OK;
}

static int in_list(char *const *list, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], name) == 0)
            return 1;
    return 0;
}

/* Whether a dataset providing name lists it as additive (several may provide it: prefer_over). */
static int additive_in_datasets(const ri_job *job, const char *name)
{
    for (size_t d = 0; d < job->n_datasets; d++) {
        const ri_dataset_cfg *ds = &job->datasets[d];
        if (dataset_has(ds, name) && in_list(ds->additive, ds->n_additive, name))
            return 1;
    }
    return 0;
}

/* Lookups sum their aggregate measures over children: only totals may be summed, never ratios. */
static ri_rc check_lookup_aggregates(loader *ld, const config_setting_t *root)
{
    const ri_job *job = ld->job;
    const config_setting_t *geo = config_setting_get_member(root, "geography");
    const config_setting_t *list = geo ? config_setting_get_member(geo, "lookups") : NULL;

    for (size_t l = ld->base_lookups; l < job->n_lookups; l++) {
        const ri_lookup_cfg *lk = &job->lookups[l];
        const config_setting_t *s =
            lk->n_aggregate ? config_setting_get_member(config_setting_get_elem(list, (unsigned)(l - ld->base_lookups)),
                                                        "aggregate")
                            : NULL;
        for (size_t m = 0; m < lk->n_aggregate; m++) {
            const char *name = lk->aggregate[m];
            const config_setting_t *e = config_setting_get_elem(s, (unsigned)m);
            const ri_dataset_cfg *ds = provider(job, name);
            const ri_derived_cfg *d = job_derived(job, name, job->n_derived);

            if (ds && additive_in_datasets(job, name))
                continue;
            if (d && d->additive)
                continue;
            if (ds)
                return fail_at(ld, e,
                               "lookup \"%s\" sums \"%s\", which dataset \"%s\" does not list in \"additive\"; only totals can be summed over areas (add it to additive if it is a total)",
                               lk->id, name, ds->id);
            if (d)
                return fail_at(ld, e,
                               "lookup \"%s\" sums derived measure \"%s\", which is not additive; only totals can be summed over areas (set additive = true if it is a total)",
                               lk->id, name);
            {
                size_t n;
                const char **names = all_measures(job, &n);
                char hint[512];
                if (!names)
                    return oom(ld);
                suggestion(hint, sizeof hint, name, names, n);
                free(names);
                return fail_at(ld, e,
                               "lookup \"%s\" sums \"%s\", which no dataset or derived measure provides%s",
                               lk->id, name, hint);
            }
        }
    }
    return RI_RC_OK;
}

/* ------------------------------------------------------------ indicators */

static ri_rc parse_params(loader *ld, const config_setting_t *s, ri_indicator_cfg *ind)
{
    int n;

    TRY(require_group(ld, s, "params = { name = value; }"));
    n = config_setting_length(s);
    TRY(alloc_array(ld, (size_t)n, sizeof *ind->params, (void **)&ind->params));
    ind->n_params = (size_t)n;
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        ri_raw_param *p = &ind->params[i];

        TRY(loc_of(ld, e, &p->loc));
        TRY(copy(ld, config_setting_name(e), &p->name));
        switch (config_setting_type(e)) {
        case CONFIG_TYPE_INT:
        case CONFIG_TYPE_INT64:
            p->type = RI_RAW_INT;
            p->i = config_setting_get_int64(e);
            break;
        case CONFIG_TYPE_FLOAT:
            p->type = RI_RAW_FLOAT;
            p->d = config_setting_get_float(e);
            /* libconfig turns a literal beyond the double range (1e400) into infinity. */
            if (!isfinite(p->d))
                return fail_at(ld, e,
                               "parameter \"%s\" is beyond the range of a float; expected a finite number (at most about 1.8e308)",
                               p->name);
            break;
        case CONFIG_TYPE_BOOL:
            p->type = RI_RAW_BOOL;
            p->i = config_setting_get_bool(e) ? 1 : 0;
            break;
        case CONFIG_TYPE_STRING:
            p->type = RI_RAW_STRING;
            TRY(copy(ld, config_setting_get_string(e), &p->s));
            break;
        default:
            return fail_at(ld, e,
                           "parameter \"%s\" must be an integer, a float, a boolean or a string; got %s",
                           p->name, type_name(e));
        }
    }
    return RI_RC_OK;
}

/* "ID.OUTPUT" names an output of an indicator listed before this one (the engine checks OUTPUT). */
static int earlier_output(const ri_job *job, size_t index, const char *value)
{
    const char *dot = strchr(value, '.');
    if (!dot || !dot[1])
        return 0;
    for (size_t k = 0; k < index; k++)
        if (strlen(job->indicators[k].id) == (size_t)(dot - value) &&
            strncmp(job->indicators[k].id, value, (size_t)(dot - value)) == 0)
            return 1;
    return 0;
}

static ri_rc check_inputs(loader *ld, const config_setting_t *s, const ri_indicator_cfg *ind,
                          size_t index)
{
    size_t n;
    const char **names = all_measures(ld->job, &n);

    if (!names)
        return oom(ld);
    for (size_t i = 0; i < ind->n_inputs; i++) {
        size_t k;
        for (k = 0; k < n; k++)
            if (strcmp(names[k], ind->inputs[i].value) == 0)
                break;
        if (k == n && !earlier_output(ld->job, index, ind->inputs[i].value)) {
            char hint[512];
            suggestion(hint, sizeof hint, ind->inputs[i].value, names, n);
            free(names);
            return fail_at(ld, config_setting_get_elem(s, (unsigned)i),
                           "input \"%s\" of indicator \"%s\" names measure \"%s\", which no dataset or derived measure provides%s",
                           ind->inputs[i].name, ind->id, ind->inputs[i].value, hint);
        }
    }
    free(names);
    return RI_RC_OK;
}

static ri_rc parse_indicator(loader *ld, const config_setting_t *g, size_t index,
                             ri_indicator_cfg *ind)
{
    char owner[160];
    const config_setting_t *s;

    TRY(loc_of(ld, g, &ind->loc));
    TRY(check_keys(ld, g, indicator_keys));
    snprintf(owner, sizeof owner, "indicator #%zu", index + 1);
    TRY(str_member(ld, g, "id", STR_REQUIRED | STR_ID, owner, &ind->id));
    snprintf(owner, sizeof owner, "indicator \"%s\"", ind->id);
    if (!(s = config_setting_get_member(g, "plugin")))
        return fail_at(ld, g, "%s is missing required setting \"plugin\" (a plugin name such as \"gva_gap\")",
                       owner);
    if (config_setting_type(s) == CONFIG_TYPE_STRING) {
        const char *p = config_setting_get_string(s);
        /* A path here would let a job file load any shared object; directories belong in plugin_path. */
        if (strchr(p, '/') || strstr(p, ".."))
            return fail_at(ld, s,
                           "\"plugin\" must be a plugin name such as \"gva_gap\", not a path; got \"%s\"; put its directory in plugin_path",
                           p);
    }
    TRY(take_string(ld, s, STR_NAME, &ind->plugin));
    if ((s = config_setting_get_member(g, "inputs"))) {
        TRY(require_group(ld, s, "inputs = { role = \"measure\"; }"));
        TRY(parse_bindings(ld, s, 0, "input", &ind->inputs, &ind->n_inputs));
        TRY(check_inputs(ld, s, ind, index));
    }
    if ((s = config_setting_get_member(g, "params")))
        TRY(parse_params(ld, s, ind));
    TRY(str_member(ld, g, "benchmark", 0, owner, &ind->benchmark));
    TRY(str_member(ld, g, "group_type", 0, owner, &ind->group_type));
    {
        int sample = RI_SAMPLE_ALL;
        TRY(choice_member(ld, g, "sample", sample_names, &sample));
        ind->sample = (ri_sample)sample;
    }
    return RI_RC_OK;
}

static ri_rc parse_indicators(loader *ld, const config_setting_t *root)
{
    const config_setting_t *s = config_setting_get_member(root, "indicators");
    ri_job *job = ld->job;
    int n;

    if (!s)
        return RI_RC_OK;
    TRY(require_list(ld, s, "indicators = ( { id = \"...\"; plugin = \"...\"; } )"));
    n = config_setting_length(s);
    TRY(grow_array(ld, ld->base_indicators, (size_t)n, sizeof *job->indicators, (void **)&job->indicators));
    for (int k = 0; k < n; k++) {
        size_t i = ld->base_indicators + (size_t)k;
        const config_setting_t *g = config_setting_get_elem(s, (unsigned)k);
        job->n_indicators = i + 1;
        TRY(parse_indicator(ld, g, i, &job->indicators[i]));
        for (size_t j = 0; j < i; j++)
            if (strcmp(job->indicators[j].id, job->indicators[i].id) == 0)
                return fail_at(ld, config_setting_get_member(g, "id"),
                               "indicator id \"%s\" is already used by the indicator at %s:%d",
                               job->indicators[i].id, job->indicators[j].loc.file,
                               job->indicators[j].loc.line);
    }
    return RI_RC_OK;
}

/* A list of indicator ids, each of which must be configured. */
static ri_rc take_indicator_ids(loader *ld, const config_setting_t *s, char ***out, size_t *n)
{
    const ri_job *job = ld->job;

    TRY(take_distinct_strings(ld, s, STR_ID, out, n));
    if (*n == 0)
        return fail_at(ld, s, "\"indicators\" must list at least one indicator id; omit it to mean all");
    for (size_t i = 0; i < *n; i++) {
        size_t k;
        for (k = 0; k < job->n_indicators; k++)
            if (strcmp(job->indicators[k].id, (*out)[i]) == 0)
                break;
        if (k == job->n_indicators) {
            const char **ids = malloc((job->n_indicators + 1) * sizeof *ids);
            char hint[512];
            if (!ids)
                return oom(ld);
            for (k = 0; k < job->n_indicators; k++)
                ids[k] = job->indicators[k].id;
            suggestion(hint, sizeof hint, (*out)[i], ids, job->n_indicators);
            free(ids);
            return fail_at(ld, config_setting_get_elem(s, (unsigned)i),
                           "no indicator has id \"%s\"%s", (*out)[i],
                           job->n_indicators ? hint : " (the job defines no indicators)");
        }
    }
    return RI_RC_OK;
}

/* ------------------------------------------------------------ outputs and compare */

/* 1 when path ends with ext (lower case), ignoring ASCII case. */
static int ends_with(const char *path, const char *ext)
{
    size_t n = strlen(path), k = strlen(ext);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++) {
        char c = path[n - k + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != ext[i])
            return 0;
    }
    return 1;
}

static ri_rc parse_outputs(loader *ld, const config_setting_t *root)
{
    const config_setting_t *s = config_setting_get_member(root, "outputs");
    ri_job *job = ld->job;
    int n;

    if (!s)
        return RI_RC_OK;
    TRY(require_list(ld, s, "outputs = ( { file = \"...\"; } )"));
    n = config_setting_length(s);
    TRY(alloc_array(ld, (size_t)n, sizeof *job->outputs, (void **)&job->outputs));
    job->n_outputs = (size_t)n;
    for (int i = 0; i < n; i++) {
        const config_setting_t *g = config_setting_get_elem(s, (unsigned)i);
        const config_setting_t *e;
        ri_output_cfg *out = &job->outputs[i];
        char owner[64];
        int format;

        snprintf(owner, sizeof owner, "output #%d", i + 1);
        TRY(loc_of(ld, g, &out->loc));
        TRY(check_keys(ld, g, output_keys));
        TRY(str_member(ld, g, "file", STR_REQUIRED | STR_PATH, owner, &out->path));
        format = ends_with(out->path, ".json") ? RI_FORMAT_JSON
                 : ends_with(out->path, ".html") ? RI_FORMAT_HTML
                 : ri_xlsx_is_workbook(out->path) ? RI_FORMAT_XLSX : RI_FORMAT_CSV;
        TRY(choice_member(ld, g, "format", format_names, &format));
        out->format = (ri_format)format;
        format = 0;
        TRY(choice_member(ld, g, "shape", shape_names, &format));
        out->wide = format == 1;
        if (out->wide && out->format != RI_FORMAT_CSV)
            return fail_at(ld, config_setting_get_member(g, "shape"),
                           "shape = \"wide\" is for CSV outputs (this one is %s); remove it or write CSV",
                           out->format == RI_FORMAT_JSON ? "JSON" : "a workbook, wide already");
        if ((e = config_setting_get_member(g, "indicators")))
            TRY(take_indicator_ids(ld, e, &out->indicators, &out->n_indicators));
        if ((e = config_setting_get_member(g, "area_types")))
            TRY(take_distinct_strings(ld, e, 0, &out->area_types, &out->n_area_types));
        if ((e = config_setting_get_member(g, "members_of")))
            TRY(take_distinct_strings(ld, e, 0, &out->members_of, &out->n_members_of));
        if (out->format == RI_FORMAT_HTML && (out->n_area_types || out->n_members_of))
            return fail_at(ld, config_setting_get_member(g, out->n_area_types ? "area_types" : "members_of"),
                           "an HTML output shows the job's compared areas (compare.area_type); area_types and members_of are for tables");
        for (int j = 0; j < i; j++)
            if (strcmp(job->outputs[j].path, out->path) == 0)
                return fail_at(ld, config_setting_get_member(g, "file"),
                               "file \"%s\" is already written by the output at %s:%d",
                               out->path, job->outputs[j].loc.file, job->outputs[j].loc.line);
    }
    return RI_RC_OK;
}

/* groups = ( { id = "northern_peers"; members = [ "Lancashire", "E37000007", ... ]; } ); */
static ri_rc parse_groups(loader *ld, const config_setting_t *root)
{
    const config_setting_t *s = config_setting_get_member(root, "groups");
    ri_job *job = ld->job;
    size_t base = job->n_groups;
    int n;

    if (!s)
        return RI_RC_OK;
    TRY(require_list(ld, s, "groups = ( { id = \"...\"; members = [ \"...\", ... ]; } )"));
    n = config_setting_length(s);
    TRY(grow_array(ld, base, (size_t)n, sizeof *job->groups, (void **)&job->groups));
    for (int k = 0; k < n; k++) {
        size_t i = base + (size_t)k;
        const config_setting_t *g = config_setting_get_elem(s, (unsigned)k), *m;
        ri_group_cfg *gr = &job->groups[i];
        char owner[160];
        job->n_groups = i + 1;
        TRY(loc_of(ld, g, &gr->loc));
        TRY(check_keys(ld, g, group_keys));
        snprintf(owner, sizeof owner, "group #%zu", i + 1);
        TRY(str_member(ld, g, "id", STR_REQUIRED | STR_ID, owner, &gr->id));
        for (size_t j = 0; j < i; j++)
            if (strcmp(job->groups[j].id, gr->id) == 0)
                return fail_at(ld, config_setting_get_member(g, "id"), "group id \"%s\" is already used by the group at %s:%d",
                               gr->id, job->groups[j].loc.file, job->groups[j].loc.line);
        if (!(m = config_setting_get_member(g, "members")))
            return fail_at(ld, g, "group \"%s\" is missing required setting \"members\" (an array of area codes or names)",
                           gr->id);
        TRY(take_distinct_strings(ld, m, 0, &gr->members, &gr->n_members));
        if (gr->n_members < 2)
            return fail_at(ld, m, "group \"%s\" must list at least two areas to compare", gr->id);
    }
    return RI_RC_OK;
}

static ri_rc parse_compare(loader *ld, const config_setting_t *root)
{
    const config_setting_t *s = config_setting_get_member(root, "compare");
    ri_compare_cfg *cmp = &ld->job->compare;
    const config_setting_t *e;

    if (s) {
        TRY(require_group(ld, s, "compare = { area_type = \"LEP\"; }"));
        TRY(check_keys(ld, s, compare_keys));
        TRY(str_member(ld, s, "area_type", 0, "compare", &cmp->area_type));
        TRY(str_member(ld, s, "period", 0, "compare", &cmp->period));
        if ((e = config_setting_get_member(s, "indicators")))
            TRY(take_indicator_ids(ld, e, &cmp->indicators, &cmp->n_indicators));
    }
    return cmp->area_type ? RI_RC_OK : copy(ld, "LEP", &cmp->area_type);
}

/* ------------------------------------------------------------ run */

/* The datasets required_periods applies to: each must be defined. */
static ri_rc take_required_datasets(loader *ld, const config_setting_t *s, ri_run_cfg *run)
{
    const ri_job *job = ld->job;

    TRY(take_distinct_strings(ld, s, STR_ID, &run->required_datasets, &run->n_required_datasets));
    if (run->n_required_datasets == 0)
        return fail_at(ld, s, "\"required_datasets\" must list at least one dataset id; omit it to mean all");
    for (size_t i = 0; i < run->n_required_datasets; i++) {
        size_t k;
        for (k = 0; k < job->n_datasets; k++)
            if (strcmp(job->datasets[k].id, run->required_datasets[i]) == 0)
                break;
        if (k == job->n_datasets) {
            const char **ids = malloc((job->n_datasets + 1) * sizeof *ids);
            char hint[512];
            if (!ids)
                return oom(ld);
            for (k = 0; k < job->n_datasets; k++)
                ids[k] = job->datasets[k].id;
            suggestion(hint, sizeof hint, run->required_datasets[i], ids, job->n_datasets);
            free(ids);
            return fail_at(ld, config_setting_get_elem(s, (unsigned)i),
                           "\"required_datasets\" names dataset \"%s\", which is not defined%s",
                           run->required_datasets[i], hint);
        }
    }
    return RI_RC_OK;
}

/* A run file must not be an output: the run would replace one with the other. */
static ri_rc check_run_file(loader *ld, const config_setting_t *g, const char *key, const char *path)
{
    const ri_job *job = ld->job;
    for (size_t i = 0; path && i < job->n_outputs; i++)
        if (strcmp(job->outputs[i].path, path) == 0)
            return fail_at(ld, config_setting_get_member(g, key),
                           "\"%s\" names \"%s\", which the output at %s:%d writes; expected a file of its own",
                           key, path, job->outputs[i].loc.file, job->outputs[i].loc.line);
    return RI_RC_OK;
}

static ri_rc parse_run(loader *ld, const config_setting_t *root)
{
    const config_setting_t *g = config_setting_get_member(root, "run");
    ri_run_cfg *run = &ld->job->run;
    const config_setting_t *s;

    if (!g)
        return RI_RC_OK;
    TRY(require_group(ld, g, "run = { skip_if_unchanged = true; }"));
    TRY(loc_of(ld, g, &run->loc));
    TRY(check_keys(ld, g, run_keys));
    TRY(str_member(ld, g, "lock_file", STR_PATH, "run", &run->lock_file));
    TRY(str_member(ld, g, "manifest", STR_PATH, "run", &run->manifest));
    TRY(check_run_file(ld, g, "lock_file", run->lock_file));
    TRY(check_run_file(ld, g, "manifest", run->manifest));
    if (run->lock_file && run->manifest && strcmp(run->lock_file, run->manifest) == 0)
        return fail_at(ld, config_setting_get_member(g, "manifest"),
                       "\"manifest\" and \"lock_file\" name the same file; expected two files");
    if ((s = config_setting_get_member(g, "skip_if_unchanged"))) {
        if (config_setting_type(s) != CONFIG_TYPE_BOOL)
            return fail_at(ld, s, "\"skip_if_unchanged\" must be a boolean (true or false); got %s",
                           type_name(s));
        run->skip_if_unchanged = config_setting_get_bool(s) ? 1 : 0;
    }
    TRY(str_member(ld, g, "period", 0, "run", &run->period));
    if ((s = config_setting_get_member(g, "required_periods"))) {
        TRY(take_distinct_strings(ld, s, 0, &run->required_periods, &run->n_required_periods));
        if (run->n_required_periods == 0)
            return fail_at(ld, s, "\"required_periods\" must list at least one period; omit it to require none");
    }
    if ((s = config_setting_get_member(g, "required_datasets"))) {
        if (!run->n_required_periods)
            return fail_at(ld, s,
                           "\"required_datasets\" has no effect without \"required_periods\"; add required_periods = [ \"2019\" ] or remove it");
        TRY(take_required_datasets(ld, s, run));
    }
    return RI_RC_OK;
}

/* ------------------------------------------------------------ cross references */

static long dataset_index(const ri_job *job, const char *id)
{
    for (size_t i = 0; i < job->n_datasets; i++)
        if (strcmp(job->datasets[i].id, id) == 0)
            return (long)i;
    return -1;
}

/*
 * A dataset may only win over datasets that do not (even indirectly) win
 * over it; otherwise no dataset wins a shared measure. Datasets are few, so
 * a transitive closure is simpler than a graph search.
 */
static ri_rc check_prefer_over(loader *ld, const config_setting_t *list)
{
    const ri_job *job = ld->job;
    size_t n = job->n_datasets;
    unsigned char *reach = calloc(n * n, 1);

    if (!reach)
        return oom(ld);
    /* Datasets of earlier job files were checked with their own file; their preferences still
       count towards cycles. */
    for (size_t d = 0; d < n; d++) {
        const ri_dataset_cfg *ds = &job->datasets[d];
        const config_setting_t *s = d < ld->base_datasets ? NULL
            : config_setting_get_member(config_setting_get_elem(list, (unsigned)(d - ld->base_datasets)),
                                        "prefer_over");
        for (size_t i = 0; i < ds->n_prefer_over; i++) {
            long other = dataset_index(job, ds->prefer_over[i]);
            if (other < 0) {
                const char **ids = malloc((n + 1) * sizeof *ids);
                char hint[512];
                free(reach);
                if (!ids)
                    return oom(ld);
                for (size_t k = 0; k < n; k++)
                    ids[k] = job->datasets[k].id;
                suggestion(hint, sizeof hint, ds->prefer_over[i], ids, n);
                free(ids);
                return fail_at(ld, config_setting_get_elem(s, (unsigned)i),
                               "\"prefer_over\" names dataset \"%s\", which is not defined%s",
                               ds->prefer_over[i], hint);
            }
            reach[d * n + (size_t)other] = 1;
        }
    }
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < n; i++)
            if (reach[i * n + k])
                for (size_t j = 0; j < n; j++)
                    if (reach[k * n + j])
                        reach[i * n + j] = 1;
    for (size_t d = ld->base_datasets; d < n; d++) {
        const ri_dataset_cfg *ds = &job->datasets[d];
        const config_setting_t *s =
            config_setting_get_member(config_setting_get_elem(list, (unsigned)(d - ld->base_datasets)),
                                      "prefer_over");
        for (size_t i = 0; i < ds->n_prefer_over; i++) {
            size_t other = (size_t)dataset_index(job, ds->prefer_over[i]);
            if (reach[other * n + d]) {
                free(reach);
                return fail_at(ld, config_setting_get_elem(s, (unsigned)i),
                               "\"prefer_over\" makes a cycle: dataset \"%s\" wins over \"%s\", which wins over \"%s\" (directly or through other datasets); remove one of the preferences",
                               ds->id, ds->prefer_over[i], ds->id);
            }
        }
    }
    free(reach);
    return RI_RC_OK;
}

/* ------------------------------------------------------------ the job */

static ri_rc parse_root(loader *ld, const config_setting_t *root)
{
    const config_setting_t *s;
    ri_job *job = ld->job;

    TRY(check_keys(ld, root, root_keys));
    if ((s = config_setting_get_member(root, "version"))) {
        if (!is_integer(s))
            return fail_at(ld, s, "\"version\" must be an integer (1); got %s", type_name(s));
        if (config_setting_get_int64(s) != 1)
            return fail_at(ld, s, "job file version %lld is not supported; this regind reads version 1",
                           config_setting_get_int64(s));
    }
    if ((s = config_setting_get_member(root, "plugin_path")))
        TRY(add_strings(ld, s, STR_PATH, &job->plugin_path, &job->n_plugin_path));
    if ((s = config_setting_get_member(root, "missing")))
        TRY(add_strings(ld, s, STR_EMPTY_OK, &job->missing, &job->n_missing));
    if (ld->later)
        for (const char *const *key = first_file_keys; *key; key++)
            if ((s = config_setting_get_member(root, *key)))
                return fail_at(ld, s, "\"%s\" belongs in the first job file (%s); a later -c file adds datasets, derived measures, geography and indicators",
                               *key, job->path);
    TRY(str_member(ld, root, "breakdown", STR_NAME, "the job", &job->breakdown));
    if ((s = config_setting_get_member(root, "max_panel_values"))) {
        if (!is_integer(s) || config_setting_get_int64(s) < 1)
            return fail_at(ld, s, "\"max_panel_values\" must be an integer >= 1 (values in the joined panel); got %s",
                           is_integer(s) ? "a number below 1" : type_name(s));
        job->max_panel_values = (unsigned long long)config_setting_get_int64(s);
    }
    TRY(parse_datasets(ld, root));
    TRY(check_prefer_over(ld, config_setting_get_member(root, "datasets")));
    TRY(parse_geography(ld, root));
    /* Lookups may sum derived measures, which use the datasets' measures: check in that order. */
    TRY(parse_job_derived(ld, root));
    TRY(check_lookup_aggregates(ld, root));
    TRY(parse_indicators(ld, root));
    TRY(parse_groups(ld, root));
    if (ld->later)
        return RI_RC_OK;
    TRY(parse_outputs(ld, root));
    TRY(parse_run(ld, root));
    return parse_compare(ld, root);
}

/* ------------------------------------------------------------ reading the text */

/*
 * Job files are written by people; one this big is a mistake or an attack,
 * and libconfig holds the whole parse tree in memory. The limit covers the
 * job file together with everything it includes.
 */
#define RI_JOB_MAX_BYTES ((size_t)16 << 20)

/* libconfig's own limit (MAX_INCLUDE_DEPTH), checked here first so the message can say why. */
#define RI_INCLUDE_MAX_DEPTH 10

static const char *kind_of(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO (named pipe)";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a regular file";
}

enum { SLURP_OK = 0, SLURP_ERRNO = 1, SLURP_SPECIAL = 2, SLURP_TOO_LARGE = 3 };

/*
 * The whole of a regular file, NUL-terminated, in *out. Opened without
 * blocking and checked on the open descriptor, so a FIFO swapped in after
 * a stat() cannot hang the reader. SLURP_ERRNO leaves errno set;
 * SLURP_SPECIAL sets *mode.
 */
static int slurp(const char *path, size_t budget, char **out, size_t *len, mode_t *mode)
{
    struct stat st;
    char *buf;
    size_t got = 0;
    int fd, e;

    *out = NULL;
    fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return SLURP_ERRNO;
    if (fstat(fd, &st) != 0) {
        e = errno;
        close(fd);
        errno = e;
        return SLURP_ERRNO;
    }
    if (!S_ISREG(st.st_mode)) {
        *mode = st.st_mode;
        close(fd);
        return SLURP_SPECIAL;
    }
    if ((uintmax_t)st.st_size > (uintmax_t)budget) {
        close(fd);
        return SLURP_TOO_LARGE;
    }
    if (!(buf = malloc((size_t)st.st_size + 1))) {
        close(fd);
        errno = ENOMEM;
        return SLURP_ERRNO;
    }
    /* A file that grows while it is read is cut at the size it had. */
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            e = errno;
            free(buf);
            close(fd);
            errno = e;
            return SLURP_ERRNO;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    buf[got] = '\0';
    *out = buf;
    *len = got;
    return SLURP_OK;
}

/* libconfig reads C strings: a NUL byte would silently end the job there. */
static ri_rc refuse_nul(loader *ld, const char *name, const char *text, size_t len)
{
    const char *nul = memchr(text, '\0', len);
    int line = 1;

    if (!nul)
        return RI_RC_OK;
    for (const char *p = text; p < nul; p++)
        line += *p == '\n';
    return ri_fail(ld->err, RI_RC_USAGE, "%s:%d: NUL byte; expected a text job file", name, line);
}

static ri_rc scan_includes(loader *ld, const char *text, const char *name, int depth,
                           size_t *total);

static int name_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '*' || c == '.';
}

/*
 * libconfig 1.5 wraps integer literals without a word: one without the L
 * suffix is kept in 32 bits (skip_rows = 4294967296 reads as 0) and one
 * beyond 64 bits becomes -1. Integer literals are found with libconfig's
 * lexical rules (comments, strings and setting names skipped) and checked
 * here; floats that overflow are checked after parsing.
 */
static ri_rc check_integers(loader *ld, const char *text, const char *name)
{
    const char *p = text;
    int line = 1;

    while (*p) {
        const char *start = p;
        unsigned long long u = 0;
        long long v = 0;
        char *end;
        int hex, wide, range;

        if (*p == '\n') {
            line++;
            p++;
        } else if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
            while (*p && *p != '\n')
                p++;
        } else if (p[0] == '/' && p[1] == '*') {
            for (p += 2; *p && !(p[0] == '*' && p[1] == '/'); p++)
                line += *p == '\n';
            p += *p ? 2 : 0;
        } else if (*p == '"') {
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1])
                    p++;
                line += *p == '\n';
            }
            p += *p ? 1 : 0;
        } else if (name_char(*p) && !(*p >= '0' && *p <= '9') && *p != '-') {
            while (name_char(*p))
                p++;
        } else if ((*p >= '0' && *p <= '9') || ((*p == '-' || *p == '+') && p[1] >= '0' && p[1] <= '9')) {
            hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
            errno = 0;
            if (hex)
                u = strtoull(p, &end, 16);
            else
                v = strtoll(p, &end, 10);
            range = errno == ERANGE;
            wide = *end == 'L';
            p = end;
            while (name_char(*p))
                p++;
            /* A float (1.5, 1e400) goes on with '.', 'e' or 'E'. */
            if (*end == '.' || (!hex && (*end == 'e' || *end == 'E')))
                continue;
            if (range)
                return ri_fail(ld->err, RI_RC_USAGE,
                               "%s:%d: integer %.*s is beyond 64 bits; expected at most %s",
                               name, line, (int)(end - start > 40 ? 40 : end - start), start,
                               hex ? "0xFFFFFFFFFFFFFFFFL" : "9223372036854775807L in size");
            if (!wide && (hex ? u > 0xFFFFFFFFull : (v < INT_MIN || v > INT_MAX)))
                return ri_fail(ld->err, RI_RC_USAGE,
                               "%s:%d: integer %.*s does not fit in 32 bits, and libconfig would silently wrap it; expected a smaller number, or %.*sL for a 64-bit integer",
                               name, line, (int)(end - start), start, (int)(end - start), start);
        } else {
            p++;
        }
    }
    return RI_RC_OK;
}

/*
 * One @include found by scan_includes: refuse what libconfig would block on
 * (a FIFO), die on (a directory: flex exits the process) or read forever (a
 * device), then look inside the file for its own includes.
 */
static ri_rc check_include(loader *ld, const char *name, int line, const char *inc, size_t inc_len,
                           int depth, size_t *total)
{
    char *file = malloc(inc_len + 1), *path = NULL, *shown = NULL, *text = NULL;
    mode_t mode = 0;
    size_t len;
    ri_rc rc = RI_RC_OK;
    int got;

    if (!file)
        return oom(ld);
    memcpy(file, inc, inc_len);
    file[inc_len] = '\0';
    if (memchr(file, '\\', inc_len))
        rc = ri_fail(ld->err, RI_RC_USAGE,
                     "%s:%d: @include \"%s\": backslashes are not supported in @include names; expected a plain file name",
                     name, line, file);
    else if (file[0] == '/')
        rc = ri_fail(ld->err, RI_RC_USAGE,
                     "%s:%d: @include \"%s\": absolute names are not supported; expected a name relative to the job file's directory",
                     name, line, file);
    else if (depth > RI_INCLUDE_MAX_DEPTH)
        rc = ri_fail(ld->err, RI_RC_USAGE,
                     "%s:%d: @include \"%s\" nests deeper than %d files; expected no file to include itself, directly or through others",
                     name, line, file, RI_INCLUDE_MAX_DEPTH);
    if (rc != RI_RC_OK) {
        free(file);
        return rc;
    }
    /* libconfig opens include_dir "/" name; the loader sets include_dir to the job's directory. */
    path = malloc(strlen(ld->job->dir) + inc_len + 2);
    shown = source_path(ld, file);
    if (!path || !shown) {
        free(file);
        free(path);
        free(shown);
        return oom(ld);
    }
    sprintf(path, "%s/%s", ld->job->dir, file);
    got = slurp(path, RI_JOB_MAX_BYTES - *total, &text, &len, &mode);
    if (got == SLURP_TOO_LARGE)
        rc = ri_fail(ld->err, RI_RC_USAGE,
                     "%s:%d: @include \"%s\" takes the job past %zu MiB of text; expected a smaller job (does a file include another many times?)",
                     name, line, file, RI_JOB_MAX_BYTES >> 20);
    else if (got == SLURP_SPECIAL)
        rc = ri_fail(ld->err, RI_RC_USAGE,
                     "%s:%d: @include \"%s\": %s is %s; expected a regular file holding part of the job",
                     name, line, file, shown, kind_of(mode));
    /* A name that cannot be opened is left to libconfig, which reports it. */
    if (got == SLURP_OK) {
        *total += len;
        rc = refuse_nul(ld, shown, text, len);
        if (rc == RI_RC_OK)
            rc = scan_includes(ld, text, shown, depth, total);
        /* Part of the job whatever it sets (only missing, say): in the manifest and fingerprint. */
        if (rc == RI_RC_OK) {
            const char *kept;
            char *copy = strdup(shown);
            rc = keep_file(ld, copy, &kept);
        }
    }
    free(text);
    free(path);
    free(shown);
    free(file);
    return rc;
}

/*
 * Every "@include" line of text (libconfig's rule: at the start of a line,
 * after blanks), checked before libconfig opens anything. Lines inside
 * comments or strings are checked too, which can only refuse more. The
 * text's integer literals are checked on the way.
 */
static ri_rc scan_includes(loader *ld, const char *text, const char *name, int depth,
                           size_t *total)
{
    const char *p = text;
    int line = 1;

    TRY(check_integers(ld, text, name));
    while (*p) {
        const char *q = p, *end;

        while (*q == ' ' || *q == '\t')
            q++;
        if (strncmp(q, "@include", 8) == 0 && (q[8] == ' ' || q[8] == '\t')) {
            q += 8;
            while (*q == ' ' || *q == '\t')
                q++;
            if (*q == '"' && !(end = strchr(q + 1, '"')))
                /* libconfig would read to the end and echo stray bytes to stdout. */
                return ri_fail(ld->err, RI_RC_USAGE,
                               "%s:%d: @include name has no closing '\"'; expected @include \"file\"",
                               name, line);
            if (*q == '"') {
                int at = line;
                TRY(check_include(ld, name, at, q + 1, (size_t)(end - q - 1), depth + 1, total));
                for (; q < end; q++)
                    line += *q == '\n';
            }
        }
        if (!(end = strchr(q, '\n')))
            break;
        p = end + 1;
        line++;
    }
    return RI_RC_OK;
}

static ri_rc read_config(loader *ld, config_t *cf, const char *text)
{
    const char *msg, *hint = "";
    char *file;

    if (config_read_string(cf, text))
        return RI_RC_OK;
    msg = config_error_text(cf) ? config_error_text(cf) : "parse error";
    if (strstr(msg, "include"))
        hint = "; @include names are relative to the job file's directory";
    else if (strstr(msg, "syntax"))
        hint = "; strings need double quotes and settings end with ';' (see regind.cfg(5))";
    file = source_path(ld, config_error_file(cf));
    ri_fail(ld->err, RI_RC_USAGE, "%s:%d: %s%s", file ? file : ld->path ? ld->path : ld->job->path,
            config_error_line(cf), msg, hint);
    free(file);
    return RI_RC_USAGE;
}

/* The one path from job text to a validated job; job->path and job->dir are set. */
static ri_rc load_text(ri_job *job, const char *text, ri_job **out, ri_error *err)
{
    loader ld;
    config_t cf;
    size_t total = strlen(text);
    ri_rc rc;

    memset(&ld, 0, sizeof ld);
    ld.job = job;
    ld.err = err;
    /* Editors on Windows start UTF-8 files with a byte-order mark, which libconfig rejects. */
    if (strncmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3;
    rc = scan_includes(&ld, text, job->path, 0, &total);
    if (rc == RI_RC_OK) {
        config_init(&cf);
        config_set_include_dir(&cf, job->dir);
        rc = read_config(&ld, &cf, text);
        if (rc == RI_RC_OK)
            rc = parse_root(&ld, config_root_setting(&cf));
        config_destroy(&cf);
    }
    if (rc != RI_RC_OK) {
        ri_job_free(job);
        return rc;
    }
    *out = job;
    return RI_RC_OK;
}

/* The text of the job file at path (NUL-refused, size-bounded); caller frees. */
static ri_rc read_job_text(loader *ld, const char *path, char **text)
{
    mode_t mode = 0;
    size_t len;
    ri_rc rc;
    int got;

    if ((got = slurp(path, RI_JOB_MAX_BYTES, text, &len, &mode)) != SLURP_OK) {
        if (got == SLURP_ERRNO)
            return ri_fail(ld->err, RI_RC_USAGE, "%s: cannot read the job file: %s", path, strerror(errno));
        if (got == SLURP_TOO_LARGE)
            return ri_fail(ld->err, RI_RC_USAGE, "%s: is larger than %zu MiB; expected a job file", path,
                           RI_JOB_MAX_BYTES >> 20);
        if (S_ISDIR(mode))
            return ri_fail(ld->err, RI_RC_USAGE, "%s: is a directory; expected a job file", path);
        return ri_fail(ld->err, RI_RC_USAGE, "%s: is not a regular file but %s; expected a job file", path,
                       kind_of(mode));
    }
    if ((rc = refuse_nul(ld, path, *text, len)) != RI_RC_OK) {
        free(*text);
        *text = NULL;
    }
    return rc;
}

ri_rc ri_job_load(const char *path, ri_job **out, ri_error *err)
{
    loader ld;
    ri_job *job;
    char *text;
    ri_rc rc;

    *out = NULL;
    if (!path || !*path)
        return ri_fail(err, RI_RC_USAGE, "no job file given; expected the path of a job file");
    if (!(job = calloc(1, sizeof *job)))
        return ri_fail(err, RI_RC_DATA, "%s: out of memory while reading the job file", path);
    memset(&ld, 0, sizeof ld);
    ld.job = job;
    ld.err = err;
    if (!(job->path = strdup(path)) || !(job->dir = dir_of(path))) {
        ri_job_free(job);
        return ri_fail(err, RI_RC_DATA, "%s: out of memory while reading the job file", path);
    }
    if ((rc = read_job_text(&ld, path, &text)) != RI_RC_OK) {
        ri_job_free(job);
        return rc;
    }
    rc = load_text(job, text, out, err);
    free(text);
    return rc;
}

/* Add the datasets, derived measures, geography and indicators of the job file at path. */
static ri_rc add_job_file(ri_job *job, const char *path, ri_error *err)
{
    loader ld;
    config_t cf;
    char *text = NULL, *first_dir = job->dir, *dir = dir_of(path);
    const char *body;
    size_t total;
    ri_rc rc;

    memset(&ld, 0, sizeof ld);
    ld.job = job;
    ld.err = err;
    ld.later = 1;
    ld.path = path;
    ld.base_datasets = job->n_datasets;
    ld.base_derived = job->n_derived;
    ld.base_lookups = job->n_lookups;
    ld.base_aggregates = job->n_aggregates;
    ld.base_indicators = job->n_indicators;
    if (!dir)
        return ri_fail(err, RI_RC_DATA, "%s: out of memory while reading the job file", path);
    if ((rc = read_job_text(&ld, path, &text)) != RI_RC_OK) {
        free(dir);
        return rc;
    }
    /* Paths in a file resolve against that file's directory, like the first one's. */
    job->dir = dir;
    body = strncmp(text, "\xEF\xBB\xBF", 3) == 0 ? text + 3 : text;
    total = strlen(body);
    rc = scan_includes(&ld, body, path, 0, &total);
    if (rc == RI_RC_OK) {
        config_init(&cf);
        config_set_include_dir(&cf, dir);
        rc = read_config(&ld, &cf, body);
        /* Recorded like an @include, for the run manifest and its fingerprint, even when the
           file sets nothing that keeps a location (only missing, say). */
        if (rc == RI_RC_OK) {
            const char *kept;
            rc = keep_file(&ld, strdup(path), &kept);
        }
        if (rc == RI_RC_OK)
            rc = parse_root(&ld, config_root_setting(&cf));
        config_destroy(&cf);
    }
    job->dir = first_dir;
    free(dir);
    free(text);
    return rc;
}

ri_rc ri_job_load_files(const char *const *paths, size_t n, ri_job **out, ri_error *err)
{
    ri_rc rc = ri_job_load(n ? paths[0] : NULL, out, err);
    for (size_t k = 1; k < n && rc == RI_RC_OK; k++)
        rc = add_job_file(*out, paths[k], err);
    if (rc != RI_RC_OK) {
        ri_job_free(*out);
        *out = NULL;
    }
    return rc;
}

ri_rc ri_job_load_string(const char *text, const char *dir, ri_job **out, ri_error *err)
{
    ri_job *job;

    *out = NULL;
    if (!(job = calloc(1, sizeof *job)) || !(job->path = strdup("(job text)")) ||
        !(job->dir = strdup(dir && *dir ? dir : "."))) {
        ri_job_free(job);
        return ri_fail(err, RI_RC_DATA, "out of memory while reading the job text");
    }
    if (strlen(text) > RI_JOB_MAX_BYTES) {
        ri_job_free(job);
        return ri_fail(err, RI_RC_USAGE, "job text is larger than %zu MiB; expected a job file",
                       RI_JOB_MAX_BYTES >> 20);
    }
    return load_text(job, text, out, err);
}

/* ------------------------------------------------------------ freeing */

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void free_filters(ri_filter *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(f[i].column);
        free_strings(f[i].values, f[i].n_values);
    }
    free(f);
}

static void free_bindings(ri_binding *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(b[i].name);
        free(b[i].value);
    }
    free(b);
}

void ri_job_free(ri_job *job)
{
    if (!job)
        return;
    for (size_t i = 0; i < job->n_datasets; i++) {
        ri_dataset_cfg *ds = &job->datasets[i];
        free(ds->id);
        free(ds->path);
        free(ds->area_col);
        free(ds->area_name_col);
        free(ds->area_type_col);
        free(ds->period_col);
        free(ds->industry_col);
        free_filters(ds->filters, ds->n_filters);
        free_bindings(ds->measures, ds->n_measures);
        free(ds->measure);
        free(ds->period_prefix);
        free(ds->sheet);
        free_strings(ds->additive, ds->n_additive);
        free_strings(ds->missing, ds->n_missing);
        free_strings(ds->prefer_over, ds->n_prefer_over);
    }
    free(job->datasets);
    for (size_t i = 0; i < job->n_derived; i++) {
        free(job->derived[i].name);
        free(job->derived[i].expr);
    }
    free(job->derived);
    for (size_t i = 0; i < job->n_lookups; i++) {
        ri_lookup_cfg *lk = &job->lookups[i];
        free(lk->id);
        free(lk->path);
        free(lk->child_col);
        free(lk->parent_col);
        free(lk->parent_name_col);
        free(lk->parent_type);
        free_filters(lk->filters, lk->n_filters);
        free_strings(lk->aggregate, lk->n_aggregate);
    }
    free(job->lookups);
    for (size_t i = 0; i < job->n_aggregates; i++) {
        ri_aggregate_cfg *ag = &job->aggregates[i];
        free(ag->code);
        free(ag->name);
        free(ag->type);
        free(ag->members_type);
        free(ag->members_prefix);
        free_strings(ag->members, ag->n_members);
    }
    free(job->aggregates);
    for (size_t i = 0; i < job->n_indicators; i++) {
        ri_indicator_cfg *ind = &job->indicators[i];
        free(ind->id);
        free(ind->plugin);
        free_bindings(ind->inputs, ind->n_inputs);
        for (size_t k = 0; k < ind->n_params; k++) {
            free(ind->params[k].name);
            free(ind->params[k].s);
        }
        free(ind->params);
        free(ind->benchmark);
        free(ind->group_type);
    }
    free(job->indicators);
    for (size_t i = 0; i < job->n_groups; i++) {
        free(job->groups[i].id);
        free_strings(job->groups[i].members, job->groups[i].n_members);
    }
    free(job->groups);
    for (size_t i = 0; i < job->n_outputs; i++) {
        free(job->outputs[i].path);
        free_strings(job->outputs[i].indicators, job->outputs[i].n_indicators);
        free_strings(job->outputs[i].area_types, job->outputs[i].n_area_types);
        free_strings(job->outputs[i].members_of, job->outputs[i].n_members_of);
    }
    free(job->outputs);
    free(job->compare.area_type);
    free_strings(job->compare.indicators, job->compare.n_indicators);
    free(job->compare.period);
    free(job->run.lock_file);
    free(job->run.manifest);
    free(job->run.period);
    free_strings(job->run.required_periods, job->run.n_required_periods);
    free_strings(job->run.required_datasets, job->run.n_required_datasets);
    free_strings(job->plugin_path, job->n_plugin_path);
    free_strings(job->missing, job->n_missing);
    free_strings(job->files, job->n_files);
    free_strings(job->overrides, job->n_overrides);
    free(job->breakdown);
    free(job->path);
    free(job->dir);
    free(job);
}

const char *ri_loc_file(const ri_loc *loc)
{
    return loc->file ? loc->file : "config";
}

/* ------------------------------------------------------------ overrides */

/* VALUE of --param typed as a job file would type it: integer, float, true/false, "text" or text. */
static ri_rc override_value(const char *opt, const char *v, ri_raw_param *p, ri_error *err)
{
    size_t len = strlen(v);
    char *end;

    if (!*v)
        return ri_fail(err, RI_RC_USAGE, "%s: no value after '='; expected ID.NAME=VALUE", opt);
    errno = 0;
    p->i = strtoll(v, &end, 10);
    if (!*end && errno == 0) {
        p->type = RI_RAW_INT;
        return RI_RC_OK;
    }
    p->d = strtod(v, &end);
    if (!*end && (v[0] == '-' || v[0] == '+' || v[0] == '.' || (v[0] >= '0' && v[0] <= '9'))) {
        if (!isfinite(p->d))
            return ri_fail(err, RI_RC_USAGE,
                           "%s: \"%s\" is beyond the range of a float; expected a finite number (at most about 1.8e308)",
                           opt, v);
        p->type = RI_RAW_FLOAT;
        return RI_RC_OK;
    }
    if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0) {
        p->type = RI_RAW_BOOL;
        p->i = v[0] == 't';
        return RI_RC_OK;
    }
    p->type = RI_RAW_STRING;
    if (len >= 2 && v[0] == '"' && v[len - 1] == '"')
        p->s = strndup(v + 1, len - 2);
    else
        p->s = strdup(v);
    return p->s ? RI_RC_OK : ri_oom(err);
}

ri_rc ri_job_set_param(ri_job *job, const char *spec, ri_error *err)
{
    const char *dot = strchr(spec, '.'), *eq = strchr(spec, '=');
    char *opt, id[256], name[256], **texts;
    ri_indicator_cfg *ind = NULL;
    ri_raw_param p;
    const char **ids;
    ri_rc rc;

    /* The option's whole text names it in messages and, kept with the job, in the run's
       fingerprint, so that another value is another computation. */
    if (!(texts = realloc(job->overrides, (job->n_overrides + 1) * sizeof *texts)))
        return ri_oom(err);
    job->overrides = texts;
    if (!(opt = malloc(strlen(spec) + sizeof "--param ")))
        return ri_oom(err);
    sprintf(opt, "--param %s", spec);
    job->overrides[job->n_overrides++] = opt;
    if (!dot || !eq || dot > eq || dot == spec || eq == dot + 1 || (size_t)(dot - spec) >= sizeof id ||
        (size_t)(eq - dot - 1) >= sizeof name)
        return ri_fail(err, RI_RC_USAGE, "%s: expected ID.NAME=VALUE, such as productivity.cagr_years=12", opt);
    memcpy(id, spec, (size_t)(dot - spec));
    id[dot - spec] = '\0';
    memcpy(name, dot + 1, (size_t)(eq - dot - 1));
    name[eq - dot - 1] = '\0';
    for (size_t k = 0; k < job->n_indicators && !ind; k++)
        if (strcmp(job->indicators[k].id, id) == 0)
            ind = &job->indicators[k];
    if (!ind) {
        char hint[512];
        if (!(ids = malloc((job->n_indicators ? job->n_indicators : 1) * sizeof *ids)))
            return ri_oom(err);
        for (size_t k = 0; k < job->n_indicators; k++)
            ids[k] = job->indicators[k].id;
        suggestion(hint, sizeof hint, id, ids, job->n_indicators);
        free(ids);
        return ri_fail(err, RI_RC_USAGE, "%s: the job has no indicator \"%s\"%s", opt, id, hint);
    }
    if (!is_name(name))
        return ri_fail(err, RI_RC_USAGE,
                       "%s: \"%s\" must be a parameter name (a lowercase letter, then lowercase letters, digits or '_')",
                       opt, name);
    memset(&p, 0, sizeof p);
    if ((rc = override_value(opt, eq + 1, &p, err)))
        return rc;
    if (!(p.name = strdup(name))) {
        free(p.s);
        return ri_oom(err);
    }
    /* Messages about the value name the option where a job file's would name FILE:LINE. */
    p.loc.file = opt;
    p.loc.line = 0;
    for (size_t k = 0; k < ind->n_params; k++)
        if (strcmp(ind->params[k].name, name) == 0) {
            free(ind->params[k].name);
            free(ind->params[k].s);
            ind->params[k] = p;
            return RI_RC_OK;
        }
    {
        ri_raw_param *grown = realloc(ind->params, (ind->n_params + 1) * sizeof *grown);
        if (!grown) {
            free(p.name);
            free(p.s);
            return ri_oom(err);
        }
        ind->params = grown;
        ind->params[ind->n_params++] = p;
    }
    return RI_RC_OK;
}
