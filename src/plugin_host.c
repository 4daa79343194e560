/* plugin_host.c — plugin search, loading, validation and the host API (see plugin_host.h). */
#include "plugin_host.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <ltdl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "params.h"
#include "suggest.h"
#include "trusted_open.h"
#include "stats.h"

#define RI_PLUGIN_SIZE_V1_0 (offsetof(ri_plugin, compute) + sizeof(ri_compute_fn))

#ifndef RI_PLUGINDIR
#define RI_PLUGINDIR "/usr/local/lib/regind"
#endif

/* A loaded plugin's handle and the descriptor it was loaded through. */
typedef struct module {
    lt_dlhandle handle;
    int fd;
} module;

struct ri_plugin_host {
    char **dirs;
    size_t n_dirs;
    ri_loaded *loaded;       /* [n_loaded] */
    module *handles;         /* [n_loaded] */
    size_t n_loaded;
    ri_log_sink sink;
    void *sink_user;
    int ltdl_ready;
    int insecure;            /* load files whatever their owner and permissions */
};

/* libltdl is process-global; hosts share one initialisation. */
static int ltdl_users;

static int push_dir(ri_plugin_host *h, const char *dir)
{
    char **dirs;
    if (!*dir)
        return 0;
    /* The same directory named twice (by -P and plugin_path, say) is searched once. */
    for (size_t i = 0; i < h->n_dirs; i++)
        if (strcmp(h->dirs[i], dir) == 0)
            return 0;
    if (!(dirs = realloc(h->dirs, (h->n_dirs + 1) * sizeof *dirs)))
        return -1;
    h->dirs = dirs;
    if (!(dirs[h->n_dirs] = strdup(dir)))
        return -1;
    h->n_dirs++;
    return 0;
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

ri_rc ri_host_new(char *const *cli_dirs, size_t n_cli, char *const *job_dirs, size_t n_job,
                  ri_plugin_host **out, ri_error *err)
{
    ri_plugin_host *h = calloc(1, sizeof *h);
    const char *env = getenv("REGIND_PLUGIN_PATH");
    int bad = !h;

    *out = NULL;
    for (size_t i = 0; i < n_cli; i++)
        if (file_exists(cli_dirs[i])) {
            const char *slash = strrchr(cli_dirs[i], '/');
            free(h);
            return ri_fail(err, RI_RC_USAGE, "-P %s: -P takes directories, not plugin files; expected -P %.*s (the directory holding it)",
                           cli_dirs[i], slash ? (int)(slash == cli_dirs[i] ? 1 : slash - cli_dirs[i]) : 1,
                           slash ? cli_dirs[i] : ".");
        }
    for (size_t i = 0; !bad && i < n_cli; i++)
        bad = push_dir(h, cli_dirs[i]) != 0;
    if (!bad && env) {
        char *copy = strdup(env), *save = NULL;
        bad = !copy;
        for (char *tok = copy ? strtok_r(copy, ":", &save) : NULL; tok && !bad;
             tok = strtok_r(NULL, ":", &save))
            bad = push_dir(h, tok) != 0;
        free(copy);
    }
    for (size_t i = 0; !bad && i < n_job; i++)
        bad = push_dir(h, job_dirs[i]) != 0;
    if (!bad)
        bad = push_dir(h, RI_PLUGINDIR) != 0;
    if (bad) {
        ri_host_free(h);
        return ri_oom(err);
    }
    if (ltdl_users == 0 && lt_dlinit() != 0) {
        ri_host_free(h);
        return ri_fail(err, RI_RC_DATA, "cannot initialise libltdl: %s", lt_dlerror());
    }
    ltdl_users++;
    h->ltdl_ready = 1;
    *out = h;
    return RI_RC_OK;
}

void ri_host_set_log(ri_plugin_host *h, ri_log_sink sink, void *user)
{
    h->sink = sink;
    h->sink_user = user;
}

void ri_host_allow_insecure(ri_plugin_host *h, int allow)
{
    h->insecure = allow != 0;
}

size_t ri_host_dirs(const ri_plugin_host *h, const char *const **dirs)
{
    *dirs = (const char *const *)h->dirs;
    return h->n_dirs;
}

static int is_identifier(const char *s)
{
    if (!s || !islower((unsigned char)*s))
        return 0;
    for (; *s; s++)
        if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
            return 0;
    return 1;
}

static ri_rc check_unique(const char *plugin, const char *kind, const char *name,
                          const char *const *seen, size_t n, const char *file, ri_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(seen[i], name) == 0)
            return ri_fail(err, RI_RC_USAGE, "plugin %s (%s): %s \"%s\" is declared twice; expected unique names",
                           plugin, file, kind, name);
    return RI_RC_OK;
}

