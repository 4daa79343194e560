/* run.c — the plan, checks and all-or-nothing output phase of `regind run` (see run.h). */
#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output_csv.h"
#include "output_json.h"
#include "report.h"
#include "output_xlsx.h"

#define TEMP_MARK ".regind-tmp-"
/* mkstemp replaces exactly these six characters. */
#define TEMP_SUFFIX "XXXXXX"

/* ------------------------------------------------------------ paths */

static const char *base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t len;
    char *d;

    if (!slash)
        return strdup(".");
    len = slash == path ? 1 : (size_t)(slash - path);
    if (!(d = malloc(len + 1)))
        return NULL;
    memcpy(d, path, len);
    d[len] = '\0';
    return d;
}

static char *join(const char *dir, const char *name)
{
    size_t ld = strlen(dir);
    char *p = malloc(ld + strlen(name) + 2);
    if (p)
        sprintf(p, "%s%s%s", dir, ld && dir[ld - 1] == '/' ? "" : "/", name);
    return p;
}

/* "DIR/.regind-tmp-NAME-XXXXXX" for the final path DIR/NAME. */
static char *temp_template(const char *final)
{
    const char *base = base_of(final);
    size_t dir_len = (size_t)(base - final);
    char *t = malloc(strlen(final) + sizeof TEMP_MARK + sizeof TEMP_SUFFIX + 1);
    if (t)
        sprintf(t, "%.*s" TEMP_MARK "%s-" TEMP_SUFFIX, (int)dir_len, final, base);
    return t;
}

/* Whether entry is a temporary file of the final file called base. */
static int is_temp_of(const char *entry, const char *base)
{
    size_t lm = strlen(TEMP_MARK), lb = strlen(base);
    const char *rest;

    if (strncmp(entry, TEMP_MARK, lm) != 0 || strncmp(entry + lm, base, lb) != 0 || entry[lm + lb] != '-')
        return 0;
    rest = entry + lm + lb + 1;
    if (strlen(rest) != strlen(TEMP_SUFFIX))
        return 0;
    for (; *rest; rest++)
        if (!((*rest >= 'a' && *rest <= 'z') || (*rest >= 'A' && *rest <= 'Z') || (*rest >= '0' && *rest <= '9')))
            return 0;
    return 1;
}

/* ------------------------------------------------------------ the plan */

/* JOB.manifest.json for the job file JOB.cfg. */
static char *default_manifest(const char *home, const char *job_path)
{
    const char *base = base_of(job_path);
    size_t len = strlen(base);
    char *name, *path;

    if (len > 4 && strcmp(base + len - 4, ".cfg") == 0)
        len -= 4;
    if (!(name = malloc(len + sizeof ".manifest.json")))
        return NULL;
    sprintf(name, "%.*s.manifest.json", (int)len, base);
    path = join(home, name);
    free(name);
    return path;
}

/*
 * What a path names, so that two spellings of one file (relative and
 * absolute, "..", a linked directory, a hard link) are seen as one: an
 * existing file by its device and inode, a file still to be created by
 * its directory's and its own name.
 */
typedef struct file_id {
    int known;  /* 0: neither the file nor its directory could be looked at */
    int exists;
    dev_t dev;
    ino_t ino;
    const char *name; /* when !exists */
} file_id;

static file_id identify(const char *path)
{
    file_id id = {0, 0, 0, 0, NULL};
    struct stat st;
    char *dir;

    if (stat(path, &st) == 0) {
        id.known = id.exists = 1;
    } else if ((dir = dir_of(path))) {
        id.known = stat(dir, &st) == 0;
        id.name = base_of(path);
        free(dir);
    }
    id.dev = st.st_dev;
    id.ino = st.st_ino;
    return id;
}

static int same_file(const char *a, const char *b)
{
    file_id x, y;
    if (strcmp(a, b) == 0)
        return 1;
    x = identify(a);
    y = identify(b);
    return x.known && y.known && x.exists == y.exists && x.dev == y.dev && x.ino == y.ino &&
           (x.exists || strcmp(x.name, y.name) == 0);
}

