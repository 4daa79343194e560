/*
 * fuzz_config.c — job text through ri_job_load_string: libconfig's parser,
 * the @include checks and every validation rule of config.c (with the
 * derived-measure expressions of derive.c).
 *
 * The input is the job text (up to its first NUL). @include names resolve
 * in a private directory holding a valid fragment, a file that includes
 * itself, a subdirectory, a FIFO and a file with a NUL byte, so the checks
 * that must refuse the last four before libconfig blocks or exits are
 * exercised too. Promises checked: the result is a job or an error with a
 * message and exit code 2 (1 only when out of memory); a job has what
 * regind.cfg(5) requires (at least one dataset, each with its id, file and
 * area column, tidy ones with a period column and measures, wide ones with
 * a measure), unique dataset and indicator ids, and absolute or
 * directory-relative paths.
 */
#define _POSIX_C_SOURCE 200809L

#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

static char include_dir[64];

static void remove_include_dir(void)
{
    static const char *const names[] = {"part.cfg", "self.cfg", "nul.cfg", "fifo"};
    char path[128];

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", include_dir, names[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/sub", include_dir);
    rmdir(path);
    rmdir(include_dir);
}

static void write_file(const char *name, const char *text, size_t len)
{
    char path[128];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", include_dir, name);
    if (!(f = fopen(path, "wb")) || fwrite(text, 1, len, f) != len || fclose(f) != 0)
        ri_fuzz_fail("cannot write %s", path);
}

static void make_include_dir(void)
{
    static const char part[] =
        "datasets = ( { id = \"a\"; file = \"a.csv\"; area = \"area\"; period = \"year\";\n"
        "  measures = { x = \"x\"; y = \"y\"; }; additive = [ \"x\" ]; } );\n";
    static const char self[] = "@include \"self.cfg\"\n";
    static const char nul[] = "version = 1;\n\0datasets = ();\n";
    const char *tmp = getenv("TMPDIR");
    char path[128];

    snprintf(include_dir, sizeof include_dir, "%s/regind-fuzz.XXXXXX", tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
    if (!mkdtemp(include_dir))
        ri_fuzz_fail("cannot create %s", include_dir);
    atexit(remove_include_dir);
    write_file("part.cfg", part, sizeof part - 1);
    write_file("self.cfg", self, sizeof self - 1);
    write_file("nul.cfg", nul, sizeof nul - 1);
    snprintf(path, sizeof path, "%s/sub", include_dir);
    if (mkdir(path, 0700) != 0)
        ri_fuzz_fail("cannot create %s", path);
    snprintf(path, sizeof path, "%s/fifo", include_dir);
    if (mkfifo(path, 0600) != 0)
        ri_fuzz_fail("cannot create %s", path);
}

static int resolved(const char *path)
{
    size_t n = strlen(include_dir);
    return path && (path[0] == '/' || (strncmp(path, include_dir, n) == 0 && path[n] == '/'));
}

static void check_job(const ri_job *job)
{
    if (job->n_datasets == 0 || !job->datasets)
        ri_fuzz_fail("a job without datasets was accepted");
    for (size_t i = 0; i < job->n_datasets; i++) {
        const ri_dataset_cfg *ds = &job->datasets[i];
        if (!ds->id || !ds->area_col || !resolved(ds->path))
            ri_fuzz_fail("dataset %zu lacks its id, area or resolved file", i + 1);
        if (ds->layout == RI_LAYOUT_TIDY && (!ds->period_col || ds->n_measures == 0 || ds->measure))
            ri_fuzz_fail("tidy dataset \"%s\" without period column or measures", ds->id);
        if (ds->layout == RI_LAYOUT_WIDE && (!ds->measure || ds->n_measures || ds->period_col || !ds->period_prefix))
            ri_fuzz_fail("wide dataset \"%s\" without its one measure", ds->id);
        for (size_t j = 0; j < i; j++)
            if (strcmp(job->datasets[j].id, ds->id) == 0)
                ri_fuzz_fail("dataset id \"%s\" accepted twice", ds->id);
    }
    for (size_t i = 0; i < job->n_indicators; i++) {
        const ri_indicator_cfg *ind = &job->indicators[i];
        if (!ind->id || !ind->plugin || strchr(ind->plugin, '/') || strstr(ind->plugin, ".."))
            ri_fuzz_fail("indicator %zu has no id or a plugin that is a path", i + 1);
        for (size_t j = 0; j < i; j++)
            if (strcmp(job->indicators[j].id, ind->id) == 0)
                ri_fuzz_fail("indicator id \"%s\" accepted twice", ind->id);
    }
    for (size_t i = 0; i < job->n_outputs; i++)
        if (!resolved(job->outputs[i].path))
            ri_fuzz_fail("output %zu has an unresolved path", i + 1);
    for (size_t i = 0; i < job->n_plugin_path; i++)
        if (!resolved(job->plugin_path[i]))
            ri_fuzz_fail("plugin_path entry %zu is unresolved", i + 1);
    if (!job->compare.area_type)
        ri_fuzz_fail("compare.area_type has no default");
}

int ri_fuzz_config(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    ri_job *job = NULL;
    ri_error err;
    ri_rc rc;
    long mark;

    if (!text)
        ri_fuzz_fail("out of memory");
    if (!include_dir[0])
        make_include_dir();
    memcpy(text, data, size);
    text[size] = '\0';
    memset(&err, 0, sizeof err);
    mark = ri_fuzz_stdout_mark();
    rc = ri_job_load_string(text, include_dir, &job, &err);
    ri_fuzz_stdout_check(mark);
    if (rc == RI_RC_OK) {
        if (!job)
            ri_fuzz_fail("success without a job");
        check_job(job);
        ri_job_free(job);
    } else {
        if (job)
            ri_fuzz_fail("a job returned with an error");
        if (rc != RI_RC_USAGE && !(rc == RI_RC_DATA && strstr(err.msg, "out of memory")))
            ri_fuzz_fail("exit code %d for \"%s\"; expected 2", (int)rc, err.msg);
        if (err.code != rc || !err.msg[0] || !memchr(err.msg, '\0', sizeof err.msg))
            ri_fuzz_fail("error without a message");
    }
    free(text);
    return 0;
}

RI_FUZZ_ENTRY(ri_fuzz_config)
