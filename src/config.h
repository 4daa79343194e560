/*
 * config.h — a regind job file (libconfig syntax) read into a typed, validated ri_job.
 *
 * Owns the schema of job files (documented in regind.cfg(5)): every key's type
 * and range, unknown keys (an error that suggests the closest known key),
 * relative paths (resolved against the config file's directory), and the
 * source location of every setting so later stages can report FILE:LINE.
 * Plugin parameters are kept as typed raw values here; plugin_host.c checks
 * them against each plugin's schema. The job owns every string in it;
 * ri_job_free() releases all of it.
 */
#ifndef RI_CONFIG_H
#define RI_CONFIG_H

#include <stddef.h>

#include "error.h"

typedef struct ri_loc {
    const char *file; /* owned by the job; NULL when unknown */
    int line;         /* 0 when unknown */
} ri_loc;

typedef struct ri_filter {
    char *column;
    char **values; /* a row passes when its cell equals one of these */
    size_t n_values;
    ri_loc loc;
} ri_filter;

typedef struct ri_binding { /* name = "text" pairs: measures, inputs */
    char *name;
    char *value;
    ri_loc loc;
} ri_binding;

typedef enum ri_layout { RI_LAYOUT_TIDY = 0, RI_LAYOUT_WIDE = 1 } ri_layout;
typedef enum ri_dup_policy { RI_DUP_ERROR = 0, RI_DUP_IDENTICAL = 1 } ri_dup_policy;

typedef struct ri_dataset_cfg {
    char *id;
    char *path;             /* resolved */
    ri_layout layout;
    long skip_rows;         /* rows before the header */
    int has_skip_rows;      /* skip_rows was set (workbooks otherwise look for the header row) */
    char *sheet;            /* workbooks: the sheet to read; NULL = the only one */
    char *area_col;         /* required */
    char *area_name_col;    /* optional (NULL) */
    char *area_type_col;    /* optional */
    char *period_col;       /* tidy: required; wide: NULL */
    char *industry_col;     /* optional */
    ri_filter *filters;
    size_t n_filters;
    ri_binding *measures;   /* tidy: measure name = column header */
    size_t n_measures;
    char *measure;          /* wide: the one measure's name */
    char *period_prefix;    /* wide: header prefix before the year, "" by default */
    char **additive;        /* measures that may be summed over areas */
    size_t n_additive;
    ri_dup_policy duplicates;
    char **missing;         /* extra missing markers for this dataset */
    size_t n_missing;
    char **prefer_over;     /* ids of datasets this one wins over for shared measures */
    size_t n_prefer_over;
    ri_loc loc;
} ri_dataset_cfg;

/* What an aggregate or a lookup's parent does with members that lack cells of a measure
   (regind.cfg(5), MISSING MEMBERS). */
typedef enum ri_members_rule {
    RI_MEMBERS_STRICT = 0,   /* sum every member; a missing cell makes the sum's cell NaN */
    RI_MEMBERS_COMPLETE = 1, /* sum only members with every cell of the measure */
    RI_MEMBERS_PRESENT = 2   /* sum, cell by cell, the members that have the cell */
} ri_members_rule;

/* The rule and its guard, shared by aggregates and lookups. */
typedef struct ri_members_policy {
    ri_members_rule rule;
    double min_coverage;    /* percent of the members' total the used members must hold */
} ri_members_policy;

typedef struct ri_lookup_cfg {
    char *id;
    char *path;
    char *child_col;
    char *parent_col;
    char *parent_name_col;  /* optional */
    char *parent_type;      /* type given to parents, e.g. "LEP"; optional */
    ri_filter *filters;
    size_t n_filters;
    char **aggregate;       /* measures summed from children to parents */
    size_t n_aggregate;
    ri_members_policy members;
    ri_loc loc;
} ri_lookup_cfg;

typedef struct ri_derived_cfg { /* a measure computed from others, cell by cell */
    char *name;
    char *expr;             /* "gva_per_hour * hours_per_week" */
    int additive;           /* may be summed over areas */
    ri_loc loc;
} ri_derived_cfg;

typedef struct ri_aggregate_cfg {
    char *code, *name, *type;
    char *members_type;     /* all areas of this type ... */
    char *members_prefix;   /* ... whose code starts with this ("" = any) */
    char **members;         /* or an explicit list of codes */
    size_t n_members;
    ri_members_policy policy;
    ri_loc loc;
} ri_aggregate_cfg;

typedef enum ri_raw_type {
    RI_RAW_INT = 1,
    RI_RAW_FLOAT = 2,
    RI_RAW_BOOL = 3,
    RI_RAW_STRING = 4
} ri_raw_type;

typedef struct ri_raw_param {
    char *name;
    ri_raw_type type;
    long long i;  /* INT and BOOL */
    double d;     /* FLOAT */
    char *s;      /* STRING */
    ri_loc loc;
} ri_raw_param;

/* Which areas of the group an indicator compares in each period (regind.cfg(5), INDICATORS). */
typedef enum ri_sample {
    RI_SAMPLE_ALL = 0,      /* those with data in that period */
    RI_SAMPLE_BALANCED = 1  /* only those with data in every period of the indicator's range */
} ri_sample;