static ri_rc check_distinct(const ri_run_plan *plan, const char *output_dir, ri_error *err)
{
    for (size_t i = 0; i < plan->n_outputs; i++) {
        for (size_t j = 0; j < i; j++) {
            if (!same_file(plan->outputs[i], plan->outputs[j]))
                continue;
            if (output_dir)
                return ri_fail(err, RI_RC_USAGE,
                               "--output-dir %s: outputs #%zu and #%zu would both be written to %s; expected outputs with distinct file names",
                               output_dir, j + 1, i + 1, plan->outputs[i]);
            return ri_fail(err, RI_RC_USAGE, "%s: outputs #%zu and #%zu name this one file (#%zu as %s); expected distinct files",
                           plan->outputs[i], j + 1, i + 1, j + 1, plan->outputs[j]);
        }
        if (same_file(plan->outputs[i], plan->manifest))
            return ri_fail(err, RI_RC_USAGE,
                           "%s: the run manifest would replace output #%zu (%s); expected run.manifest to name another file",
                           plan->manifest, i + 1, plan->outputs[i]);
        if (same_file(plan->outputs[i], plan->lock))
            return ri_fail(err, RI_RC_USAGE,
                           "%s: the lock file would be output #%zu (%s); expected run.lock_file to name another file",
                           plan->lock, i + 1, plan->outputs[i]);
    }
    if (same_file(plan->manifest, plan->lock))
        return ri_fail(err, RI_RC_USAGE, "%s: the lock file would be the run manifest (%s); expected two files",
                       plan->lock, plan->manifest);
    return RI_RC_OK;
}

ri_rc ri_run_plan_make(const ri_job *job, const char *output_dir, ri_run_plan *plan, ri_error *err)
{
    const ri_run_cfg *run = &job->run;
    char *home = NULL;
    int bad;

    memset(plan, 0, sizeof *plan);
    if (!(plan->outputs = calloc(job->n_outputs ? job->n_outputs : 1, sizeof *plan->outputs)))
        return ri_oom(err);
    for (size_t i = 0; i < job->n_outputs; i++) {
        const char *path = job->outputs[i].path;
        if (!(plan->outputs[i] = output_dir ? join(output_dir, base_of(path)) : strdup(path))) {
            ri_run_plan_free(plan);
            return ri_oom(err);
        }
        plan->n_outputs = i + 1;
    }
    home = output_dir ? strdup(output_dir) : plan->n_outputs ? dir_of(plan->outputs[0]) : strdup(job->dir);
    bad = !home;
    if (!bad && run->manifest)
        bad = !(plan->manifest = output_dir ? join(output_dir, base_of(run->manifest)) : strdup(run->manifest));
    else if (!bad)
        bad = !(plan->manifest = default_manifest(home, job->path));
    if (!bad)
        bad = !(plan->lock = run->lock_file ? strdup(run->lock_file) : join(home, ".regind.lock"));
    free(home);
    if (bad) {
        ri_run_plan_free(plan);
        return ri_oom(err);
    }
    if (check_distinct(plan, output_dir, err)) {
        ri_run_plan_free(plan);
        return err->code;
    }
    return RI_RC_OK;
}

void ri_run_plan_free(ri_run_plan *plan)
{
    for (size_t i = 0; plan->outputs && i < plan->n_outputs; i++)
        free(plan->outputs[i]);
    free(plan->outputs);
    free(plan->manifest);
    free(plan->lock);
    memset(plan, 0, sizeof *plan);
}

static ri_rc check_dir(const char *file, const char *what, ri_error *err)
{
    char *dir = dir_of(file);
    struct stat st;
    ri_rc rc = RI_RC_OK;

    if (!dir)
        return ri_oom(err);
    if (stat(dir, &st) != 0)
        rc = ri_fail(err, RI_RC_DATA, "%s: the directory of %s %s does not exist: %s", dir, what, file,
                     strerror(errno));
    else if (!S_ISDIR(st.st_mode))
        rc = ri_fail(err, RI_RC_DATA, "%s: is not a directory; expected the directory of %s %s", dir, what, file);
    else if (access(dir, W_OK | X_OK) != 0)
        rc = ri_fail(err, RI_RC_DATA, "%s: cannot write in the directory of %s %s: %s", dir, what, file,
                     strerror(errno));
    free(dir);
    return rc;
}

