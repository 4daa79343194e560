/* test_stats.c — src/stats.c against hand-computed values. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_log.h>

#include "stats.h"

#define TOL 1e-12

#define assert_close(got, want, tol)                                              \
    do {                                                                          \
        double got_ = (got), want_ = (want);                                      \
        if (!(fabs(got_ - want_) <= (tol))) {                                     \
            print_error("%s = %.17g, expected %.17g\n", #got, got_, want_);       \
            fail();                                                               \
        }                                                                         \
    } while (0)

#define assert_nan(x) assert_true(isnan(x))

/* Must run first: without ri_stats_init() GSL's default handler aborts here. */
static void test_init_turns_off_gsl_abort(void **state)
{
    gsl_sf_result r;

    (void)state;
    ri_stats_init();
    /* log(-1) is a domain error: GSL returns GSL_EDOM instead of aborting. */
    assert_int_equal(gsl_sf_log_e(-1.0, &r), GSL_EDOM);
}

static void test_count(void **state)
{
    const double v[] = {1.0, NAN, 3.0, INFINITY, -INFINITY, 0.0};

    (void)state;
    /* 1, 3 and 0 are finite; 0 is a value, not a missing marker. */
    assert_int_equal(ri_stats_count(v, 1, 6), 3);
    /* Stride 2 reads 1, 3, -inf. */
    assert_int_equal(ri_stats_count(v, 2, 3), 2);
    assert_int_equal(ri_stats_count(v, 1, 0), 0);
}

static void test_mean(void **state)
{
    const double v[] = {1.0, 2.0, 3.0, 4.0, NAN};
    /* One industry of a column by industry: stride 2 reads 1, 2, 3, 4, NaN. */
    const double by_ind[] = {1.0, 100.0, 2.0, 100.0, 3.0, 100.0, 4.0, 100.0, NAN, 100.0};
    const double none[] = {NAN, NAN};
    const double inf[] = {2.0, INFINITY};

    (void)state;
    /* (1 + 2 + 3 + 4) / 4 = 2.5: NaN is left out, not counted as 0 (which would give 2). */
    assert_close(ri_stats_mean(v, 1, 5), 2.5, TOL);
    assert_close(ri_stats_mean(by_ind, 2, 5), 2.5, TOL);
    /* Stride 2 from the second element reads only the 100s. */
    assert_close(ri_stats_mean(by_ind + 1, 2, 5), 100.0, TOL);
    assert_nan(ri_stats_mean(none, 1, 2));
    assert_nan(ri_stats_mean(v, 1, 0));
    /* Infinity is not a value either: mean of {2} = 2. */
    assert_close(ri_stats_mean(inf, 1, 2), 2.0, TOL);
}

static void test_sd(void **state)
{
    const double v[] = {2.0, 4.0, 4.0, NAN, 4.0, 5.0, 5.0, 7.0, 9.0};
    const double same[] = {3.0, 3.0, 3.0};
    const double one[] = {NAN, 7.0};

    (void)state;
    /* Mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32; sample variance 32/7;
       sd = sqrt(32/7) = 2.1380899352993950 (the population sd would be 2). */
    assert_close(ri_stats_sd(v, 1, 9), 2.1380899352993950, TOL);
    assert_close(ri_stats_sd(same, 1, 3), 0.0, TOL);
    /* One value has no sample spread. */
    assert_nan(ri_stats_sd(one, 1, 2));
    assert_nan(ri_stats_sd(one, 1, 0));
}