typedef struct ri_indicator_cfg {
    char *id;
    char *plugin;
    ri_binding *inputs;     /* role = "measure" */
    size_t n_inputs;
    ri_raw_param *params;
    size_t n_params;
    char *benchmark;        /* area code, NULL for none */
    char *group_type;       /* area type of the compared group; default compare.area_type */
    ri_sample sample;
    ri_loc loc;
} ri_indicator_cfg;

typedef enum ri_format { RI_FORMAT_CSV = 0, RI_FORMAT_JSON = 1, RI_FORMAT_HTML = 2, RI_FORMAT_XLSX = 3 } ri_format;

typedef struct ri_output_cfg {
    char *path;             /* resolved */
    ri_format format;
    int wide;               /* CSV: one column per output (shape = "wide") */
    char **indicators;      /* NULL = all */
    size_t n_indicators;
    char **area_types;      /* areas of these types only ... (NULL, with members_of NULL: all areas) */
    size_t n_area_types;
    char **members_of;      /* ... and the members of areas of these types (a LEP's districts) */
    size_t n_members_of;
    ri_loc loc;
} ri_output_cfg;

typedef struct ri_compare_cfg {
    char *area_type;        /* default "LEP" */
    char **indicators;      /* default: all */
    size_t n_indicators;
    char *period;           /* default NULL = latest */
} ri_compare_cfg;

/* The run group: how `regind run` guards, checks and records its outputs (regind.cfg(5), RUN). */
typedef struct ri_run_cfg {
    char *lock_file;          /* resolved; NULL = .regind.lock beside the first output */
    char *manifest;           /* resolved; NULL = JOB.manifest.json beside the first output */
    int skip_if_unchanged;    /* do nothing when nothing changed since the last manifest */
    char *period;             /* write only this period; NULL = every period */
    char **required_periods;  /* periods every required dataset must have a value for */
    size_t n_required_periods;
    char **required_datasets; /* the datasets required_periods applies to; NULL = all */
    size_t n_required_datasets;
    ri_loc loc;               /* of the group; file NULL when absent */
} ri_run_cfg;

/* A named set of areas to compare with each other ("statistical neighbours"): compare --peers ID. */
typedef struct ri_group_cfg {
    char *id;
    char **members;         /* codes or parts of names, as on the command line */
    size_t n_members;
    ri_loc loc;
} ri_group_cfg;

typedef struct ri_job {
    char *path;             /* as given */
    char *dir;              /* directory of the config file */
    char **files;           /* every file name a ri_loc points to */
    size_t n_files;
    char **overrides;       /* "--param ID.NAME=VALUE" texts, in order; ri_locs of overridden
                               parameters point to them (line 0) */
    size_t n_overrides;
    char **plugin_path;     /* resolved */
    size_t n_plugin_path;
    char **missing;         /* extra missing markers for every dataset */
    size_t n_missing;
    char *breakdown;        /* what the industry dimension holds ("scope"), naming it in every
                               output; NULL = "industry" */
    unsigned long long max_panel_values; /* 0: the default rule (panel.h) */
    ri_dataset_cfg *datasets;
    size_t n_datasets;
    ri_derived_cfg *derived;
    size_t n_derived;
    ri_lookup_cfg *lookups;
    size_t n_lookups;
    ri_aggregate_cfg *aggregates;
    size_t n_aggregates;
    ri_indicator_cfg *indicators;
    size_t n_indicators;
    ri_output_cfg *outputs;
    size_t n_outputs;
    ri_group_cfg *groups;
    size_t n_groups;
    ri_compare_cfg compare;
    ri_run_cfg run;
} ri_job;

/* The file a location names, for "FILE:LINE:" messages ("config" when unknown). */
const char *ri_loc_file(const ri_loc *loc);

ri_rc ri_job_load(const char *path, ri_job **out, ri_error *err);

/*
 * Several job files read as one (regind -c A -c B): the first is a whole
 * job; each later one adds datasets, derived measures, lookups, aggregates
 * and indicators after the earlier ones' (and may name what they define),
 * with paths relative to its own directory. A later file that sets
 * outputs, compare or run, or repeats an id, is an error naming both
 * places. The job's path is the first file; every other is in files.
 */
ri_rc ri_job_load_files(const char *const *paths, size_t n, ri_job **out, ri_error *err);

/* The same from text in memory, named "(job text)" in messages; dir stands for
   the job file's directory (relative paths and @include resolve against it). */
ri_rc ri_job_load_string(const char *text, const char *dir, ri_job **out, ri_error *err);
void ri_job_free(ri_job *job);

/*
 * Override (or add) a parameter of an indicator from "ID.NAME=VALUE" (the
 * --param option): VALUE is typed as in a job file (integer, float,
 * true/false, "text" or text). The plugin checks it like a job file's, and
 * messages about it name the option instead of FILE:LINE. RI_RC_USAGE for
 * an unknown indicator (with the nearest ids) or a malformed spec.
 */
ri_rc ri_job_set_param(ri_job *job, const char *spec, ri_error *err);

/* The indicator of job with this id, or NULL. */
const ri_indicator_cfg *ri_job_indicator(const ri_job *job, const char *id);

/* The names of every dataset and derived measure of job (borrowed; free the array only), or
   NULL when out of memory. */
const char **ri_job_measures(const ri_job *job, size_t *n);

/* Join dir and a relative path (absolute paths are returned as copies). Caller frees. */
char *ri_path_resolve(const char *dir, const char *path);

#endif