ri_rc ri_run_plan_check(const ri_run_plan *plan, ri_error *err)
{
    for (size_t i = 0; i < plan->n_outputs; i++)
        if (check_dir(plan->outputs[i], "output", err))
            return err->code;
    if (check_dir(plan->manifest, "the manifest", err) || check_dir(plan->lock, "the lock file", err))
        return err->code;
    return RI_RC_OK;
}

/* ------------------------------------------------------------ stale temporary files */

static ri_rc clean_one(const char *final, void (*removed)(void *, const char *), void *user, ri_error *err)
{
    char *dir = dir_of(final);
    const char *base = base_of(final);
    struct dirent *e;
    ri_rc rc = RI_RC_OK;
    DIR *d;

    if (!dir)
        return ri_oom(err);
    if (!(d = opendir(dir))) {
        /* A missing directory holds no stale files; writing there fails later with a clear message. */
        if (errno != ENOENT)
            rc = ri_fail(err, RI_RC_DATA, "%s: cannot list the directory to remove stale temporary files: %s",
                         dir, strerror(errno));
        free(dir);
        return rc;
    }
    while (!rc && (e = readdir(d))) {
        struct stat st;
        char *path;
        if (!is_temp_of(e->d_name, base))
            continue;
        if (!(path = join(dir, e->d_name))) {
            rc = ri_oom(err);
            break;
        }
        /* Another user's file is not ours to remove, whatever its name. */
        if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid()) {
            if (unlink(path) != 0)
                rc = ri_fail(err, RI_RC_DATA, "%s: cannot remove a temporary file left by an interrupted run: %s",
                             path, strerror(errno));
            else if (removed)
                removed(user, path);
        }
        free(path);
    }
    closedir(d);
    free(dir);
    return rc;
}

ri_rc ri_run_clean_stale(const ri_run_plan *plan, void (*removed)(void *user, const char *path),
                         void *user, ri_error *err)
{
    for (size_t i = 0; i < plan->n_outputs; i++)
        if (clean_one(plan->outputs[i], removed, user, err))
            return err->code;
    return clean_one(plan->manifest, removed, user, err);
}

/* ------------------------------------------------------------ periods and policy */

ri_rc ri_run_period_mask(const ri_panel *panel, const char *period, const char *what,
                         unsigned char **mask, ri_error *err)
{
    size_t t;

    *mask = NULL;
    if (!period)
        return RI_RC_OK;
    t = ri_panel_period(panel, period);
    if (t == (size_t)-1) {
        if (panel->n_periods == 0)
            return ri_fail(err, RI_RC_USAGE, "%s %s: the data has no periods at all", what, period);
        return ri_fail(err, RI_RC_USAGE, "%s %s: no dataset has this period; expected one of %s to %s", what,
                       period, panel->periods[0], panel->periods[panel->n_periods - 1]);
    }
    if (!(*mask = calloc(panel->n_periods, 1)))
        return ri_oom(err);
    (*mask)[t] = 1;
    return RI_RC_OK;
}

/* 1: some column of the dataset has a value for period t; 0: none; -1: it supplies no column. */
static int has_period(const ri_panel *p, const char *dataset, size_t t)
{
    int supplies = 0;

    for (size_t c = 0; c < p->n_cols; c++) {
        const ri_column *col = &p->cols[c];
        size_t ni = col->n_ind;
        if (!col->dataset || strcmp(col->dataset, dataset) != 0)
            continue;
        supplies = 1;
        if (t == (size_t)-1)
            continue;
        for (size_t a = 0; a < p->n_areas; a++)
            for (size_t i = 0; i < ni; i++)
                if (!isnan(col->v[(a * p->n_periods + t) * ni + i]))
                    return 1;
    }
    return supplies ? 0 : -1;
}