static void test_quantile(void **state)
{
    const double v[] = {4.0, NAN, 1.0, 3.0, 2.0};
    const double one[] = {7.0};
    const double none[] = {NAN};

    (void)state;
    /* Sorted {1,2,3,4}; GSL reads position q*(n-1). q = 0.5: position 1.5,
       halfway between 2 and 3 = 2.5. */
    assert_close(ri_stats_quantile(v, 1, 5, 0.5), 2.5, TOL);
    /* q = 0.25: position 0.75 = 1 + 0.75 * (2 - 1) = 1.75. */
    assert_close(ri_stats_quantile(v, 1, 5, 0.25), 1.75, TOL);
    assert_close(ri_stats_quantile(v, 1, 5, 0.0), 1.0, TOL);
    assert_close(ri_stats_quantile(v, 1, 5, 1.0), 4.0, TOL);
    /* Stride 2 reads 4, 1, 2: sorted {1,2,4}, median 2. */
    assert_close(ri_stats_quantile(v, 2, 3, 0.5), 2.0, TOL);
    assert_close(ri_stats_quantile(one, 1, 1, 0.3), 7.0, TOL);
    assert_nan(ri_stats_quantile(none, 1, 1, 0.5));
    assert_nan(ri_stats_quantile(v, 1, 5, -0.1));
    assert_nan(ri_stats_quantile(v, 1, 5, 1.1));
    assert_nan(ri_stats_quantile(v, 1, 5, NAN));
    /* The input is not reordered by the sort. */
    assert_close(v[0], 4.0, 0.0);
    assert_close(v[2], 1.0, 0.0);
}

static void test_weighted_mean(void **state)
{
    const double v[] = {1.0, 2.0, 3.0, NAN, 5.0, 6.0, 7.0};
    const double w[] = {1.0, 1.0, 2.0, 1.0, 0.0, -1.0, NAN};
    const double w0[] = {0.0, 0.0};

    (void)state;
    /* Pairs used: (1,1), (2,1), (3,2); NaN value, zero, negative and NaN weights
       are left out. (1 + 2 + 6) / 4 = 2.25. */
    assert_close(ri_stats_weighted_mean(v, w, 7), 2.25, TOL);
    assert_nan(ri_stats_weighted_mean(v, w0, 2));
    assert_nan(ri_stats_weighted_mean(v, w, 0));
}

static void test_summarise(void **state)
{
    /* Index 4 (100) is masked out; index 1 is a selected missing value. */
    const double v[] = {4.0, NAN, 8.0, 2.0, 100.0, 6.0};
    const unsigned char mask[] = {1, 1, 1, 1, 0, 1};
    ri_stats_summary s;
    ri_error err;

    (void)state;
    ri_error_clear(&err);
    assert_int_equal(ri_stats_summarise(v, 6, mask, &s, &err), RI_RC_OK);
    /* Values 4, 8, 2, 6. */
    assert_int_equal(s.n, 4);
    assert_int_equal(s.n_missing, 1);
    assert_close(s.mean, 5.0, TOL);
    /* Sorted {2,4,6,8}: median halfway between 4 and 6. */
    assert_close(s.median, 5.0, TOL);
    /* Deviations -1, 3, -3, 1: squares sum to 20; sd = sqrt(20/3) = 2.5819888974716112. */
    assert_close(s.sd, 2.5819888974716112, TOL);
    /* cv = 2.5819888974716112 / 5. */
    assert_close(s.cv, 0.51639777949432224, TOL);
    assert_close(s.min, 2.0, 0.0);
    assert_close(s.max, 8.0, 0.0);
    assert_int_equal(s.argmin, 3);
    /* 100 at index 4 would be the maximum if the mask were ignored. */
    assert_int_equal(s.argmax, 2);
    /* Decile d at position (d/10) * 3 of {2,4,6,8}; the values are evenly spaced
       so the quantile is 2 + 6 * d/10: 2.6, 3.2, ..., 7.4. */
    for (int d = 1; d <= 9; d++)
        assert_close(s.deciles[d - 1], 2.0 + 6.0 * d / 10.0, 1e-12);
}