static ri_rc check_param(const ri_param_spec *s, const char *file, ri_error *err)
{
    ri_value v;
    if (!is_identifier(s->name))
        return ri_fail(err, RI_RC_USAGE, "%s: parameter name \"%s\" is not an identifier; expected [a-z][a-z0-9_]*",
                       file, s->name ? s->name : "(null)");
    if (s->type < RI_PARAM_DOUBLE || s->type > RI_PARAM_CHOICE)
        return ri_fail(err, RI_RC_USAGE, "%s: parameter \"%s\" has unknown type %d; expected an ri_param_type",
                       file, s->name, (int)s->type);
    if (s->type == RI_PARAM_CHOICE && (!s->choices || !s->choices[0]))
        return ri_fail(err, RI_RC_USAGE, "%s: parameter \"%s\" is a choice without choices; expected a NULL-terminated list",
                       file, s->name);
    if (!s->help || !*s->help)
        return ri_fail(err, RI_RC_USAGE, "%s: parameter \"%s\" has no help text; expected one line for `regind describe`",
                       file, s->name);
    if (s->default_value && ri_param_default(s, &v, err) != RI_RC_OK)
        return ri_error_prefix(err, "%s: ", file);
    return RI_RC_OK;
}

ri_rc ri_descriptor_check(const ri_plugin *d, const char *file, ri_error *err)
{
    const char *seen[256];
    ri_rc rc;

    if (!d)
        return ri_fail(err, RI_RC_USAGE, "%s: %s() returned NULL; expected a descriptor", file,
                       RI_PLUGIN_ENTRY_SYMBOL);
    if (d->abi_major != RI_ABI_MAJOR)
        return ri_fail(err, RI_RC_USAGE,
                       "%s: plugin built for ABI %u.%u, this regind has ABI %d.%d; expected major version %d (rebuild the plugin against this regind's SDK)",
                       file, d->abi_major, d->abi_minor, RI_ABI_MAJOR, RI_ABI_MINOR, RI_ABI_MAJOR);
    if (d->abi_minor > RI_ABI_MINOR)
        return ri_fail(err, RI_RC_USAGE,
                       "%s: plugin built for ABI %u.%u, newer than this regind's %d.%d; expected minor <= %d (upgrade regind)",
                       file, d->abi_major, d->abi_minor, RI_ABI_MAJOR, RI_ABI_MINOR, RI_ABI_MINOR);
    /* A plugin of an older minor has a shorter descriptor; ABI x.0 ends with compute. */
    if (d->struct_size < RI_PLUGIN_SIZE_V1_0)
        return ri_fail(err, RI_RC_USAGE, "%s: descriptor size %zu is smaller than ABI %d.0's %zu; expected a descriptor built with RI_PLUGIN_HEADER",
                       file, d->struct_size, RI_ABI_MAJOR, (size_t)RI_PLUGIN_SIZE_V1_0);
    if (!is_identifier(d->name))
        return ri_fail(err, RI_RC_USAGE, "%s: plugin name \"%s\" is not an identifier; expected [a-z][a-z0-9_]*",
                       file, d->name ? d->name : "(null)");
    if (!d->version || !*d->version || !d->summary || !*d->summary)
        return ri_fail(err, RI_RC_USAGE, "plugin %s (%s): empty %s; expected a non-empty string",
                       d->name, file, !d->version || !*d->version ? "version" : "summary");
    if (!d->compute)
        return ri_fail(err, RI_RC_USAGE, "plugin %s (%s): no compute function", d->name, file);
    if (d->n_inputs > 256 || d->n_params > 256 || d->n_outputs > 256 || d->n_outputs == 0 ||
        (d->n_inputs && !d->inputs) || (d->n_params && !d->params) || !d->outputs)
        return ri_fail(err, RI_RC_USAGE, "plugin %s (%s): bad input/parameter/output tables; expected 1-256 outputs and arrays matching their counts",
                       d->name, file);
    for (size_t i = 0; i < d->n_inputs; i++) {
        if (d->inputs[i].flags & ~(RI_BY_INDUSTRY | RI_OPTIONAL))
            return ri_fail(err, RI_RC_USAGE, "plugin %s (%s): input \"%s\" has flags 0x%x; expected RI_BY_INDUSTRY and RI_OPTIONAL only",
                           d->name, file, d->inputs[i].role ? d->inputs[i].role : "(null)", d->inputs[i].flags);
        if (!is_identifier(d->inputs[i].role))
            return ri_fail(err, RI_RC_USAGE, "plugin %s (%s): input %zu has role \"%s\"; expected an identifier",
                           d->name, file, i + 1, d->inputs[i].role ? d->inputs[i].role : "(null)");
        if ((rc = check_unique(d->name, "input", d->inputs[i].role, seen, i, file, err)))
            return rc;
        seen[i] = d->inputs[i].role;
    }
    for (size_t i = 0; i < d->n_params; i++) {
        if ((rc = check_param(&d->params[i], file, err)))
            return ri_error_prefix(err, "plugin %s: ", d->name);
        if ((rc = check_unique(d->name, "parameter", d->params[i].name, seen, i, file, err)))
            return rc;
        seen[i] = d->params[i].name;
    }
    for (size_t i = 0; i < d->n_outputs; i++) {
        const ri_output_spec *o = &d->outputs[i];
        if (!is_identifier(o->name))
            return ri_fail(err, RI_RC_USAGE, "plugin %s (%s): output %zu is named \"%s\"; expected an identifier",
                           d->name, file, i + 1, o->name ? o->name : "(null)");
        if (!o->unit || !*o->unit)
            return ri_fail(err, RI_RC_USAGE, "plugin %s (%s): output \"%s\" has no unit; expected a unit such as \"GBP\" or \"%%\"",
                           d->name, file, o->name);
        /* A flag means something only from the minor that defined it. */
        if (o->flags & ~(RI_BY_INDUSTRY | (d->abi_minor >= 1 ? RI_BENCHMARK_ROW : 0u)))
            return ri_fail(err, RI_RC_USAGE, "plugin %s (%s): output \"%s\" has flags 0x%x; expected RI_BY_INDUSTRY%s only",
                           d->name, file, o->name, o->flags,
                           d->abi_minor >= 1 ? " and RI_BENCHMARK_ROW" : " (RI_BENCHMARK_ROW needs ABI 1.1)");
        if ((rc = check_unique(d->name, "output", o->name, seen, i, file, err)))
            return rc;
        seen[i] = o->name;
    }
    return RI_RC_OK;
}