static const ri_dataset_info *info_of(const ri_panel *p, const char *id)
{
    for (size_t d = 0; d < p->n_datasets; d++)
        if (strcmp(p->datasets[d].id, id) == 0)
            return &p->datasets[d];
    return NULL;
}

ri_rc ri_run_check_required(const ri_job *job, const ri_panel *panel, ri_error *err)
{
    const ri_run_cfg *run = &job->run;
    int listed = run->n_required_datasets > 0;
    size_t n = listed ? run->n_required_datasets : job->n_datasets, gaps = 0;
    char lacking[RI_ERROR_MAX] = "";
    size_t used = 0;

    for (size_t k = 0; k < run->n_required_periods; k++) {
        const char *period = run->required_periods[k];
        size_t t = ri_panel_period(panel, period);
        for (size_t d = 0; d < n; d++) {
            const char *id = listed ? run->required_datasets[d] : job->datasets[d].id;
            const ri_dataset_info *info = info_of(panel, id);
            int has = has_period(panel, id, t);
            char latest[96] = "";
            /* A dataset every measure of which comes from a preferred one is not used, so not required. */
            if (has == 1 || (has < 0 && !listed))
                continue;
            if (info && info->last_period)
                snprintf(latest, sizeof latest, " (latest period %s)", info->last_period);
            if (has < 0)
                snprintf(latest, sizeof latest, " (it supplies no measure: a preferred dataset replaces them)");
            if (used < sizeof lacking)
                used += (size_t)snprintf(lacking + used, sizeof lacking - used, "%s%s in dataset \"%s\"%s",
                                         gaps ? ", " : "", period, id, latest);
            gaps++;
        }
    }
    if (!gaps)
        return RI_RC_OK;
    return ri_fail(err, RI_RC_PARTIAL,
                   "%s:%d: run.required_periods rejects partial inputs: no value for %s; expected every required dataset to have data for %s",
                   run->loc.file ? run->loc.file : job->path, run->loc.line, lacking,
                   run->n_required_periods == 1 ? "that period" : "those periods");
}

/* ------------------------------------------------------------ writing */

static const char *format_name(ri_format f)
{
    return f == RI_FORMAT_JSON ? "json" : f == RI_FORMAT_HTML ? "html" : f == RI_FORMAT_XLSX ? "xlsx" : "csv";
}

/* The report of an HTML output: its indicators (else the compare list), the compared type, and
   the one period written (else the compare period, else each indicator's latest). */
static ri_rc write_html(ri_sink *sink, const ri_job *job, const ri_output_cfg *o, const ri_results *r,
                        const unsigned char *periods, const ri_run_report *rep, ri_error *err)
{
    ri_report_opts ro;
    char *text = NULL;
    size_t size = 0;
    FILE *mem;
    ri_rc rc;

    if (!rep || !rep->manifest)
        return ri_fail(err, RI_RC_DATA, "an HTML output needs the run's manifest");
    memset(&ro, 0, sizeof ro);
    ro.indicators = (const char *const *)(o->indicators ? o->indicators : job->compare.indicators);
    ro.n_indicators = o->indicators ? o->n_indicators : job->compare.n_indicators;
    if (!ro.indicators)
        ro.n_indicators = 0;
    ro.area_type = job->compare.area_type ? job->compare.area_type : "LEP";
    ro.period = job->compare.period;
    for (size_t t = 0; periods && t < r->panel->n_periods; t++)
        if (periods[t])
            ro.period = r->panel->periods[t];
    ro.warnings = rep->warnings;
    ro.n_warnings = rep->n_warnings;
    ro.generated = rep->generated;
    if (!(mem = open_memstream(&text, &size)))
        return ri_oom(err);
    rc = ri_report_write(mem, job, r, rep->manifest, &ro, err);
    if (fclose(mem) != 0 && !rc)
        rc = ri_oom(err);
    if (!rc)
        ri_sink_write(sink, text, size);
    free(text);
    return rc;
}