static void test_summarise_no_mask_and_ties(void **state)
{
    const double v[] = {3.0, 1.0, 1.0, 5.0, 5.0, 0.5};
    ri_stats_summary s;
    ri_error err;

    (void)state;
    ri_error_clear(&err);
    /* Only the first five: {3,1,1,5,5}. First minimum at 1, first maximum at 3. */
    assert_int_equal(ri_stats_summarise(v, 5, NULL, &s, &err), RI_RC_OK);
    assert_int_equal(s.n, 5);
    assert_int_equal(s.n_missing, 0);
    assert_int_equal(s.argmin, 1);
    assert_int_equal(s.argmax, 3);
    /* Sorted {1,1,3,5,5}: median 3. */
    assert_close(s.median, 3.0, 0.0);
}

static void test_summarise_zero_mean(void **state)
{
    const double v[] = {-1.0, 1.0};
    ri_stats_summary s;
    ri_error err;

    (void)state;
    ri_error_clear(&err);
    assert_int_equal(ri_stats_summarise(v, 2, NULL, &s, &err), RI_RC_OK);
    assert_close(s.mean, 0.0, 0.0);
    /* Deviations -1, 1: sd = sqrt(2/1). */
    assert_close(s.sd, 1.4142135623730951, TOL);
    /* sd / 0 is not a coefficient of variation. */
    assert_nan(s.cv);
}

static void test_summarise_one_value(void **state)
{
    const double v[] = {NAN, 42.0, NAN};
    ri_stats_summary s;
    ri_error err;

    (void)state;
    ri_error_clear(&err);
    assert_int_equal(ri_stats_summarise(v, 3, NULL, &s, &err), RI_RC_OK);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.n_missing, 2);
    assert_close(s.mean, 42.0, 0.0);
    assert_close(s.median, 42.0, 0.0);
    assert_nan(s.sd);
    assert_nan(s.cv);
    assert_int_equal(s.argmin, 1);
    assert_int_equal(s.argmax, 1);
    assert_close(s.deciles[0], 42.0, 0.0);
    assert_close(s.deciles[8], 42.0, 0.0);
}

static void test_summarise_all_missing(void **state)
{
    const double v[] = {NAN, 5.0, NAN};
    const unsigned char mask[] = {1, 0, 1};
    ri_stats_summary s;
    ri_error err;

    (void)state;
    ri_error_clear(&err);
    /* 5 is masked out, so nothing finite is left. */
    assert_int_equal(ri_stats_summarise(v, 3, mask, &s, &err), RI_RC_DATA);
    assert_int_equal(err.code, RI_RC_DATA);
    assert_non_null(strstr(err.msg, "all 2 selected values are missing"));
    assert_int_equal(s.n, 0);
    assert_int_equal(s.n_missing, 2);
    assert_nan(s.mean);
    assert_nan(s.deciles[4]);
    assert_int_equal(s.argmin, (size_t)-1);
}

static void test_summarise_nothing_selected(void **state)
{
    const double v[] = {1.0, 2.0};
    const unsigned char mask[] = {0, 0};
    ri_stats_summary s;
    ri_error err;

    (void)state;
    ri_error_clear(&err);
    assert_int_equal(ri_stats_summarise(v, 2, mask, &s, &err), RI_RC_DATA);
    assert_non_null(strstr(err.msg, "none of the 2 values is selected"));
    assert_int_equal(s.n_missing, 0);
    /* Error values may be ignored: a NULL err still returns the code. */
    assert_int_equal(ri_stats_summarise(v, 2, mask, &s, NULL), RI_RC_DATA);
}

