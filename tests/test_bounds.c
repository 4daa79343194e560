/*
 * test_bounds.c — resource bounds of the join: inputs small on disk that
 * once cost time or memory out of all proportion to their size.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "panel.h"
#include "test_util.h"

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Write rows made by row(i, buf) under header into workdir/name. */
static void write_rows(const char *name, const char *header, size_t n, void (*row)(size_t, char *))
{
    char path[PATH_BUF], line[256];
    FILE *f;
    fmt(path, "%s/%s", workdir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(header, f);
    for (size_t i = 0; i < n; i++) {
        row(i, line);
        fputs(line, f);
    }
    assert_int_equal(fclose(f), 0);
}

#define N_INDUSTRIES 40000

static void industry_row(size_t i, char *out)
{
    sprintf(out, "E07000001,2019,I%06zu,%zu\n", i, i);
}

/*
 * One area, one period and 40,000 industries (1 MB): matching each
 * dataset industry to the panel's by scanning them all took n^2 / 2 = 8e8
 * string comparisons (100,000 industries took 83 s).
 */
static void test_many_industries_linear(void **state)
{
    static const char job_text[] =
        "version = 1;\n"
        "datasets = ( { id = \"ind\"; file = \"ind.csv\"; area = \"code\"; period = \"year\"; industry = \"sic\";\n"
        "  measures = { jobs = \"jobs\"; }; } );\n";
    ri_error err = {RI_RC_OK, ""};
    ri_panel *p = NULL;
    const ri_column *c;
    ri_job *job;
    double start;
    (void)state;

    write_rows("ind.csv", "code,year,sic,jobs\n", N_INDUSTRIES, industry_row);
    job = test_load_job("ind", job_text);
    start = cpu_seconds();
    if (ri_panel_build(job, &p, &err) != RI_RC_OK)
        fail_msg("building: %s", err.msg);
    if (cpu_seconds() - start > 2.0)
        fail_msg("joining %d industries took %.1f s of CPU; expected a fraction of a second", N_INDUSTRIES,
                 cpu_seconds() - start);
    assert_int_equal(p->n_industries, N_INDUSTRIES);
    c = ri_panel_column(p, "jobs");
    assert_non_null(c);
    /* Each industry's value is its own number, so a wrong match shows. */
    for (size_t i = 0; i < p->n_industries; i += 997) {
        size_t k = (size_t)strtoul(p->industries[c->ind[i]] + 1, NULL, 10);
        assert_true(c->v[i] == (double)k);
    }
    ri_panel_free(p);
    ri_job_free(job);
}

static int setup(void **state)
{
    (void)state;
    return test_make_workdir("bounds");
}

static int teardown(void **state)
{
    (void)state;
    return test_remove_tree(workdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_industries_linear),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