static int listed(char *const *list, size_t n, const char *s)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(list[k], s) == 0)
            return 1;
    return 0;
}

/* The areas an output writes (area_types, members_of); NULL = all, and *mask stays NULL. */
static ri_rc output_areas(const ri_output_cfg *o, const ri_panel *p, unsigned char **mask, ri_error *err)
{
    *mask = NULL;
    if (!o->n_area_types && !o->n_members_of)
        return RI_RC_OK;
    if (!(*mask = calloc(p->n_areas ? p->n_areas : 1, 1)))
        return ri_oom(err);
    for (size_t a = 0; a < p->n_areas; a++) {
        int in = listed(o->area_types, o->n_area_types, p->area_types[a]);
        for (size_t k = 0; k < p->n_parents[a] && !in; k++)
            in = listed(o->members_of, o->n_members_of, p->area_types[p->parents[a][k]]);
        (*mask)[a] = (unsigned char)in;
    }
    return RI_RC_OK;
}

static ri_rc write_output(const ri_job *job, const ri_output_cfg *o, const ri_results *r,
                          const unsigned char *periods, const ri_run_report *rep, int fd, ri_written *w,
                          ri_error *err)
{
    ri_selection sel = {NULL, periods, (const char *const *)o->indicators, o->n_indicators, NULL};
    ri_sink_summary sum;
    ri_sink *sink;
    unsigned char *areas;
    ri_rc rc = output_areas(o, r->panel, &areas, err);

    if (rc || (rc = ri_sink_file(fd, &sink, err))) {
        free(areas);
        return rc;
    }
    sel.areas = areas;
    rc = o->format == RI_FORMAT_JSON   ? ri_write_json(sink, r, &sel, err)
         : o->format == RI_FORMAT_HTML ? write_html(sink, job, o, r, periods, rep, err)
         : o->format == RI_FORMAT_XLSX ? ri_write_xlsx(sink, r, &sel, rep ? rep->manifest : NULL, err)
         : o->wide                     ? ri_write_csv_wide(sink, r, &sel, err)
                                       : ri_write_csv(sink, r, &sel, err);
    free(areas);
    if (rc) {
        ri_sink_close(sink, NULL, NULL);
        return rc;
    }
    if ((rc = ri_sink_close(sink, &sum, err)))
        return rc;
    w->format = format_name(o->format);
    w->bytes = (size_t)sum.bytes;
    memcpy(w->sha256, sum.sha256, sizeof w->sha256);
    return RI_RC_OK;
}

/*
 * The mode a new file gets: the old file's, so a replaced table stays
 * readable by whoever could read it; else what fopen() would give. mkstemp
 * creates files readable by their owner only.
 */
static mode_t file_mode(const char *final)
{
    struct stat st;
    mode_t mask;

    if (stat(final, &st) == 0)
        return st.st_mode & 07777;
    mask = umask(0);
    umask(mask);
    return 0666 & ~mask;
}

/* A new temporary file beside final, open for writing as fd; *tmp names it, even after a failure. */
static ri_rc open_temp(const char *final, char **tmp, int *fd, ri_error *err)
{
    ri_rc rc;

    if (!(*tmp = temp_template(final)))
        return ri_oom(err);
    if ((*fd = mkstemp(*tmp)) < 0) {
        rc = ri_fail(err, RI_RC_DATA, "%s: cannot create a temporary file beside it: %s; expected a writable directory",
                     final, strerror(errno));
        free(*tmp);
        *tmp = NULL;
        return rc;
    }
    if (fchmod(*fd, file_mode(final)) != 0) {
        rc = ri_fail(err, RI_RC_DATA, "%s: %s", *tmp, strerror(errno));
        close(*fd);
        return rc;
    }
    return RI_RC_OK;
}

