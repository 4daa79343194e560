/* manifest.c — hashing a run's inputs and writing and reading its manifest (see manifest.h). */
/* realpath() is an XSI function in glibc's headers. */
#define _XOPEN_SOURCE 700
#include "manifest.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <regind/plugin.h>

#include "geo.h"
#include "numfmt.h"
#include "output_json.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

/* Bumped when the meaning of a member changes; readers check it. */
#define MANIFEST_VERSION 1
/* A manifest is a few kilobytes per input; anything far larger is not one. */
#define MANIFEST_MAX (16L * 1024 * 1024)

void ri_iso_time(time_t t, char buf[32])
{
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(buf, 32, "%lld", (long long)t);
}

/* ------------------------------------------------------------ paths and files */

static char *dir_part(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t len = !slash ? 1 : slash == path ? 1 : (size_t)(slash - path);
    char *d = malloc(len + 1);
    if (d) {
        memcpy(d, slash ? path : ".", len);
        d[len] = '\0';
    }
    return d;
}

/*
 * The absolute name of path, so a manifest means the same wherever it is
 * read. Inputs resolve fully (a symlink such as latest.csv records the
 * release it points to); outputs keep their own name, which is what a run
 * replaces, and resolve their directory only.
 */
static char *absolute(const char *path, int follow_last)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    char *dir, *real, *out;

    if (follow_last && (real = realpath(path, NULL)))
        return real;
    if (!(dir = dir_part(path)))
        return NULL;
    real = realpath(dir, NULL);
    free(dir);
    if (!real)
        return strdup(path);
    if ((out = malloc(strlen(real) + strlen(base) + 2)))
        sprintf(out, "%s%s%s", real, strcmp(real, "/") == 0 ? "" : "/", base);
    free(real);
    return out;
}

/* Path, size and modification time; the digest is left empty. */
static ri_rc stat_info(const char *path, ri_file_info *fi, ri_error *err)
{
    struct stat st;

    if (!(fi->path = absolute(path, 1)))
        return ri_oom(err);
    if (stat(path, &st) != 0)
        return ri_fail(err, RI_RC_DATA, "%s: cannot read: %s", path, strerror(errno));
    fi->size = (unsigned long long)st.st_size;
    fi->mtime_s = (long long)st.st_mtim.tv_sec;
    fi->mtime_ns = st.st_mtim.tv_nsec;
    fi->sha256[0] = '\0';
    return RI_RC_OK;
}

/* The digest of a file stat_info() described; a different length means it changed since. */
static ri_rc hash_info(ri_file_info *fi, ri_error *err)
{
    unsigned long long bytes;

    if (ri_sha256_file(fi->path, fi->sha256, &bytes, err))
        return err->code;
    if (bytes != fi->size)
        return ri_fail(err, RI_RC_DATA,
                       "%s: changed while the run read it (new data landing?); no output was replaced, run again once it is complete",
                       fi->path);
    return RI_RC_OK;
}

static ri_rc file_info(const char *path, ri_file_info *fi, ri_error *err)
{
    ri_rc rc = stat_info(path, fi, err);
    return rc ? rc : hash_info(fi, err);
}

/*
 * The shared object a libtool .la file names: dlname in the .la's
 * directory, or in .libs there for a library that is not installed (the
 * build tree), as libltdl looks for it. NULL when there is none to be found.
 */
