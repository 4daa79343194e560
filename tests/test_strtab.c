/* test_strtab.c — the key tables' keyed hash (src/siphash.c) and interning under collisions (src/strtab.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "siphash.h"
#include "strtab.h"

/*
 * The reference vectors of the SipHash paper (Aumasson and Bernstein,
 * "SipHash: a fast short-input PRF", 2012; vectors_sip64 of the reference
 * test.c): key 00 01 ... 0f, message 00 01 ... n-1. n = 15 is the paper's
 * worked example in its Appendix A.
 */
static void test_siphash24_vectors(void **state)
{
    static const struct {
        size_t n;
        uint64_t want;
    } v[] = {{0, 0x726fdb47dd0e0e31ULL}, {1, 0x74f839c593dc67fdULL}, {2, 0x0d6c8009d9a94f5aULL},
             {3, 0x85676696d7fb7e2dULL}, {4, 0xcf2794e0277187b7ULL}, {8, 0x93f5f5799a932462ULL},
             {15, 0xa129ca6149be45e5ULL}, {16, 0x3f2acc7f57c29bdbULL}};
    ri_sipkey key = {0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL};
    unsigned char msg[16];
    (void)state;
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (unsigned char)i;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (ri_siphash24(&key, msg, v[i].n) != v[i].want)
            fail_msg("SipHash-2-4 of %zu bytes: %016llx, expected %016llx", v[i].n,
                     (unsigned long long)ri_siphash24(&key, msg, v[i].n), (unsigned long long)v[i].want);
}

/* The tables' SipHash-1-3 depends on the key, and the run's key is drawn, not fixed. */
static void test_siphash13_keyed(void **state)
{
    ri_sipkey a = {1, 2}, b = {1, 3}, zero = {0, 0};
    const ri_sipkey *run = ri_sipkey_run();
    (void)state;
    assert_true(ri_siphash13(&a, "E06000001", 9) != ri_siphash13(&b, "E06000001", 9));
    assert_true(ri_siphash13(&a, "E06000001", 9) != ri_siphash13(&a, "E06000002", 9));
    assert_true(ri_siphash13(&a, "E06000001", 9) != ri_siphash24(&a, "E06000001", 9));
    assert_true(run->k0 != zero.k0 || run->k1 != zero.k1);
    assert_ptr_equal(run, ri_sipkey_run());
}

/*
 * Keys that all collide under the table's former hash, unkeyed 64-bit
 * FNV-1a (h = (h ^ byte) * 1099511628211 from 1469598103934665603, the
 * standard offset basis short of its last digit), in
 * its low 20 bits, so in every table of up to 2^20 slots they all want
 * the same slot. The low bits of FNV-1a depend only on the low bits of the
 * state, so two blocks that bring one state to the same low bits can be
 * followed by anything: STAGES pairs of 3-character blocks, one of each
 * pair chosen by each bit of i, give 2^STAGES colliding keys.
 */
#define STAGES 16
#define LOW_BITS 20
#define BLOCK 3

static uint64_t fnv1a_from(uint64_t h, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static void block_of(unsigned v, char *out)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (int i = 0; i < BLOCK; i++, v /= 36)
        out[i] = digits[v % 36];
}

static void colliding_pairs(char pairs[STAGES][2][BLOCK])
{
    const uint64_t mask = ((uint64_t)1 << LOW_BITS) - 1;
    uint32_t *seen = malloc(((size_t)1 << LOW_BITS) * sizeof *seen);
    uint64_t h = 1469598103934665603ULL;

    assert_non_null(seen);
    for (int s = 0; s < STAGES; s++) {
        int found = 0;
        memset(seen, 0, ((size_t)1 << LOW_BITS) * sizeof *seen);
        for (unsigned v = 0; v < 36 * 36 * 36 && !found; v++) {
            char b[BLOCK];
            uint64_t low;
            block_of(v, b);
            low = fnv1a_from(h, b, BLOCK) & mask;
            if (seen[low]) {
                block_of(seen[low] - 1, pairs[s][0]);
                memcpy(pairs[s][1], b, BLOCK);
                h = fnv1a_from(h, b, BLOCK);
                found = 1;
            } else
                seen[low] = v + 1;
        }
        assert_true(found);
    }
    free(seen);
}

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * 65,536 such keys (3 MB as area codes) took the former table about
 * n^2 / 2 = 2e9 string comparisons (7 s); keyed, they spread.
 * The bound is generous (a few milliseconds are expected, valgrind
 * included) and still far below what one probe chain costs.
 */
static void test_colliding_keys_stay_fast(void **state)
{
    char pairs[STAGES][2][BLOCK], key[STAGES * BLOCK];
    const size_t n = (size_t)1 << STAGES;
    ri_strtab *t = ri_strtab_new(16);
    uint64_t first = 0;
    double start;
    (void)state;

    colliding_pairs(pairs);
    start = cpu_seconds();
    for (size_t i = 0; i < n; i++) {
        for (int s = 0; s < STAGES; s++)
            memcpy(key + s * BLOCK, pairs[s][(i >> s) & 1], BLOCK);
        /* The construction is right: every key has the same low bits under FNV-1a. */
        uint64_t low = fnv1a_from(1469598103934665603ULL, key, sizeof key) & (((uint64_t)1 << LOW_BITS) - 1);
        if (i == 0)
            first = low;
        assert_true(low == first);
        assert_int_equal(ri_strtab_intern(t, key, sizeof key), (long)i);
    }
    for (size_t i = 0; i < n; i += 97) {
        for (int s = 0; s < STAGES; s++)
            memcpy(key + s * BLOCK, pairs[s][(i >> s) & 1], BLOCK);
        assert_int_equal(ri_strtab_find(t, key, sizeof key), (long)i);
    }
    assert_int_equal(ri_strtab_count(t), n);
    if (cpu_seconds() - start > 2.0)
        fail_msg("interning %zu colliding keys took %.1f s of CPU; expected well under a second", n,
                 cpu_seconds() - start);
    ri_strtab_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_siphash24_vectors),
        cmocka_unit_test(test_siphash13_keyed),
        cmocka_unit_test(test_colliding_keys_stay_fast),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