static const ri_loaded *find_loaded(const ri_plugin_host *h, const char *name)
{
    for (size_t i = 0; i < h->n_loaded; i++)
        if (strcmp(h->loaded[i].name, name) == 0)
            return &h->loaded[i];
    return NULL;
}

/* ---- trust: who could have changed a file before we run its code ---- */

/* The value of key='value' on a libtool archive line, or NULL. */
static char *la_value(const char *line, const char *key)
{
    size_t k = strlen(key), len;
    const char *v;
    char *out;

    if (strncmp(line, key, k) != 0 || line[k] != '=')
        return NULL;
    v = line + k + 1;
    len = strcspn(v, "\n");
    if (len >= 2 && v[0] == '\'' && v[len - 1] == '\'') {
        v++;
        len -= 2;
    }
    if ((out = malloc(len + 1))) {
        memcpy(out, v, len);
        out[len] = '\0';
    }
    return out;
}

/*
 * A .la file (read from la_fd, which is closed) names the shared object
 * to load. It is looked for where libltdl's find_module would look, in its
 * order: the installed libdir, the build tree's .libs, the .la's own
 * directory; the first that exists is opened, checked like the .la.
 */
static int la_target_fd(const char *la, int la_fd, int check, char *why, size_t n)
{
    FILE *f = fdopen(la_fd, "r");
    char line[4096], *dlname = NULL, *libdir = NULL, *installed = NULL, *v;
    const char *slash = strrchr(la, '/');
    /* module_file() always names dir/file. */
    int dir_len = slash ? (int)(slash - la) : 0, fd = -1, tried = 0;

    if (!f) {
        close(la_fd);
        snprintf(why, n, "cannot read %s: %s", la, strerror(errno));
        return -1;
    }
    while (fgets(line, sizeof line, f)) {
        char **slot = NULL;
        if ((v = la_value(line, "dlname")))
            slot = &dlname;
        else if ((v = la_value(line, "libdir")))
            slot = &libdir;
        else if ((v = la_value(line, "installed")))
            slot = &installed;
        if (slot) {
            free(*slot);
            *slot = v;
        }
    }
    fclose(f);
    if (!dlname || !*dlname)
        snprintf(why, n, "%s names no shared object (dlname); expected a libtool module built with -module", la);
    else {
        int is_installed = installed && strcmp(installed, "yes") == 0;
        size_t len = (size_t)dir_len + strlen(dlname) + (libdir ? strlen(libdir) : 0) + 16;
        char *cand = malloc(len);
        for (int i = 0; cand && i < 3 && fd < 0; i++) {
            if (i == 0 && (!is_installed || !libdir))
                continue;
            if (i == 1 && is_installed)
                continue;
            if (i == 0)
                snprintf(cand, len, "%s/%s", libdir, dlname);
            else
                snprintf(cand, len, "%.*s/%s%s", dir_len, la, i == 1 ? ".libs/" : "", dlname);
            tried++;
            fd = ri_trusted_open(cand, check, why, n);
            /* A missing file is one libltdl would pass over; any other failure refuses. */
            if (fd < 0 && errno != ENOENT)
                break;
        }
        if (!cand)
            snprintf(why, n, "out of memory");
        else if (fd < 0 && errno == ENOENT)
            snprintf(why, n, "%s names %s, found in none of the %d places libltdl looks; expected it installed or in .libs/",
                     la, dlname, tried);
        free(cand);
    }
    free(dlname);
    free(libdir);
    free(installed);
    return fd;
}

