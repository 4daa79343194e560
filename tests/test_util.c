/* test_util.c — helpers shared by the core's cmocka programs (see test_util.h). */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"

char workdir[PATH_BUF];

const char *srcdir(void)
{
    const char *s = getenv("SRCDIR");
    return s && *s ? s : ".";
}

void fmt(char *buf, const char *f, ...)
{
    va_list ap;
    int n;
    va_start(ap, f);
    n = vsnprintf(buf, PATH_BUF, f, ap);
    va_end(ap);
    assert_true(n > 0 && n < PATH_BUF);
}

int test_make_workdir(const char *tag)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(workdir, sizeof workdir, "%s/regind-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", tag);
    return mkdtemp(workdir) ? 0 : -1;
}

int test_remove_tree(const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *e;
    char sub[PATH_BUF];

    if (lstat(path, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    if (!(d = opendir(path)))
        return -1;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) < (int)sizeof sub)
            test_remove_tree(sub);
    closedir(d);
    return rmdir(path);
}

void write_file(const char *name, const char *text)
{
    char path[PATH_BUF];
    FILE *f;
    fmt(path, "%s/%s", workdir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

ri_job *test_load_job(const char *name, const char *text)
{
    char file[PATH_BUF], path[PATH_BUF];
    ri_job *job = NULL;
    ri_error err = {RI_RC_OK, ""};
    fmt(file, "%s.cfg", name);
    write_file(file, text);
    fmt(path, "%s/%s", workdir, file);
    if (ri_job_load(path, &job, &err) != RI_RC_OK)
        fail_msg("job %s: %s", name, err.msg);
    return job;
}