static char *la_library(const char *la)
{
    char line[1024], dlname[512] = "";
    int installed = 1;
    char *dir, *path = NULL;
    FILE *f = fopen(la, "r");

    if (!f)
        return NULL;
    while (fgets(line, sizeof line, f)) {
        char *end;
        if (strncmp(line, "dlname='", 8) == 0 && (end = strchr(line + 8, '\'')) && (size_t)(end - line - 8) < sizeof dlname) {
            memcpy(dlname, line + 8, (size_t)(end - line - 8));
            dlname[end - line - 8] = '\0';
        } else if (strncmp(line, "installed=no", 12) == 0)
            installed = 0;
    }
    fclose(f);
    if (!dlname[0] || strchr(dlname, '/') || !(dir = dir_part(la)))
        return NULL;
    for (int k = 0; k < 2 && !path; k++) {
        int in_libs = installed ? k == 1 : k == 0;
        char *p = malloc(strlen(dir) + strlen(dlname) + 8);
        struct stat st;
        if (!p)
            break;
        sprintf(p, "%s/%s%s", dir, in_libs ? ".libs/" : "", dlname);
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
            path = p;
        else
            free(p);
    }
    free(dir);
    return path;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/* ------------------------------------------------------------ collecting */

static ri_rc add_plugin(ri_manifest *m, const ri_loaded *l, ri_error *err)
{
    ri_manifest_plugin *p = &m->plugins[m->n_plugins];
    char *lib;

    for (size_t i = 0; i < m->n_plugins; i++)
        if (strcmp(m->plugins[i].name, l->name) == 0)
            return RI_RC_OK;
    m->n_plugins++;
    if (!(p->name = strdup(l->name)) || !(p->version = strdup(l->desc->version)))
        return ri_oom(err);
    p->abi_major = l->desc->abi_major;
    p->abi_minor = l->desc->abi_minor;
    if (file_info(l->path, &p->file, err))
        return err->code;
    if (!ends_with(l->path, ".la") || !(lib = la_library(l->path)))
        return RI_RC_OK;
    {
        ri_rc rc = file_info(lib, &p->library, err);
        free(lib);
        return rc;
    }
}

static void feed(ri_sha256 *s, const char *fmt, ...) RI_PRINTF(2, 3);
static void feed(ri_sha256 *s, const char *fmt, ...)
{
    char line[8192];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n > 0)
        ri_sha256_update(s, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/*
 * Contents, not names or times: the same bytes under another path give
 * the same results, and touching a file changes nothing. Dataset ids are
 * in because they say which file plays which part.
 */
static void fingerprint(ri_manifest *m)
{
    unsigned char d[RI_SHA256_SIZE];
    ri_sha256 s;

    ri_sha256_init(&s);
    feed(&s, "regind-manifest %d\nregind %s\nconfig %s\n", MANIFEST_VERSION, PACKAGE_VERSION, m->config.sha256);
    for (size_t i = 0; i < m->n_includes; i++)
        feed(&s, "include %s\n", m->includes[i].sha256);
    for (size_t i = 0; i < m->n_inputs; i++)
        feed(&s, "%s %s %s\n", m->inputs[i].kind, m->inputs[i].id, m->inputs[i].file.sha256);
    for (size_t i = 0; i < m->n_plugins; i++)
        feed(&s, "plugin %s %s %s\n", m->plugins[i].name, m->plugins[i].file.sha256,
             m->plugins[i].library.path ? m->plugins[i].library.sha256 : "-");
    feed(&s, "period %s\n", m->period ? m->period : "*");
    /* Another --param is another computation: a run with it is never "unchanged". */
    for (size_t i = 0; i < m->n_overrides; i++)
        feed(&s, "override %s\n", m->overrides[i]);
    ri_sha256_final(&s, d);
    ri_sha256_hex(d, m->fingerprint);
}

ri_rc ri_manifest_collect(const ri_job *job, ri_plugin_host *host, const char *period,
                          const char *output_dir, int defer_inputs, ri_manifest **out, ri_error *err)
{
    ri_manifest *m = calloc(1, sizeof *m);
    size_t n_inputs = job->n_datasets + job->n_lookups;
    ri_rc rc = RI_RC_OK;

    *out = NULL;
    if (!m || !(m->includes = calloc(job->n_files + 1, sizeof *m->includes))
        || !(m->inputs = calloc(n_inputs + 1, sizeof *m->inputs))
        || !(m->plugins = calloc(job->n_indicators + 1, sizeof *m->plugins))
        || (period && !(m->period = strdup(period))) || (output_dir && !(m->output_dir = strdup(output_dir)))) {
        ri_manifest_free(m);
        return ri_oom(err);
    }
    m->overrides = (const char *const *)job->overrides;
    m->n_overrides = job->n_overrides;
    rc = file_info(job->path, &m->config, err);
    for (size_t i = 0; !rc && i < job->n_files; i++)
        if (strcmp(job->files[i], job->path) != 0)
            rc = file_info(job->files[i], &m->includes[m->n_includes++], err);
    for (size_t i = 0; !rc && i < n_inputs; i++) {
        ri_manifest_input *in = &m->inputs[m->n_inputs++];
        int ds = i < job->n_datasets;
        const char *id = ds ? job->datasets[i].id : job->lookups[i - job->n_datasets].id;
        const char *path = ds ? job->datasets[i].path : job->lookups[i - job->n_datasets].path;
        in->kind = ds ? "dataset" : "lookup";
        if (!(in->id = strdup(id)) || (ds && job->datasets[i].sheet && !(in->sheet = strdup(job->datasets[i].sheet))))
            rc = ri_oom(err);
        else
            rc = defer_inputs ? stat_info(path, &in->file, err) : file_info(path, &in->file, err);
    }
    for (size_t k = 0; !rc && k < job->n_indicators; k++) {
        const ri_loaded *l;
        rc = ri_host_load(host, job->indicators[k].plugin, &l, err);
        if (!rc)
            rc = add_plugin(m, l, err);
    }
    if (rc) {
        ri_manifest_free(m);
        return rc;
    }
    if (defer_inputs)
        m->hashing = RI_HASH_PENDING;
    else
        fingerprint(m);
    *out = m;
    return RI_RC_OK;
}

static void *hash_inputs(void *arg)
{
    ri_manifest *m = arg;

    ri_error_clear(&m->hash_err);
    for (size_t i = 0; i < m->n_inputs && !m->hash_err.code; i++)
        hash_info(&m->inputs[i].file, &m->hash_err);
    return NULL;
}

void ri_manifest_hash_begin(ri_manifest *m)
{
    if (m->hashing != RI_HASH_PENDING)
        return;
    /* Without a thread the digests are taken in ri_manifest_hash_end(). */
    if (pthread_create(&m->hash_thread, NULL, hash_inputs, m) == 0)
        m->hashing = RI_HASH_RUNNING;
}

ri_rc ri_manifest_hash_end(ri_manifest *m, ri_error *err)
{
    if (m->hashing == RI_HASH_RUNNING)
        pthread_join(m->hash_thread, NULL);
    else if (m->hashing == RI_HASH_PENDING)
        hash_inputs(m);
    else
        return RI_RC_OK;
    m->hashing = RI_HASH_DONE;
    if (m->hash_err.code) {
        *err = m->hash_err;
        return err->code;
    }
    fingerprint(m);
    return RI_RC_OK;
}

static void file_info_free(ri_file_info *fi)
{
    free(fi->path);
}

void ri_manifest_free(ri_manifest *m)
{
    if (!m)
        return;
    if (m->hashing == RI_HASH_RUNNING)
        pthread_join(m->hash_thread, NULL);
    file_info_free(&m->config);
    for (size_t i = 0; i < m->n_includes; i++)
        file_info_free(&m->includes[i]);
    free(m->includes);
    for (size_t i = 0; i < m->n_inputs; i++) {
        free(m->inputs[i].id);
        free(m->inputs[i].sheet);
        file_info_free(&m->inputs[i].file);
    }
    free(m->inputs);
    for (size_t i = 0; i < m->n_plugins; i++) {
        free(m->plugins[i].name);
        free(m->plugins[i].version);
        file_info_free(&m->plugins[i].file);
        file_info_free(&m->plugins[i].library);
    }
    free(m->plugins);
    free(m->period);
    free(m->output_dir);
    free(m);
}

static ri_rc same_file(const ri_file_info *fi, ri_error *err)
{
    struct stat st;
    if (!fi->path)
        return RI_RC_OK;
    if (stat(fi->path, &st) != 0)
        return ri_fail(err, RI_RC_DATA, "%s: disappeared while the run read it: %s; no output was replaced, run again",
                       fi->path, strerror(errno));
    if ((unsigned long long)st.st_size != fi->size || (long long)st.st_mtim.tv_sec != fi->mtime_s
        || st.st_mtim.tv_nsec != fi->mtime_ns)
        return ri_fail(err, RI_RC_DATA,
                       "%s: changed while the run read it (new data landing?); no output was replaced, run again once it is complete",
                       fi->path);
    return RI_RC_OK;
}

ri_rc ri_manifest_check_unchanged(const ri_manifest *m, ri_error *err)
{
    if (same_file(&m->config, err))
        return err->code;
    for (size_t i = 0; i < m->n_includes; i++)
        if (same_file(&m->includes[i], err))
            return err->code;
    for (size_t i = 0; i < m->n_inputs; i++)
        if (same_file(&m->inputs[i].file, err))
            return err->code;
    for (size_t i = 0; i < m->n_plugins; i++)
        if (same_file(&m->plugins[i].file, err) || same_file(&m->plugins[i].library, err))
            return err->code;
    return RI_RC_OK;
}

/* ------------------------------------------------------------ outputs digest */

/* The running outputs digest: one "PATH<TAB>SHA256" line per output, in job order. */
typedef struct digest {
    ri_sha256 s;
} digest;

static void digest_add(digest *d, const char *path, const char *sha256)
{
    char *abs = absolute(path, 0);
    feed(&d->s, "%s\t%s\n", abs ? abs : path, sha256);
    free(abs);
}

static void digest_end(digest *d, char hex[RI_SHA256_HEX])
{
    unsigned char raw[RI_SHA256_SIZE];
    ri_sha256_final(&d->s, raw);
    ri_sha256_hex(raw, hex);
}

void ri_manifest_outputs_digest(const ri_written *w, size_t n, char hex[RI_SHA256_HEX])
{
    digest d;
    ri_sha256_init(&d.s);
    for (size_t i = 0; i < n; i++)
        digest_add(&d, w[i].path, w[i].sha256);
    digest_end(&d, hex);
}

/* ------------------------------------------------------------ writing */

/* "key": "value" members of one JSON object line. */
static void put_member(FILE *f, const char *key, const char *value, int first)
{
    fprintf(f, "%s\"%s\": ", first ? "" : ", ", key);
    ri_json_put_string(f, value);
}

static void put_count(FILE *f, const char *key, unsigned long long v)
{
    fprintf(f, ", \"%s\": %llu", key, v);
}

/* path, size, mtime and sha256 as members of the current object. */
static void put_file(FILE *f, const ri_file_info *fi, int first)
{
    char when[32];
    ri_iso_time((time_t)fi->mtime_s, when);
    put_member(f, "path", fi->path, first);
    put_count(f, "size", fi->size);
    put_member(f, "mtime", when, 0);
    put_member(f, "sha256", fi->sha256, 0);
}

static const ri_dataset_info *dataset_info(const ri_panel *p, const char *id)
{
    for (size_t d = 0; p && d < p->n_datasets; d++)
        if (strcmp(p->datasets[d].id, id) == 0)
            return &p->datasets[d];
    return NULL;
}

static void put_inputs(FILE *f, const ri_manifest *m, const ri_panel *panel)
{
    fputs("  \"inputs\": [", f);
    for (size_t i = 0; i < m->n_inputs; i++) {
        const ri_manifest_input *in = &m->inputs[i];
        const ri_dataset_info *info = strcmp(in->kind, "dataset") == 0 ? dataset_info(panel, in->id) : NULL;
        fputs(i ? ",\n    {" : "\n    {", f);
        put_member(f, "kind", in->kind, 1);
        put_member(f, "id", in->id, 0);
        if (in->sheet)
            put_member(f, "sheet", in->sheet, 0);
        put_file(f, &in->file, 0);
        if (info) {
            put_count(f, "rows_read", info->rows_read);
            put_count(f, "rows_kept", info->rows_kept);
            put_count(f, "cells_read", info->cells_read);
            put_count(f, "nan_cells", info->missing);
            put_count(f, "areas", info->n_areas);
            put_count(f, "periods", info->n_periods);
            put_member(f, "first_period", info->first_period, 0);
            put_member(f, "last_period", info->last_period, 0);
        }
        fputc('}', f);
    }
    fputs(m->n_inputs ? "\n  ],\n" : "],\n", f);
}

static void put_plugins(FILE *f, const ri_manifest *m)
{
    fputs("  \"plugins\": [", f);
    for (size_t i = 0; i < m->n_plugins; i++) {
        const ri_manifest_plugin *p = &m->plugins[i];
        char abi[32];
        snprintf(abi, sizeof abi, "%u.%u", p->abi_major, p->abi_minor);
        fputs(i ? ",\n    {" : "\n    {", f);
        put_member(f, "name", p->name, 1);
        put_member(f, "version", p->version, 0);
        put_member(f, "abi", abi, 0);
        put_file(f, &p->file, 0);
        if (p->library.path) {
            fputs(", \"library\": {", f);
            put_file(f, &p->library, 1);
            fputc('}', f);
        }
        fputc('}', f);
    }
    fputs(m->n_plugins ? "\n  ],\n" : "],\n", f);
}

/* , "key": ["a", "b"] as a member of the current object. */
static void put_strings(FILE *f, const char *key, char *const *v, size_t n)
{
    fprintf(f, ", \"%s\": [", key);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ", " : "", f);
        ri_json_put_string(f, v[i]);
    }
    fputc(']', f);
}