/* The checked descriptor of the code path stands for: the file, or the object its .la names. */
static int module_fd(const char *path, int check, char *why, size_t n)
{
    size_t len = strlen(path);
    int fd = ri_trusted_open(path, check, why, n);

    if (fd >= 0 && len > 3 && strcmp(path + len - 3, ".la") == 0)
        fd = la_target_fd(path, fd, check, why, n);
    return fd;
}

static void unload(lt_dlhandle handle, int fd)
{
    lt_dlclose(handle);
    close(fd);
}

/* Open one module file (with or without extension) and validate it. */
static ri_rc open_module(ri_plugin_host *h, const char *path, const char *want_name,
                         const ri_loaded **out, ri_error *err)
{
    lt_dladvise advise;
    lt_dlhandle handle = NULL;
    ri_plugin_entry_fn entry;
    char why[1024], by_fd[64];
    ri_rc rc;
    /* Loading runs the plugin's code: refuse files others could have changed. */
    int fd = module_fd(path, !h->insecure, why, sizeof why);

    if (fd < 0)
        return ri_fail(err, RI_RC_USAGE, h->insecure ? "%s: cannot load plugin: %s"
                       : "%s: refusing to load plugin: %s; or pass --insecure-plugins to load it anyway (unsafe)",
                       path, why);
    /*
     * The checked file is loaded through its descriptor, so nothing can be
     * swapped in between. The descriptor stays open as long as the
     * handle: libltdl hands back an open handle of the same file name.
     */
    snprintf(by_fd, sizeof by_fd, "/proc/self/fd/%d", fd);
    if (lt_dladvise_init(&advise) || lt_dladvise_local(&advise)) {
        lt_dladvise_destroy(&advise);
        close(fd);
        return ri_fail(err, RI_RC_DATA, "libltdl: %s", lt_dlerror());
    }
    handle = lt_dlopenadvise(by_fd, advise);
    lt_dladvise_destroy(&advise);
    if (!handle) {
        close(fd);
        return ri_fail(err, RI_RC_USAGE, "%s: cannot load plugin: %s", path, lt_dlerror());
    }
    entry = (ri_plugin_entry_fn)(void (*)(void))lt_dlsym(handle, RI_PLUGIN_ENTRY_SYMBOL);
    if (!entry) {
        unload(handle, fd);
        return ri_fail(err, RI_RC_USAGE, "%s: no symbol %s; expected a plugin built with RI_PLUGIN_DEFINE from <regind/plugin.h>",
                       path, RI_PLUGIN_ENTRY_SYMBOL);
    }
    const ri_plugin *d = entry();
    if ((rc = ri_descriptor_check(d, path, err))) {
        unload(handle, fd);
        return rc;
    }
    if (want_name && strcmp(d->name, want_name) != 0) {
        rc = ri_fail(err, RI_RC_USAGE, "%s: file is named %s but the plugin calls itself \"%s\"; expected the same name",
                     path, want_name, d->name);
        unload(handle, fd);
        return rc;
    }
    const ri_loaded *already = find_loaded(h, d->name);
    if (already) {
        unload(handle, fd);
        *out = already;
        return RI_RC_OK;
    }
    ri_loaded *l = realloc(h->loaded, (h->n_loaded + 1) * sizeof *l);
    module *hs = l ? realloc(h->handles, (h->n_loaded + 1) * sizeof *hs) : NULL;
    if (l)
        h->loaded = l;
    if (!l || !hs) {
        unload(handle, fd);
        return ri_oom(err);
    }
    h->handles = hs;
    l = &h->loaded[h->n_loaded];
    l->name = strdup(d->name);
    l->path = strdup(path);
    l->desc = d;
    hs[h->n_loaded].handle = handle;
    hs[h->n_loaded++].fd = fd;
    if (!l->name || !l->path)
        return ri_oom(err);
    *out = l;
    return RI_RC_OK;
}