static void test_rank(void **state)
{
    /* Index 1 is missing; index 5 is masked out. Ranked: 10, 30, 20, 30. */
    const double v[] = {10.0, NAN, 30.0, 20.0, 30.0, 5.0};
    const unsigned char mask[] = {1, 1, 1, 1, 1, 0};
    double rank[6], pct[6];

    (void)state;
    ri_stats_rank(v, 6, mask, 1, rank, pct);
    /* Highest first; the two 30s share rank 1 and the next rank is 3. */
    assert_close(rank[0], 4.0, 0.0);
    assert_close(rank[2], 1.0, 0.0);
    assert_close(rank[3], 3.0, 0.0);
    assert_close(rank[4], 1.0, 0.0);
    assert_nan(rank[1]);
    assert_nan(rank[5]);
    /* Values strictly below, over C - 1 = 3: 10 -> 0/3, 20 -> 1/3, 30 -> 2/3. */
    assert_close(pct[0], 0.0, TOL);
    assert_close(pct[3], 100.0 / 3.0, TOL);
    assert_close(pct[2], 200.0 / 3.0, TOL);
    assert_close(pct[4], 200.0 / 3.0, TOL);
    assert_nan(pct[1]);
    assert_nan(pct[5]);

    /* Lowest first: 10 -> 1, 20 -> 2, 30s -> 3; percentiles do not change. */
    ri_stats_rank(v, 6, mask, 0, rank, pct);
    assert_close(rank[0], 1.0, 0.0);
    assert_close(rank[3], 2.0, 0.0);
    assert_close(rank[2], 3.0, 0.0);
    assert_close(rank[4], 3.0, 0.0);
    assert_close(pct[3], 100.0 / 3.0, TOL);

    /* Without a mask 5 is ranked too: lowest first it is rank 1 and 10 is rank 2;
       percentile of 30 = 3 below / (5 - 1) = 75. Only percentiles requested. */
    ri_stats_rank(v, 6, NULL, 0, rank, NULL);
    assert_close(rank[5], 1.0, 0.0);
    assert_close(rank[0], 2.0, 0.0);
    ri_stats_rank(v, 6, NULL, 1, NULL, pct);
    assert_close(pct[2], 75.0, TOL);
    assert_close(pct[5], 0.0, TOL);
}

static void test_rank_single(void **state)
{
    const double v[] = {NAN, 3.0};
    double rank[2], pct[2];

    (void)state;
    ri_stats_rank(v, 2, NULL, 1, rank, pct);
    assert_close(rank[1], 1.0, 0.0);
    assert_close(pct[1], 100.0, 0.0);
    assert_nan(rank[0]);
    assert_nan(pct[0]);
}

static void test_fit_exact(void **state)
{
    /* y = 1 + 2x exactly. */
    const double x[] = {2015.0, 2016.0, 2017.0, 2018.0};
    double y[4], c0, c1, se, r2;
    ri_error err;

    (void)state;
    for (int i = 0; i < 4; i++)
        y[i] = 1.0 + 2.0 * x[i];
    ri_error_clear(&err);
    assert_int_equal(ri_stats_fit_linear(x, y, 4, &c0, &c1, &se, &r2, &err), RI_RC_OK);
    assert_close(c1, 2.0, 1e-9);
    assert_close(c0, 1.0, 1e-5);
    assert_close(se, 0.0, 1e-9);
    assert_close(r2, 1.0, 1e-12);
}

static void test_fit_noisy(void **state)
{
    /* The NaN pair and the pair with missing y are left out; pairs used:
       x = 1..5, y = 2, 4, 5, 4, 5. */
    const double x[] = {1.0, 2.0, NAN, 3.0, 4.0, 5.0, 6.0};
    const double y[] = {2.0, 4.0, 9.0, 5.0, 4.0, 5.0, NAN};
    double c0, c1, se, r2;
    ri_error err;

    (void)state;
    ri_error_clear(&err);
    assert_int_equal(ri_stats_fit_linear(x, y, 7, &c0, &c1, &se, &r2, &err), RI_RC_OK);
    /* xbar = 3, ybar = 4; Sxx = 4+1+0+1+4 = 10; Sxy = (-2)(-2)+(-1)(0)+0(1)+1(0)+2(1) = 6;
       slope 6/10 = 0.6; intercept 4 - 0.6*3 = 2.2. */
    assert_close(c1, 0.6, TOL);
    assert_close(c0, 2.2, TOL);
    /* Fitted 2.8, 3.4, 4.0, 4.6, 5.2; residuals -0.8, 0.6, 1.0, -0.6, -0.2;
       SSE = 0.64+0.36+1+0.36+0.04 = 2.4; s^2 = 2.4/(5-2) = 0.8;
       se(slope) = sqrt(0.8/10) = 0.28284271247461901. */
    assert_close(se, 0.28284271247461901, TOL);
    /* TSS = 4+0+1+0+1 = 6; r2 = 1 - 2.4/6 = 0.6. */
    assert_close(r2, 0.6, TOL);

    /* Outputs the caller does not need may be NULL. */
    c1 = NAN;
    assert_int_equal(ri_stats_fit_linear(x, y, 7, NULL, &c1, NULL, NULL, &err), RI_RC_OK);
    assert_close(c1, 0.6, TOL);
}

