/*
 * engine.h — binding configured indicators to plugins and running them.
 *
 * Owns the step between a job and its results: each indicator's plugin is
 * loaded, its input roles bound to panel measures, its parameters checked,
 * its benchmark and compared group resolved, and then (unless only
 * checking) compute() is called with whole columns. Each indicator's outputs
 * then join the panel as measures named "ID.OUTPUT", so a later indicator can
 * take an earlier one's output as input (e.g. deciles of a productivity
 * index). The engine knows no plugin by name.
 */
#ifndef RI_ENGINE_H
#define RI_ENGINE_H

#include "config.h"
#include "panel.h"
#include "plugin_host.h"
#include "results.h"

typedef struct ri_engine_opts {
    const char *const *only;   /* indicator ids to run; NULL = all */
    size_t n_only;
    int check_only;            /* bind and validate, never call compute */
    ri_log_sink sink;          /* where plugin log lines go; may be NULL */
    void *sink_user;
} ri_engine_opts;

/* Which indicators to run, one flag per job indicator: those in only[0..n_only)
   (NULL: all), and every earlier one whose output ("ID.OUTPUT") one of them
   takes as input, transitively. NULL when out of memory. */
unsigned char *ri_engine_select(const ri_job *job, const char *const *only, size_t n_only);

/* On success *out holds one result column per output of each indicator run; panel gains the "ID.OUTPUT" measures. */
ri_rc ri_engine_run(const ri_job *job, ri_panel *panel, ri_plugin_host *host,
                    const ri_engine_opts *opts, ri_results **out, ri_error *err);

#endif