/* The module file for name in dir: an uninstalled or installed .la first, then a bare .so. */
static char *module_file(const char *dir, const char *name)
{
    static const char *const exts[] = {".la", ".so"};
    for (size_t e = 0; e < 2; e++) {
        size_t len = strlen(dir) + strlen(name) + 8;
        char *path = malloc(len);
        if (!path)
            return NULL;
        snprintf(path, len, "%s/%s%s", dir, name, exts[e]);
        if (file_exists(path))
            return path;
        free(path);
    }
    return NULL;
}

static ri_rc unknown_plugin(const ri_plugin_host *h, const char *name, ri_error *err);

ri_rc ri_host_load(ri_plugin_host *h, const char *name, const ri_loaded **out, ri_error *err)
{
    const ri_loaded *l = find_loaded(h, name);
    if (l) {
        *out = l;
        return RI_RC_OK;
    }
    if (!is_identifier(name))
        return ri_fail(err, RI_RC_USAGE, "plugin \"%s\": not a plugin name; expected [a-z][a-z0-9_]* (plugins load only from the search path)",
                       name);
    for (size_t i = 0; i < h->n_dirs; i++) {
        char *path = module_file(h->dirs[i], name);
        if (path) {
            ri_rc rc = open_module(h, path, name, out, err);
            free(path);
            return rc;
        }
    }
    return unknown_plugin(h, name, err);
}

static int cmp_loaded(const void *a, const void *b)
{
    return strcmp((*(const ri_loaded *const *)a)->name, (*(const ri_loaded *const *)b)->name);
}

static int push_error(ri_listing *l, const char *msg)
{
    char **e = realloc(l->errors, (l->n_errors + 1) * sizeof *e);
    if (!e)
        return -1;
    l->errors = e;
    if (!(e[l->n_errors] = strdup(msg)))
        return -1;
    l->n_errors++;
    return 0;
}

/* A file in a plugin directory is a candidate when it is name.la, or name.so without a name.la. */
static char *candidate_name(const char *dir, const char *file)
{
    size_t len = strlen(file);
    char *name;
    if (len > 3 && strcmp(file + len - 3, ".la") == 0)
        len -= 3;
    else if (len > 3 && strcmp(file + len - 3, ".so") == 0) {
        char *la = malloc(strlen(dir) + len + 2);
        int has_la;
        if (!la)
            return NULL;
        sprintf(la, "%s/%.*s.la", dir, (int)(len - 3), file);
        has_la = file_exists(la);
        free(la);
        if (has_la)
            return NULL;
        len -= 3;
    } else
        return NULL;
    if (!(name = malloc(len + 1)))
        return NULL;
    memcpy(name, file, len);
    name[len] = '\0';
    if (!is_identifier(name)) {
        free(name);
        return NULL;
    }
    return name;
}