static void test_fit_flat(void **state)
{
    /* Zero variance in y: slope 0, perfect fit, but r2 = 1 - 0/0 is undefined. */
    const double x[] = {1.0, 2.0, 3.0};
    const double y[] = {7.0, 7.0, 7.0};
    double c0, c1, se, r2;
    ri_error err;

    (void)state;
    ri_error_clear(&err);
    assert_int_equal(ri_stats_fit_linear(x, y, 3, &c0, &c1, &se, &r2, &err), RI_RC_OK);
    assert_close(c1, 0.0, TOL);
    assert_close(c0, 7.0, TOL);
    assert_close(se, 0.0, TOL);
    assert_nan(r2);
}

static void test_fit_too_few(void **state)
{
    const double x[] = {1.0, 2.0, 3.0, 4.0};
    const double y[] = {1.0, NAN, 3.0, NAN};
    const double all_nan[] = {NAN, NAN, NAN, NAN};
    double c0 = 0.0, c1 = 0.0, se = 0.0, r2 = 0.0;
    ri_error err;

    (void)state;
    ri_error_clear(&err);
    assert_int_equal(ri_stats_fit_linear(x, y, 4, &c0, &c1, &se, &r2, &err), RI_RC_DATA);
    assert_int_equal(err.code, RI_RC_DATA);
    assert_string_equal(err.msg, "trend needs at least 3 periods with values; got 2");
    /* Failed outputs are NaN, never a stale or zero value. */
    assert_nan(c0);
    assert_nan(c1);
    assert_nan(se);
    assert_nan(r2);

    ri_error_clear(&err);
    assert_int_equal(ri_stats_fit_linear(x, all_nan, 4, &c0, &c1, &se, &r2, &err), RI_RC_DATA);
    assert_string_equal(err.msg, "trend needs at least 3 periods with values; got 0");
}

static void test_fit_constant_x(void **state)
{
    const double x[] = {2019.0, 2019.0, 2019.0};
    const double y[] = {1.0, 2.0, 3.0};
    double c1 = 0.0;
    ri_error err;

    (void)state;
    ri_error_clear(&err);
    assert_int_equal(ri_stats_fit_linear(x, y, 3, NULL, &c1, NULL, NULL, &err), RI_RC_DATA);
    assert_non_null(strstr(err.msg, "at least 2 different periods; all 3 have x = 2019"));
    assert_nan(c1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_turns_off_gsl_abort),
        cmocka_unit_test(test_count),
        cmocka_unit_test(test_mean),
        cmocka_unit_test(test_sd),
        cmocka_unit_test(test_quantile),
        cmocka_unit_test(test_weighted_mean),
        cmocka_unit_test(test_summarise),
        cmocka_unit_test(test_summarise_no_mask_and_ties),
        cmocka_unit_test(test_summarise_zero_mean),
        cmocka_unit_test(test_summarise_one_value),
        cmocka_unit_test(test_summarise_all_missing),
        cmocka_unit_test(test_summarise_nothing_selected),
        cmocka_unit_test(test_rank),
        cmocka_unit_test(test_rank_single),
        cmocka_unit_test(test_fit_exact),
        cmocka_unit_test(test_fit_noisy),
        cmocka_unit_test(test_fit_flat),
        cmocka_unit_test(test_fit_too_few),
        cmocka_unit_test(test_fit_constant_x),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