/* Sums that left members out or kept missing cells, and areas that share members (panel.h). */
static void put_coverage(FILE *f, const ri_panel *p)
{
    size_t n = p ? p->n_coverage : 0;
    fputs("  \"coverage\": [", f);
    for (size_t k = 0; k < n; k++) {
        const ri_coverage *cv = &p->coverage[k];
        char num[RI_NUMBER_TEXT_MAX];
        fputs(k ? ",\n    {" : "\n    {", f);
        put_member(f, "source", cv->source, 1);
        put_member(f, "area", cv->area, 0);
        put_member(f, "measure", cv->measure, 0);
        put_member(f, "members_rule", ri_geo_rule_name(cv->rule), 0);
        put_count(f, "members", cv->n_members);
        put_count(f, "members_used", cv->n_used);
        put_strings(f, "left_out", cv->left_out, cv->n_left_out);
        ri_format_number(cv->share, num);
        fprintf(f, ", \"share_pct\": %s", isnan(cv->share) ? "null" : num);
        put_member(f, "share_period", cv->share_period, 0);
        put_count(f, "nan_cells", cv->nan_cells);
        fputc('}', f);
    }
    fputs(n ? "\n  ],\n  \"overlaps\": [" : "],\n  \"overlaps\": [", f);
    for (size_t k = 0; p && k < p->n_overlaps; k++) {
        const ri_overlap *ov = &p->overlaps[k];
        fputs(k ? ",\n    {" : "\n    {", f);
        put_member(f, "type", ov->type, 1);
        put_count(f, "areas", ov->n_areas);
        put_count(f, "extra_memberships", ov->n_extra);
        put_strings(f, "shared_members", ov->shared, ov->n_shared);
        fputc('}', f);
    }
    fputs(p && p->n_overlaps ? "\n  ],\n" : "],\n", f);
}