/* Write an output to a new temporary file beside final; *tmp names it, even after a failure. */
static ri_rc write_output_temp(const char *final, const ri_job *job, const ri_output_cfg *o, const ri_results *r,
                               const unsigned char *periods, const ri_run_report *rep, char **tmp, ri_written *w,
                               ri_error *err)
{
    int fd;
    ri_rc rc = open_temp(final, tmp, &fd, err);

    if (rc)
        return rc;
    rc = write_output(job, o, r, periods, rep, fd, w, err);
    if (!rc && fsync(fd) != 0)
        rc = ri_fail(err, RI_RC_DATA, "write failed: %s", strerror(errno));
    if (close(fd) != 0 && !rc)
        rc = ri_fail(err, RI_RC_DATA, "write failed: %s", strerror(errno));
    if (rc)
        ri_error_prefix(err, "%s: ", final);
    return rc;
}

/* Write with fn to a new temporary file beside final; *tmp names it, even after a failure. */
static ri_rc write_temp(const char *final, ri_rc (*fn)(void *, FILE *, ri_error *), void *ctx, char **tmp,
                        ri_error *err)
{
    FILE *f;
    int fd;
    ri_rc rc = open_temp(final, tmp, &fd, err);

    if (rc)
        return rc;
    if (!(f = fdopen(fd, "w"))) {
        rc = ri_fail(err, RI_RC_DATA, "%s: %s", *tmp, strerror(errno));
        close(fd);
        return rc;
    }
    rc = fn(ctx, f, err);
    if (!rc && (fflush(f) != 0 || fsync(fileno(f)) != 0))
        rc = ri_fail(err, RI_RC_DATA, "write failed: %s", strerror(errno));
    if (fclose(f) != 0 && !rc)
        rc = ri_fail(err, RI_RC_DATA, "write failed: %s", strerror(errno));
    if (rc)
        ri_error_prefix(err, "%s: ", final);
    return rc;
}

void ri_written_free(ri_written *w, size_t n)
{
    for (size_t i = 0; w && i < n; i++)
        free(w[i].path);
    free(w);
}

ri_rc ri_run_render(const ri_job *job, const ri_results *r, const ri_run_plan *plan,
                    const unsigned char *periods, const ri_run_report *rep, ri_written **written,
                    size_t *n_written, ri_error *err)
{
    size_t n = plan->n_outputs;
    ri_written *w = calloc(n ? n : 1, sizeof *w);
    ri_rc rc = RI_RC_OK;

    *written = NULL;
    *n_written = 0;
    if (!w)
        return ri_oom(err);
    for (size_t i = 0; i < n && !rc; i++) {
        if (!(w[i].path = strdup(plan->outputs[i]))) {
            rc = ri_oom(err);
            break;
        }
        /* No file: the sink only counts and hashes what would be written. */
        if ((rc = write_output(job, &job->outputs[i], r, periods, rep, -1, &w[i], err)))
            ri_error_prefix(err, "%s: ", plan->outputs[i]);
    }
    if (rc) {
        ri_written_free(w, n);
        return rc;
    }
    *written = w;
    *n_written = n;
    return RI_RC_OK;
}

/* ------------------------------------------------------------ staging and commit */

typedef struct staged {
    char *final;
    char *tmp;       /* the new content; NULL once renamed into place */
    char *backup;    /* a hard link to the old final file, or NULL */
    int renamed;
    int keep_backup; /* the old content could not be put back: the backup is its only copy */
} staged;

struct ri_staging {
    staged *files;   /* the outputs, then the manifest when staged */
    size_t n_files, n_outputs;
    ri_written *written; /* [n_outputs] */
    int has_manifest;
};

