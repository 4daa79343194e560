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
};

/* The host API (log, error, set_unit, GSL statistics) every plugin receives. */
const ri_host *ri_host_api(void);

void ri_host_free(ri_plugin_host *h);

#endif