static void put_manifest(FILE *f, const ri_manifest *m, const ri_manifest_run *run)
{
    const ri_job *job = run->job;
    char started[32], finished[32], outputs[RI_SHA256_HEX], abi[32];

    ri_iso_time(run->started, started);
    ri_iso_time(run->finished, finished);
    ri_manifest_outputs_digest(run->outputs, run->n_outputs, outputs);
    snprintf(abi, sizeof abi, "%d.%d", RI_ABI_MAJOR, RI_ABI_MINOR);
    fprintf(f, "{\n  \"manifest_version\": %d,\n  ", MANIFEST_VERSION);
    put_member(f, "regind_version", PACKAGE_VERSION, 1);
    fputs(",\n  ", f);
    put_member(f, "plugin_abi", abi, 1);
    fputs(",\n  ", f);
    put_member(f, "started", started, 1);
    fputs(",\n  ", f);
    put_member(f, "finished", finished, 1);
    fputs(",\n  ", f);
    put_member(f, "fingerprint", m->fingerprint, 1);
    fputs(",\n  ", f);
    put_member(f, "outputs_digest", outputs, 1);
    fputs(",\n  \"config\": {", f);
    put_file(f, &m->config, 1);
    fputs("},\n  \"includes\": [", f);
    for (size_t i = 0; i < m->n_includes; i++) {
        fputs(i ? ", {" : "{", f);
        put_file(f, &m->includes[i], 1);
        fputc('}', f);
    }
    fputs("],\n  \"options\": {", f);
    put_member(f, "period", m->period, 1);
    put_member(f, "output_dir", m->output_dir, 0);
    fputs(", \"params\": [", f);
    for (size_t i = 0; i < m->n_overrides; i++) {
        fputs(i ? ", " : "", f);
        ri_json_put_string(f, m->overrides[i]);
    }
    fputs("]},\n", f);
    put_inputs(f, m, run->panel);
    put_plugins(f, m);
    fputs("  \"indicators\": [", f);
    for (size_t k = 0; k < job->n_indicators; k++) {
        fputs(k ? ",\n    {" : "\n    {", f);
        put_member(f, "id", job->indicators[k].id, 1);
        put_member(f, "plugin", job->indicators[k].plugin, 0);
        fputc('}', f);
    }
    fputs(job->n_indicators ? "\n  ],\n" : "],\n", f);
    put_coverage(f, run->panel);
    fprintf(f, "  \"warnings\": %zu,\n  \"warning_texts\": [", run->warnings);
    for (size_t k = 0; k < run->n_warning_texts; k++) {
        fputs(k ? ",\n    " : "\n    ", f);
        ri_json_put_string(f, run->warning_texts[k]);
    }
    fputs(run->n_warning_texts ? "\n  ],\n  \"outputs\": [" : "],\n  \"outputs\": [", f);
    for (size_t i = 0; i < run->n_outputs; i++) {
        const ri_written *w = &run->outputs[i];
        char *abs = absolute(w->path, 0);
        fputs(i ? ",\n    {" : "\n    {", f);
        put_member(f, "path", abs ? abs : w->path, 1);
        put_member(f, "format", w->format, 0);
        put_count(f, "size", w->bytes);
        put_member(f, "sha256", w->sha256, 0);
        fputc('}', f);
        free(abs);
    }
    fputs(run->n_outputs ? "\n  ]\n}\n" : "]\n}\n", f);
}

