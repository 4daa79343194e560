/*
 * plugin_host.h — finding, loading and validating indicator plugins (libltdl),
 * and the host API handed to them.
 *
 * Owns the search path (-P dirs, REGIND_PLUGIN_PATH, the job's plugin_path,
 * then the installed plugin directory), the ABI handshake, descriptor
 * validation, the trust checks on plugin files (ownership and permissions,
 * like sshd's StrictModes, made by trusted_open.h), and the module handles
 * with the descriptors they were loaded through (closed by ri_host_free).
 * Plugin names are names, never paths. The host never prints: log lines go to the sink
 * set with ri_host_set_log.
 */
#ifndef RI_PLUGIN_HOST_H
#define RI_PLUGIN_HOST_H

#include <stddef.h>

#include <regind/plugin.h>

#include "error.h"

typedef void (*ri_log_sink)(void *user, ri_log_level level, const char *msg);

typedef struct ri_loaded {
    char *name;
    char *path;               /* the file it was loaded from */
    const ri_plugin *desc;    /* valid while the host lives */
} ri_loaded;

typedef struct ri_plugin_host ri_plugin_host;

/* dirs: -P dirs then the job's plugin_path (either may be empty). */
ri_rc ri_host_new(char *const *cli_dirs, size_t n_cli, char *const *job_dirs, size_t n_job,
                  ri_plugin_host **out, ri_error *err);

void ri_host_set_log(ri_plugin_host *h, ri_log_sink sink, void *user);

/*
 * Plugin files, the shared objects their .la files name, and every directory
 * on the way to them, through every symbolic link, must be owned by root or
 * the current user and not writable by group or others (a sticky directory
 * above the plugin's own, like /tmp, may be; a directory holding a link may
 * not), or loading is refused with the reason; what was checked is what is
 * loaded. allow = 1 skips these checks: unsafe, for a user who has checked
 * the files another way.
 */
void ri_host_allow_insecure(ri_plugin_host *h, int allow);

/* The search path in order (for messages and `list`). */
size_t ri_host_dirs(const ri_plugin_host *h, const char *const **dirs);

/* Load (once) and validate the plugin called name from the search path. */
ri_rc ri_host_load(ri_plugin_host *h, const char *name, const ri_loaded **out, ri_error *err);

/* Load every plugin file found on the search path; broken ones are reported in errors. */
typedef struct ri_listing {
    const ri_loaded **plugins; /* valid ones, sorted by name */
    size_t n_plugins;
    char **errors;             /* one message per refused file */
    size_t n_errors;
} ri_listing;
ri_rc ri_host_list(ri_plugin_host *h, ri_listing *out, ri_error *err);
void ri_listing_free(ri_listing *l);

/* Validate a descriptor (exposed for tests); file names the plugin in messages. */
ri_rc ri_descriptor_check(const ri_plugin *d, const char *file, ri_error *err);

/* Lines logged with the same level and format: the first RI_LOG_SHOWN are
   shown, the rest counted and summed up in one line after compute. */
#define RI_LOG_SHOWN 3
#define RI_LOG_KINDS 16
typedef struct ri_log_kind {
    ri_log_level level;
    const char *fmt;          /* the plugin's format, valid during compute */
    size_t n;
    char first[256];          /* the first such line, for the summary */
} ri_log_kind;

/* Per-call state behind the opaque ri_context of the SDK. */
struct ri_context {
    const char *indicator;    /* for log lines: "indicator gap (gva_gap): ..." */
    const char *plugin;
    ri_log_sink sink;
    void *sink_user;
    size_t warnings;
    int failed;
    char message[RI_ERROR_MAX];
    char **units;             /* [n_outputs]: replaced units, NULL = declared */
    size_t n_outputs;
    ri_log_kind kinds[RI_LOG_KINDS];
    size_t n_kinds;
};

/* Log a line of the call, as host->log does: prefixed with the indicator and
   plugin, repeats of one format shown RI_LOG_SHOWN times, warnings counted. */
void ri_context_log(ri_context *ctx, ri_log_level level, const char *fmt, ...) RI_PRINTF(3, 4);

/* After compute: one line per format logged more than RI_LOG_SHOWN times. */
void ri_context_log_repeats(ri_context *ctx);

/* The host API (log, error, set_unit, GSL statistics) every plugin receives. */
const ri_host *ri_host_api(void);

void ri_host_free(ri_plugin_host *h);

#endif
