/* test_sink.c — the output sink: bytes arrive whole and in order, hashed, and failures are reported. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sink.h"
#include "test_util.h"

/* Several chunks' worth, with a pattern that shows any reordering or loss. */
#define BIG ((size_t)5 * 1024 * 1024 + 12345)

static unsigned char *pattern(size_t n)
{
    unsigned char *b = malloc(n);
    assert_non_null(b);
    for (size_t i = 0; i < n; i++)
        b[i] = (unsigned char)(i * 2654435761u >> 13);
    return b;
}

/* FIPS 180-4 example: one million 'a' (NIST SHA-256 example values, "long message"). */
static void test_hash_only_fips_vector(void **state)
{
    ri_sink *s;
    ri_sink_summary sum;
    ri_error err;
    size_t left = 1000000;

    (void)state;
    assert_int_equal(ri_sink_file(-1, &s, &err), RI_RC_OK);
    /* Odd piece sizes, half through reserve/commit, half through write. */
    for (int k = 0; left; k++) {
        size_t n = left < 7777 ? left : 7777;
        if (k % 2) {
            char *p = ri_sink_reserve(s, n);
            memset(p, 'a', n);
            ri_sink_commit(s, p + n);
        } else {
            char piece[7777];
            memset(piece, 'a', n);
            ri_sink_write(s, piece, n);
        }
        left -= n;
    }
    assert_int_equal(ri_sink_close(s, &sum, &err), RI_RC_OK);
    assert_true(sum.bytes == 1000000);
    assert_string_equal(sum.sha256, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* A file sink over a new file NAME in the scratch directory; *fd and path get the file. */
static ri_sink *open_file_sink(const char *name, char path[PATH_BUF], int *fd)
{
    ri_sink *s;
    ri_error err;

    fmt(path, "%s/%s", workdir, name);
    *fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(*fd >= 0);
    assert_int_equal(ri_sink_file(*fd, &s, &err), RI_RC_OK);
    return s;
}

/* Close s and fd; the file at path and the sink's digest must both be b[0..BIG). Frees b. */
static void expect_written(ri_sink *s, int fd, const char *path, unsigned char *b)
{
    unsigned char *back = malloc(BIG + 1);
    char hex[RI_SHA256_HEX];
    ri_sink_summary sum;
    ri_error err;
    FILE *f;

    assert_non_null(back);
    assert_int_equal(ri_sink_close(s, &sum, &err), RI_RC_OK);
    assert_int_equal(close(fd), 0);
    ri_sha256_text(b, BIG, hex);
    assert_string_equal(sum.sha256, hex);
    assert_true(sum.bytes == BIG);
    assert_non_null(f = fopen(path, "rb"));
    assert_int_equal(fread(back, 1, BIG + 1, f), BIG);
    fclose(f);
    assert_memory_equal(back, b, BIG);
    free(back);
    free(b);
}

static void test_file_gets_every_byte_in_order(void **state)
{
    unsigned char *b = pattern(BIG);
    char path[PATH_BUF];
    int fd;
    ri_sink *s = open_file_sink("out.bin", path, &fd);

    (void)state;
    for (size_t off = 0, n = 1; off < BIG; off += n, n = n * 3 % 65521 + 1) {
        if (n > BIG - off)
            n = BIG - off;
        ri_sink_write(s, b + off, n);
    }
    expect_written(s, fd, path, b);
}

/* Pieces made in memory sinks and drained into a file sink, small ones copied and big ones handed
   over whole, arrive in order after what the file sink already held. */
static void test_drained_pieces(void **state)
{
    static const size_t cuts[] = {0, 10, 100000, 3000000, 3000100, BIG};
    unsigned char *b = pattern(BIG);
    char path[PATH_BUF];
    int fd;
    ri_sink *s = open_file_sink("pieces.bin", path, &fd), *piece;
    ri_error err;

    (void)state;
    assert_int_equal(ri_sink_memory(&piece, &err), RI_RC_OK);
    ri_sink_write(s, b, cuts[1]);
    for (size_t k = 1; k + 1 < sizeof cuts / sizeof *cuts; k++) {
        ri_sink_write(piece, b + cuts[k], cuts[k + 1] - cuts[k]);
        ri_sink_drain(piece, s);
    }
    assert_int_equal(ri_sink_close(piece, NULL, &err), RI_RC_OK);
    expect_written(s, fd, path, b);
}

static void expect_full(ri_sink *s)
{
    char expected[RI_ERROR_MAX];
    ri_error err;
    unsigned char *b = pattern(BIG);

    ri_sink_write(s, b, BIG);
    free(b);
    snprintf(expected, sizeof expected, "write failed: %s", strerror(ENOSPC));
    ri_error_clear(&err);
    assert_int_equal(ri_sink_close(s, NULL, &err), RI_RC_DATA);
    assert_string_equal(err.msg, expected);
}

/* A full disk is reported, by the file sink's thread and by the stream sink. */
static void test_full_disk(void **state)
{
    ri_sink *s;
    ri_error err;
    int fd = open("/dev/full", O_WRONLY);
    FILE *f;

    (void)state;
    if (fd < 0)
        skip();
    assert_int_equal(ri_sink_file(fd, &s, &err), RI_RC_OK);
    expect_full(s);
    close(fd);

    assert_non_null(f = fopen("/dev/full", "w"));
    assert_int_equal(ri_sink_stream(f, &s, &err), RI_RC_OK);
    expect_full(s);
    fclose(f);
}

/* A writer that gives up may close without a summary; nothing leaks, no thread is left. */
static void test_abandoned(void **state)
{
    ri_sink *s;
    ri_error err;

    (void)state;
    assert_int_equal(ri_sink_file(-1, &s, &err), RI_RC_OK);
    ri_sink_puts(s, "half a row,");
    assert_int_equal(ri_sink_close(s, NULL, NULL), RI_RC_OK);
}

static int setup(void **state)
{
    (void)state;
    return test_make_workdir("sink");
}

static int teardown(void **state)
{
    (void)state;
    return test_remove_tree(workdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_only_fips_vector),
        cmocka_unit_test(test_file_gets_every_byte_in_order),
        cmocka_unit_test(test_drained_pieces),
        cmocka_unit_test(test_full_disk),
        cmocka_unit_test(test_abandoned),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
