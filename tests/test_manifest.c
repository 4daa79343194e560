/*
 * test_manifest.c — what a run manifest records of its inputs, and the
 * refusals when an input changes while the run reads it: found by the
 * digest taken beside the computing (deferred) and by the final check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "config.h"
#include "manifest.h"
#include "test_util.h"

/* "code,year,x\nA,2019,1\n": its SHA-256, as sha256sum prints it. */
static const char data_csv[] = "code,year,x\nA,2019,1\n";
static const char data_sha[] = "112f88f2ec22f28dc1b13b84b6c501f73fd11cb63d4500477137e8c6020b7e9d";

static ri_job *small_job(void)
{
    char path[PATH_BUF];
    ri_job *job = NULL;
    ri_error err = {RI_RC_OK, ""};

    write_file("data.csv", data_csv);
    write_file("job.cfg", "datasets = ( { id = \"d\"; file = \"data.csv\"; area = \"code\"; period = \"year\";"
                          " measures = { x = \"x\"; }; } );\n");
    fmt(path, "%s/job.cfg", workdir);
    if (ri_job_load(path, &job, &err) != RI_RC_OK)
        fail_msg("%s", err.msg);
    return job;
}

static void expect_changed(ri_rc rc, const ri_error *err)
{
    assert_int_equal(rc, RI_RC_DATA);
    if (!strstr(err->msg, "data.csv: changed while the run read it"))
        fail_msg("unexpected message: %s", err->msg);
}

/* Deferred or not, the same digest and fingerprint. */
static void test_deferred_digest(void **state)
{
    ri_job *job = small_job();
    ri_manifest *now = NULL, *later = NULL;
    ri_error err = {RI_RC_OK, ""};
    (void)state;

    assert_int_equal(ri_manifest_collect(job, NULL, NULL, NULL, 0, &now, &err), RI_RC_OK);
    assert_int_equal(ri_manifest_collect(job, NULL, NULL, NULL, 1, &later, &err), RI_RC_OK);
    assert_string_equal(later->inputs[0].file.sha256, "");
    ri_manifest_hash_begin(later);
    assert_int_equal(ri_manifest_hash_end(later, &err), RI_RC_OK);
    assert_string_equal(now->inputs[0].file.sha256, data_sha);
    assert_string_equal(later->inputs[0].file.sha256, data_sha);
    assert_true(now->inputs[0].file.size == sizeof data_csv - 1);
    assert_string_equal(later->fingerprint, now->fingerprint);
    /* Ending twice is harmless; so is freeing while nothing runs. */
    assert_int_equal(ri_manifest_hash_end(later, &err), RI_RC_OK);
    ri_manifest_free(now);
    ri_manifest_free(later);
    ri_job_free(job);
}

/* Rows appended after the stat: the deferred digest sees a different length. */
static void test_grown_before_digest(void **state)
{
    ri_job *job = small_job();
    ri_manifest *m = NULL;
    ri_error err = {RI_RC_OK, ""};
    (void)state;

    assert_int_equal(ri_manifest_collect(job, NULL, NULL, NULL, 1, &m, &err), RI_RC_OK);
    write_file("data.csv", "code,year,x\nA,2019,1\nB,2019,2\n");
    ri_manifest_hash_begin(m);
    expect_changed(ri_manifest_hash_end(m, &err), &err);
    ri_manifest_free(m);
    ri_job_free(job);
}

/* Same length, new bytes and a new modification time: the final check refuses. */
static void test_rewritten_before_check(void **state)
{
    ri_job *job = small_job();
    ri_manifest *m = NULL;
    ri_error err = {RI_RC_OK, ""};
    struct timespec pause = {0, 20 * 1000 * 1000};
    (void)state;

    assert_int_equal(ri_manifest_collect(job, NULL, NULL, NULL, 0, &m, &err), RI_RC_OK);
    assert_int_equal(ri_manifest_check_unchanged(m, &err), RI_RC_OK);
    /* File systems with coarse timestamps need the clock to move on. */
    nanosleep(&pause, NULL);
    write_file("data.csv", "code,year,x\nA,2019,7\n");
    expect_changed(ri_manifest_check_unchanged(m, &err), &err);
    ri_manifest_free(m);
    ri_job_free(job);
}

/* A run that fails while its inputs are being hashed frees the manifest without waiting on anyone. */
static void test_free_while_hashing(void **state)
{
    ri_job *job = small_job();
    ri_manifest *m = NULL;
    ri_error err = {RI_RC_OK, ""};
    (void)state;

    assert_int_equal(ri_manifest_collect(job, NULL, NULL, NULL, 1, &m, &err), RI_RC_OK);
    ri_manifest_hash_begin(m);
    ri_manifest_free(m);
    ri_job_free(job);
}

static int setup(void **state)
{
    (void)state;
    return test_make_workdir("manifest");
}

static int teardown(void **state)
{
    (void)state;
    return test_remove_tree(workdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deferred_digest),
        cmocka_unit_test(test_grown_before_digest),
        cmocka_unit_test(test_rewritten_before_check),
        cmocka_unit_test(test_free_while_hashing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