ri_rc ri_run_stage(const ri_job *job, const ri_results *r, const ri_run_plan *plan,
                   const unsigned char *periods, const ri_run_report *rep, ri_staging **out,
                   ri_error *err)
{
    size_t n = plan->n_outputs;
    ri_staging *s = calloc(1, sizeof *s);

    *out = NULL;
    if (!s || !(s->files = calloc(n + 1, sizeof *s->files)) || !(s->written = calloc(n ? n : 1, sizeof *s->written))) {
        ri_staging_free(s);
        return ri_oom(err);
    }
    s->n_outputs = n;
    for (size_t i = 0; i < n; i++) {
        ri_written *w = &s->written[i];

        s->n_files = i + 1;
        if (!(s->files[i].final = strdup(plan->outputs[i])) || !(w->path = strdup(plan->outputs[i]))) {
            ri_staging_free(s);
            return ri_oom(err);
        }
        if (write_output_temp(plan->outputs[i], job, &job->outputs[i], r, periods, rep, &s->files[i].tmp, w, err)) {
            ri_staging_free(s);
            return err->code;
        }
    }
    *out = s;
    return RI_RC_OK;
}

const ri_written *ri_staging_outputs(const ri_staging *s, size_t *n)
{
    *n = s->n_outputs;
    return s->written;
}

ri_rc ri_run_stage_manifest(ri_staging *s, const char *path,
                            ri_rc (*fn)(void *ctx, FILE *f, ri_error *err), void *ctx, ri_error *err)
{
    staged *m = &s->files[s->n_outputs];

    if (!(m->final = strdup(path)))
        return ri_oom(err);
    s->n_files = s->n_outputs + 1;
    s->has_manifest = 1;
    return write_temp(path, fn, ctx, &m->tmp, err);
}