/* The names of the plugin files in the search path, without loading them; NULL when out of memory. */
static char **found_names(const ri_plugin_host *h, size_t *n)
{
    char **names = NULL;
    int bad = 0;

    *n = 0;
    for (size_t i = 0; i < h->n_dirs && !bad; i++) {
        DIR *dir = opendir(h->dirs[i]);
        struct dirent *ent;
        while (dir && !bad && (ent = readdir(dir))) {
            char *name = candidate_name(h->dirs[i], ent->d_name), **more;
            int seen = 0;
            for (size_t k = 0; name && k < *n && !seen; k++)
                seen = strcmp(names[k], name) == 0;
            if (!name || seen) {
                free(name);
                continue;
            }
            if (!(more = realloc(names, (*n + 1) * sizeof *more))) {
                free(name);
                bad = 1;
                break;
            }
            names = more;
            names[(*n)++] = name;
        }
        if (dir)
            closedir(dir);
    }
    if (bad) {
        for (size_t k = 0; k < *n; k++)
            free(names[k]);
        free(names);
        return NULL;
    }
    return names ? names : calloc(1, sizeof *names);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The error for a name found nowhere: the source left unbuilt, or what the search path holds instead. */
static ri_rc unknown_plugin(const ri_plugin_host *h, const char *name, ri_error *err)
{
    char dirs[1024] = "", found[1024] = "", **names;
    const char *close;
    size_t n;
    ri_rc rc;

    for (size_t i = 0; i < h->n_dirs; i++) {
        size_t len = strlen(h->dirs[i]) + strlen(name) + 4;
        char *src = malloc(len);
        int unbuilt;
        if (!src)
            return ri_oom(err);
        snprintf(src, len, "%s/%s.c", h->dirs[i], name);
        unbuilt = file_exists(src);
        rc = unbuilt ? ri_fail(err, RI_RC_USAGE, "unknown plugin \"%s\": %s is there but not built (no %s.la or %s.so beside it); expected a built module: run make -C %s",
                               name, src, name, name, h->dirs[i]) : RI_RC_OK;
        free(src);
        if (unbuilt)
            return rc;
    }
    for (size_t i = 0; i < h->n_dirs; i++) {
        size_t used = strlen(dirs);
        snprintf(dirs + used, sizeof dirs - used, "%s%s", i ? ":" : "", h->dirs[i]);
    }
    if (!(names = found_names(h, &n)))
        return ri_oom(err);
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t k = 0; k < n; k++) {
        size_t used = strlen(found);
        snprintf(found + used, sizeof found - used, "%s%s", k ? ", " : "", names[k]);
    }
    close = ri_suggest(name, (const char *const *)names, n);
    rc = ri_fail(err, RI_RC_USAGE, "unknown plugin \"%s\"; searched %s; %s%s%s%s%s (see `regind list`)", name, dirs,
                 n ? "plugins found there: " : "no plugins found there", found,
                 close ? "; did you mean \"" : "", close ? close : "", close ? "\"?" : "");
    for (size_t k = 0; k < n; k++)
        free(names[k]);
    free(names);
    return rc;
}

ri_rc ri_host_list(ri_plugin_host *h, ri_listing *out, ri_error *err)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < h->n_dirs; i++) {
        DIR *dir = opendir(h->dirs[i]);
        struct dirent *ent;
        if (!dir)
            continue;
        while ((ent = readdir(dir))) {
            char *name = candidate_name(h->dirs[i], ent->d_name);
            const ri_loaded *l;
            ri_error e;
            if (!name)
                continue;
            /* Each file is opened by its own path, so a broken file behind a good one is reported too. */
            char *path = module_file(h->dirs[i], name);
            int loaded = 0;
            for (size_t k = 0; path && k < h->n_loaded && !loaded; k++)
                loaded = strcmp(h->loaded[k].path, path) == 0;
            if (path && !loaded && open_module(h, path, name, &l, &e) != RI_RC_OK &&
                push_error(out, e.msg) != 0) {
                free(path);
                free(name);
                closedir(dir);
                return ri_oom(err);
            }
            free(path);
            free(name);
        }
        closedir(dir);
    }
    out->plugins = malloc((h->n_loaded ? h->n_loaded : 1) * sizeof *out->plugins);
    if (!out->plugins)
        return ri_oom(err);
    for (size_t i = 0; i < h->n_loaded; i++)
        out->plugins[i] = &h->loaded[i];
    out->n_plugins = h->n_loaded;
    qsort(out->plugins, out->n_plugins, sizeof *out->plugins, cmp_loaded);
    return RI_RC_OK;
}

