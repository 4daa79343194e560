/* run.c — all-or-nothing output writing (see run.h). */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output_csv.h"
#include "output_json.h"

static char *final_path(const ri_output_cfg *o, const char *output_dir)
{
    const char *base;
    char *path;
    if (!output_dir)
        return strdup(o->path);
    base = strrchr(o->path, '/');
    base = base ? base + 1 : o->path;
    path = malloc(strlen(output_dir) + strlen(base) + 2);
    if (path)
        sprintf(path, "%s/%s", output_dir, base);
    return path;
}

/* ".regind-tmp-" marks files that are never results, whatever a crash leaves. */
static char *temp_template(const char *final)
{
    const char *slash = strrchr(final, '/');
    size_t dir_len = slash ? (size_t)(slash - final) + 1 : 0;
    const char *base = final + dir_len;
    char *t = malloc(strlen(final) + 32);
    if (t)
        sprintf(t, "%.*s.regind-tmp-%s-XXXXXX", (int)dir_len, final, base);
    return t;
}

static ri_rc write_one(const ri_output_cfg *o, const ri_results *r, const char *tmp_template,
                       char **tmp_out, size_t *bytes, ri_error *err)
{
    ri_selection sel = {NULL, NULL, (const char *const *)o->indicators, o->n_indicators};
    char *tmp = strdup(tmp_template);
    int fd;
    FILE *f;
    ri_rc rc;
    struct stat st;

    *tmp_out = NULL;
    if (!tmp)
        return ri_fail(err, RI_RC_DATA, "out of memory");
    if ((fd = mkstemp(tmp)) < 0) {
        rc = ri_fail(err, RI_RC_DATA, "%s: cannot create a temporary file beside the output: %s; expected a writable directory",
                     o->path, strerror(errno));
        free(tmp);
        return rc;
    }
    *tmp_out = tmp;
    if (!(f = fdopen(fd, "w"))) {
        close(fd);
        return ri_fail(err, RI_RC_DATA, "%s: %s", tmp, strerror(errno));
    }
    rc = o->format == RI_FORMAT_JSON ? ri_write_json(f, r, &sel, err) : ri_write_csv(f, r, &sel, err);
    if (!rc && (fflush(f) != 0 || fsync(fileno(f)) != 0))
        rc = ri_fail(err, RI_RC_DATA, "%s: write failed: %s", o->path, strerror(errno));
    if (!rc && fstat(fileno(f), &st) == 0)
        *bytes = (size_t)st.st_size;
    if (fclose(f) != 0 && !rc)
        rc = ri_fail(err, RI_RC_DATA, "%s: write failed: %s", o->path, strerror(errno));
    if (rc)
        ri_error_prefix(err, "%s: ", o->path);
    return rc;
}

ri_rc ri_run_write_outputs(const ri_job *job, const ri_results *r, const char *output_dir,
                           ri_written **written, size_t *n_written, ri_error *err)
{
    size_t n = job->n_outputs;
    char **tmps = calloc(n ? n : 1, sizeof *tmps);
    ri_written *w = calloc(n ? n : 1, sizeof *w);
    ri_rc rc = RI_RC_OK;

    *written = NULL;
    *n_written = 0;
    if (!tmps || !w) {
        free(tmps);
        free(w);
        return ri_fail(err, RI_RC_DATA, "out of memory");
    }
    for (size_t i = 0; i < n && !rc; i++) {
        char *tmpl;
        if (!(w[i].path = final_path(&job->outputs[i], output_dir)) || !(tmpl = temp_template(w[i].path))) {
            rc = ri_fail(err, RI_RC_DATA, "out of memory");
            break;
        }
        rc = write_one(&job->outputs[i], r, tmpl, &tmps[i], &w[i].bytes, err);
        free(tmpl);
    }
    for (size_t i = 0; i < n && !rc; i++)
        if (rename(tmps[i], w[i].path) != 0)
            rc = ri_fail(err, RI_RC_DATA, "%s: cannot move the new output into place: %s", w[i].path,
                         strerror(errno));
    for (size_t i = 0; i < n; i++) {
        if (rc && tmps[i])
            unlink(tmps[i]);
        free(tmps[i]);
    }
    free(tmps);
    if (rc) {
        ri_written_free(w, n);
        return rc;
    }
    *written = w;
    *n_written = n;
    return RI_RC_OK;
}

void ri_written_free(ri_written *w, size_t n)
{
    for (size_t i = 0; w && i < n; i++)
        free(w[i].path);
    free(w);
}