/*
 * Composed in memory, then written in one call: a write that fails (a full
 * disk, a file size limit) is reported with its own errno, which the many
 * calls of composing would otherwise overwrite before anyone read it.
 */
ri_rc ri_manifest_write(FILE *f, const ri_manifest *m, const ri_manifest_run *run, ri_error *err)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    int composed;

    if (!mem)
        return ri_oom(err);
    put_manifest(mem, m, run);
    composed = !ferror(mem);
    if (fclose(mem) != 0 || !composed) {
        free(text);
        return ri_oom(err);
    }
    errno = 0;
    if (fwrite(text, 1, len, f) != len) {
        int e = errno ? errno : EIO;
        free(text);
        return ri_fail(err, RI_RC_DATA, "write failed: %s", strerror(e));
    }
    free(text);
    return RI_RC_OK;
}

/* ------------------------------------------------------------ reading the previous manifest */

/*
 * The string value of a top-level key of a manifest this module wrote.
 * Inside a JSON string every '"' is escaped, so "key" followed by ':' can
 * only be a key; manifests have no nested key of these names.
 */
static int string_member(const char *text, const char *key, char *out, size_t size)
{
    size_t lk = strlen(key);
    const char *p = text;

    while ((p = strstr(p, key))) {
        const char *q = p + lk;
        if (p > text && p[-1] == '"' && *q == '"') {
            size_t n = 0;
            for (q++; *q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'; q++)
                ;
            if (*q++ != ':')
                return 0;
            for (; *q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'; q++)
                ;
            if (*q++ != '"')
                return 0;
            while (q[n] && q[n] != '"' && q[n] != '\\' && n + 1 < size)
                n++;
            if (q[n] != '"')
                return 0;
            memcpy(out, q, n);
            out[n] = '\0';
            return 1;
        }
        p = q;
    }
    return 0;
}

static char *read_text(const char *path, int *e)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0, n;

    *e = 0;
    if (!f) {
        *e = errno;
        return NULL;
    }
    do {
        if (cap - len < 4096) {
            char *grown = cap >= (size_t)MANIFEST_MAX ? NULL : realloc(buf, cap ? cap * 2 : 8192);
            if (!grown) {
                *e = cap >= (size_t)MANIFEST_MAX ? EFBIG : ENOMEM;
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = grown;
            cap = cap ? cap * 2 : 8192;
        }
        n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
    } while (n > 0);
    if (ferror(f)) {
        *e = errno ? errno : EIO;
        free(buf);
        buf = NULL;
    } else
        buf[len] = '\0';
    fclose(f);
    return buf;
}

ri_rc ri_manifest_compare(const ri_manifest *m, const char *path, char *const *outputs, size_t n,
                          int *unchanged, char since[32], char *why, size_t why_size, ri_error *err)
{
    char fp[RI_SHA256_HEX], od[RI_SHA256_HEX], now[RI_SHA256_HEX];
    digest d;
    int e;
    char *text = read_text(path, &e);

    *unchanged = 0;
    since[0] = '\0';
    if (!text) {
        if (e == ENOMEM)
            return ri_oom(err);
        if (e == ENOENT)
            snprintf(why, why_size, "no manifest of a previous run (%s)", path);
        else
            snprintf(why, why_size, "cannot read the manifest %s: %s", path, strerror(e));
        return RI_RC_OK;
    }
    if (!string_member(text, "fingerprint", fp, sizeof fp) || !string_member(text, "outputs_digest", od, sizeof od)
        || !string_member(text, "finished", since, 32)) {
        free(text);
        since[0] = '\0';
        snprintf(why, why_size, "the manifest %s is not one regind wrote (no fingerprint)", path);
        return RI_RC_OK;
    }
    free(text);
    if (strcmp(fp, m->fingerprint) != 0) {
        snprintf(why, why_size, "the job, its inputs, plugins or period changed since the run that finished %s", since);
        return RI_RC_OK;
    }
    ri_sha256_init(&d.s);
    for (size_t i = 0; i < n; i++) {
        char hex[RI_SHA256_HEX];
        ri_error ignored;
        if (ri_sha256_file(outputs[i], hex, NULL, &ignored)) {
            snprintf(why, why_size, "output %s is missing or unreadable", outputs[i]);
            return RI_RC_OK;
        }
        digest_add(&d, outputs[i], hex);
    }
    digest_end(&d, now);
    if (strcmp(now, od) != 0) {
        snprintf(why, why_size, "the outputs are not the ones the run that finished %s wrote", since);
        return RI_RC_OK;
    }
    *unchanged = 1;
    why[0] = '\0';
    return RI_RC_OK;
}