void ri_listing_free(ri_listing *l)
{
    for (size_t i = 0; i < l->n_errors; i++)
        free(l->errors[i]);
    free(l->errors);
    free(l->plugins);
    memset(l, 0, sizeof *l);
}

void ri_host_free(ri_plugin_host *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n_loaded; i++) {
        unload(h->handles[i].handle, h->handles[i].fd);
        free(h->loaded[i].name);
        free(h->loaded[i].path);
    }
    free(h->handles);
    free(h->loaded);
    for (size_t i = 0; i < h->n_dirs; i++)
        free(h->dirs[i]);
    free(h->dirs);
    if (h->ltdl_ready && --ltdl_users == 0)
        lt_dlexit();
    free(h);
}

/* ---- the host API handed to plugins ---- */

static void context_vlog(ri_context *ctx, ri_log_level level, const char *fmt, va_list ap)
{
    char msg[1024], line[1280];
    ri_log_kind *kind = NULL;

    vsnprintf(msg, sizeof msg, fmt, ap);
    if (level == RI_LOG_WARNING)
        ctx->warnings++;
    /* A plugin that logs once per cell would bury everything else: the same format is shown a few times, then counted. */
    for (size_t k = 0; k < ctx->n_kinds && !kind; k++)
        if (ctx->kinds[k].level == level && strcmp(ctx->kinds[k].fmt, fmt) == 0)
            kind = &ctx->kinds[k];
    if (!kind && ctx->n_kinds < RI_LOG_KINDS) {
        kind = &ctx->kinds[ctx->n_kinds++];
        kind->level = level;
        kind->fmt = fmt;
        size_t len = strnlen(msg, sizeof kind->first - 1);
        kind->n = 0;
        memcpy(kind->first, msg, len);
        kind->first[len] = '\0';
    }
    if (kind && kind->n++ >= RI_LOG_SHOWN)
        return;
    if (!ctx->sink)
        return;
    snprintf(line, sizeof line, "indicator %s (plugin %s): %s", ctx->indicator, ctx->plugin, msg);
    ctx->sink(ctx->sink_user, level, line);
}

void ri_context_log(ri_context *ctx, ri_log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    context_vlog(ctx, level, fmt, ap);
    va_end(ap);
}

void ri_context_log_repeats(ri_context *ctx)
{
    char line[1280];
    for (size_t k = 0; k < ctx->n_kinds; k++) {
        const ri_log_kind *kind = &ctx->kinds[k];
        if (kind->n <= RI_LOG_SHOWN || !ctx->sink)
            continue;
        snprintf(line, sizeof line, "indicator %s (plugin %s): ... and %zu more like this: %s",
                 ctx->indicator, ctx->plugin, kind->n - RI_LOG_SHOWN, kind->first);
        ctx->sink(ctx->sink_user, kind->level, line);
    }
    ctx->n_kinds = 0;
}

static ri_status api_error(ri_context *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->message, sizeof ctx->message, fmt, ap);
    va_end(ap);
    ctx->failed = 1;
    return RI_FAIL;
}

static void api_set_unit(ri_context *ctx, size_t output, const char *unit)
{
    char *copy;
    if (output >= ctx->n_outputs) {
        ri_context_log(ctx, RI_LOG_WARNING, "set_unit names output %zu, but the plugin declares %zu output%s (0 to %zu); the unit \"%s\" was ignored",
                       output, ctx->n_outputs, ctx->n_outputs == 1 ? "" : "s", ctx->n_outputs - 1, unit ? unit : "(null)");
        return;
    }
    if (!unit || !*unit || !(copy = strdup(unit)))
        return;
    free(ctx->units[output]);
    ctx->units[output] = copy;
}

static ri_status api_fit_linear(ri_context *ctx, const double *x, const double *y, size_t n,
                                double *c0, double *c1, double *se_c1, double *r2)
{
    ri_error e;
    if (ri_stats_fit_linear(x, y, n, c0, c1, se_c1, r2, &e) != RI_RC_OK)
        return api_error(ctx, "%s", e.msg);
    return RI_OK;
}

static const ri_host host_api = {
    sizeof(ri_host), RI_ABI_MAJOR, RI_ABI_MINOR,
    ri_context_log, api_error, api_set_unit,
    ri_stats_mean, ri_stats_quantile, ri_stats_sd, api_fit_linear,
};

const ri_host *ri_host_api(void)
{
    return &host_api;
}