static int sync_dir_of(const char *file)
{
    char *dir = dir_of(file);
    int fd, rc = -1, e = ENOMEM;

    if (dir && (fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
        rc = fsync(fd);
        e = errno;
        close(fd);
    } else if (dir)
        e = errno;
    free(dir);
    errno = e;
    return rc;
}

/* Sync each distinct directory of the staged files; the first failure is described in err. */
static ri_rc sync_dirs(const ri_staging *s, ri_error *err)
{
    ri_rc rc = RI_RC_OK;
    for (size_t i = 0; i < s->n_files; i++) {
        size_t dl = (size_t)(base_of(s->files[i].final) - s->files[i].final), j;
        for (j = 0; j < i; j++)
            if ((size_t)(base_of(s->files[j].final) - s->files[j].final) == dl
                && strncmp(s->files[j].final, s->files[i].final, dl) == 0)
                break;
        if (j == i && sync_dir_of(s->files[i].final) != 0 && !rc)
            rc = ri_fail(err, RI_RC_DATA, "%s: cannot sync its directory to disk: %s", s->files[i].final,
                         strerror(errno));
    }
    return rc;
}

/* A hard link to the old content of f->final, under a temporary name beside it. */
static ri_rc make_backup(staged *f, ri_error *err)
{
    struct stat st;
    int fd;

    if (lstat(f->final, &st) != 0) {
        if (errno == ENOENT)
            return RI_RC_OK;
        return ri_fail(err, RI_RC_DATA, "%s: %s", f->final, strerror(errno));
    }
    if (!S_ISREG(st.st_mode))
        return ri_fail(err, RI_RC_DATA, "%s: is not a regular file; expected a file regind may replace (remove it or write elsewhere)",
                       f->final);
    if (!(f->backup = temp_template(f->final)))
        return ri_oom(err);
    /* mkstemp only reserves a unique name; link() needs it free. */
    if ((fd = mkstemp(f->backup)) < 0 || close(fd) != 0 || unlink(f->backup) != 0 || link(f->final, f->backup) != 0) {
        ri_rc rc = ri_fail(err, RI_RC_DATA,
                           "%s: cannot keep the old file while replacing it (hard link %s): %s; expected a file system with hard links",
                           f->final, f->backup, strerror(errno));
        free(f->backup);
        f->backup = NULL;
        return rc;
    }
    return RI_RC_OK;
}

static void drop_backups(ri_staging *s)
{
    for (size_t i = 0; i < s->n_files; i++)
        if (s->files[i].backup && !s->files[i].keep_backup) {
            unlink(s->files[i].backup);
            free(s->files[i].backup);
            s->files[i].backup = NULL;
        }
}

static void append(char *buf, size_t size, const char *fmt, const char *a, const char *b)
{
    size_t used = strlen(buf);
    if (used < size)
        snprintf(buf + used, size - used, fmt, a, b);
}

/* Put back the old content of a file already renamed over. */
static int restore(staged *f)
{
    int r = f->backup ? rename(f->backup, f->final) : f->renamed ? unlink(f->final) : 0;
    if (r == 0 && f->backup) {
        free(f->backup);
        f->backup = NULL;
    }
    if (r != 0)
        f->keep_backup = 1;
    return r;
}

/* The rename of file k failed with errno e: undo the renames before it and describe the result.
   The manifest, renamed last, was never moved. */
static ri_rc roll_back(ri_staging *s, size_t k, int e, ri_error *err)
{
    char failed[RI_ERROR_MAX / 2] = "";
    size_t replaced = k < s->n_outputs ? k : s->n_outputs;

    for (size_t j = k; j-- > 0;)
        if (restore(&s->files[j]) != 0)
            append(failed, sizeof failed, "%s%s", failed[0] ? ", " : "", s->files[j].final);
    (void)sync_dirs(s, NULL);
    if (failed[0])
        return ri_fail(err, RI_RC_DATA,
                       "%s: cannot move the new file into place: %s; could not restore the old %s either (their old content is kept beside them as .regind-tmp-* files until the next run): those outputs are new, the others old, and the old manifest's digests no longer match them",
                       s->files[k].final, strerror(e), failed);
    return ri_fail(err, RI_RC_DATA,
                   "%s: cannot move the new file into place: %s; the %zu output%s already replaced %s restored, so no output changed",
                   s->files[k].final, strerror(e), replaced, replaced == 1 ? "" : "s", replaced == 1 ? "was" : "were");
}

ri_rc ri_run_commit(ri_staging *s, size_t fail_rename_at, unsigned long pause_before_rename, ri_error *err)
{
    ri_rc rc = RI_RC_OK;

    for (size_t i = 0; i < s->n_files && !rc; i++)
        rc = make_backup(&s->files[i], err);
    if (rc) {
        drop_backups(s);
        return rc;
    }
    if (pause_before_rename)
        sleep((unsigned)pause_before_rename);
    for (size_t i = 0; i < s->n_files; i++) {
        staged *f = &s->files[i];
        int r;
        if (i + 1 == fail_rename_at) {
            errno = EIO;
            r = -1;
        } else
            r = rename(f->tmp, f->final);
        if (r != 0) {
            rc = roll_back(s, i, errno, err);
            drop_backups(s);
            return rc;
        }
        f->renamed = 1;
        free(f->tmp);
        f->tmp = NULL;
    }
    rc = sync_dirs(s, err);
    if (rc)
        ri_error_prefix(err, "the new files are in place, but a power failure could still lose them: ");
    drop_backups(s);
    return rc;
}

void ri_staging_free(ri_staging *s)
{
    if (!s)
        return;
    for (size_t i = 0; s->files && i < s->n_files; i++) {
        staged *f = &s->files[i];
        if (f->tmp)
            unlink(f->tmp);
        if (f->backup && !f->keep_backup)
            unlink(f->backup);
        free(f->tmp);
        free(f->backup);
        free(f->final);
    }
    free(s->files);
    ri_written_free(s->written, s->n_outputs);
    free(s);
}

ri_rc ri_run_write_file(const char *final, ri_rc (*fn)(void *ctx, FILE *f, ri_error *err), void *ctx,
                        ri_error *err)
{
    char *tmp = NULL;
    ri_rc rc = write_temp(final, fn, ctx, &tmp, err);

    if (!rc && rename(tmp, final) != 0)
        rc = ri_fail(err, RI_RC_DATA, "%s: cannot move the new file into place: %s", final, strerror(errno));
    if (rc && tmp)
        unlink(tmp);
    else if (!rc && sync_dir_of(final) != 0)
        rc = ri_fail(err, RI_RC_DATA, "%s: in place, but its directory could not be synced to disk: %s", final,
                     strerror(errno));
    free(tmp);
    return rc;
}
