/*
 * test_plugin_host.c — finding, loading and validating plugins, checking
 * their parameters, and binding indicators to them without computing.
 *
 * Real modules come from PLUGIN_DIR (gva_gap, productivity) and
 * TEST_PLUGIN_DIR (bad_abi, no_entry, bad_descriptor, failing); the search
 * order is shown with symlinks to them in directories made by the test.
 * Descriptors and indicator settings for the schema rules are built by hand
 * below, so each expected message follows from the spec next to it.
 */
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
#include "config.h"
#include "engine.h"
#include "panel.h"
#include "params.h"
#include "plugin_host.h"
#include "results.h"

static const char *env_or(const char *name, const char *fallback)
{
    const char *s = getenv(name);
    return s && *s ? s : fallback;
}

/* Built modules; make check sets both, a manual run from the build directory needs neither. */
static const char *plugin_dir(void)
{
    return env_or("PLUGIN_DIR", "plugins");
}

static const char *test_plugin_dir(void)
{
    return env_or("TEST_PLUGIN_DIR", "tests/plugins");
}

static void assert_has(const char *msg, const char *want)
{
    if (!strstr(msg, want))
        fail_msg("message \"%s\" lacks \"%s\"", msg, want);
}

static int make_workdir(void **state)
{
    (void)state;
    /* The search path must be only what each test sets up. */
    unsetenv("REGIND_PLUGIN_PATH");
    return test_make_workdir("host");
}

static int remove_workdir(void **state)
{
    (void)state;
    return test_remove_tree(workdir);
}

static ri_plugin_host *host_with(char *const *cli, size_t n_cli, char *const *job, size_t n_job)
{
    ri_plugin_host *h = NULL;
    ri_error err = {RI_RC_OK, ""};
    if (ri_host_new(cli, n_cli, job, n_job, &h, &err) != RI_RC_OK)
        fail_msg("ri_host_new: %s", err.msg);
    assert_non_null(h);
    return h;
}

/* Load name from dir alone, expecting a refusal that says want. */
static void assert_load_refused(const char *dir, const char *name, const char *want1,
                                const char *want2)
{
    char *dirs[1] = {(char *)dir};
    ri_plugin_host *h = host_with(dirs, 1, NULL, 0);
    const ri_loaded *l = NULL;
    ri_error err = {RI_RC_OK, ""};

    assert_int_equal(ri_host_load(h, name, &l, &err), RI_RC_USAGE);
    assert_int_equal(err.code, RI_RC_USAGE);
    assert_has(err.msg, want1);
    if (want2)
        assert_has(err.msg, want2);
    ri_host_free(h);
}

/* ------------------------------------------------------------ loading */

static void test_load_by_name(void **state)
{
    char *dirs[1] = {(char *)plugin_dir()};
    char want[PATH_BUF];
    ri_plugin_host *h;
    const ri_loaded *l = NULL, *again = NULL;
    ri_error err = {RI_RC_OK, ""};
    (void)state;

    h = host_with(dirs, 1, NULL, 0);
    if (ri_host_load(h, "gva_gap", &l, &err) != RI_RC_OK)
        fail_msg("%s", err.msg);
    assert_string_equal(l->name, "gva_gap");
    assert_string_equal(l->desc->name, "gva_gap");
    /* The libtool archive is preferred to the bare module. */
    fmt(want, "%s/gva_gap.la", plugin_dir());
    assert_string_equal(l->path, want);
    /* plugins/gva_gap.c: inputs gva and denominator, six outputs. */
    assert_int_equal(l->desc->n_inputs, 2);
    assert_int_equal(l->desc->n_outputs, 6);
    assert_int_equal(l->desc->abi_major, RI_ABI_MAJOR);
    /* Loaded once: the second request returns the same entry. */
    assert_int_equal(ri_host_load(h, "gva_gap", &again, &err), RI_RC_OK);
    assert_ptr_equal(again, l);
    ri_host_free(h);
}

static void test_refuses_bad_abi(void **state)
{
    char want[PATH_BUF], plugin_abi[64], host_abi[64];
    (void)state;
    fmt(want, "%s/bad_abi.la: plugin built for ABI", test_plugin_dir());
    /* tests/plugins/bad_abi.c declares major RI_ABI_MAJOR + 1 with this minor. */
    snprintf(plugin_abi, sizeof plugin_abi, "ABI %d.%d", RI_ABI_MAJOR + 1, RI_ABI_MINOR);
    snprintf(host_abi, sizeof host_abi, "this regind has ABI %d.%d", RI_ABI_MAJOR, RI_ABI_MINOR);
    assert_load_refused(test_plugin_dir(), "bad_abi", want, plugin_abi);
    assert_load_refused(test_plugin_dir(), "bad_abi", host_abi, "rebuild the plugin");
}

static void test_refuses_no_entry(void **state)
{
    char want[PATH_BUF];
    (void)state;
    fmt(want, "%s/no_entry.la: no symbol ri_plugin_entry", test_plugin_dir());
    assert_load_refused(test_plugin_dir(), "no_entry", want, "RI_PLUGIN_DEFINE");
}

static void test_refuses_bad_descriptor(void **state)
{
    (void)state;
    /* tests/plugins/bad_descriptor.c: output "y" has unit "". */
    assert_load_refused(test_plugin_dir(), "bad_descriptor", "plugin bad_descriptor",
                        "output \"y\" has no unit");
}

static void test_refuses_paths(void **state)
{
    static const char *const names[] = {"../plugins/gva_gap", "plugins/gva_gap", "/gva_gap",
                                        "..", "gva_gap/..", "gva_gap.la", "GVA_GAP", ""};
    (void)state;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char want[PATH_BUF];
        fmt(want, "plugin \"%s\": not a plugin name", names[i]);
        assert_load_refused(plugin_dir(), names[i], want, "plugins load only from the search path");
    }
}

static void test_unknown_plugin_lists_dirs(void **state)
{
    char a[PATH_BUF], b[PATH_BUF], c[PATH_BUF], want[PATH_BUF], all[PATH_BUF] = "";
    char *cli[2] = {a, b}, *job[1] = {c};
    const char *const *dirs;
    size_t n;
    ri_plugin_host *h;
    const ri_loaded *l = NULL;
    ri_error err = {RI_RC_OK, ""};
    (void)state;

    fmt(a, "%s/none-a", workdir);
    fmt(b, "%s/none-b", workdir);
    fmt(c, "%s/none-c", workdir);
    h = host_with(cli, 2, job, 1);
    assert_int_equal(ri_host_load(h, "no_such_plugin", &l, &err), RI_RC_USAGE);
    /* The -P dirs, then the job's, then the installed directory last. */
    n = ri_host_dirs(h, &dirs);
    assert_int_equal(n, 4);
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(all);
        snprintf(all + used, sizeof all - used, "%s%s", i ? ":" : "", dirs[i]);
    }
    fmt(want, "%s:%s:%s:", a, b, c);
    assert_memory_equal(all, want, strlen(want));
    fmt(want, "unknown plugin \"no_such_plugin\"; searched %s", all);
    assert_has(err.msg, want);
    assert_has(err.msg, "regind list");
    ri_host_free(h);
}

/* ------------------------------------------------------------ search order */

/* dir/NAME.so -> the built module target.so in from_dir/.libs. */
static void link_module(const char *dir, const char *name, const char *from_dir, const char *target)
{
    char cwd[PATH_BUF], abs[PATH_BUF], link[PATH_BUF];
    struct stat st;
    if (from_dir[0] == '/') {
        fmt(abs, "%s/.libs/%s.so", from_dir, target);
    } else {
        assert_non_null(getcwd(cwd, sizeof cwd));
        fmt(abs, "%s/%s/.libs/%s.so", cwd, from_dir, target);
    }
    assert_int_equal(stat(abs, &st), 0);
    mkdir(dir, 0700);
    fmt(link, "%s/%s.so", dir, name);
    assert_int_equal(symlink(abs, link), 0);
}

static const char *loaded_from(char *const *cli, size_t n_cli, char *const *job, size_t n_job,
                               char *path_out)
{
    ri_plugin_host *h = host_with(cli, n_cli, job, n_job);
    const ri_loaded *l = NULL;
    ri_error err = {RI_RC_OK, ""};
    if (ri_host_load(h, "gva_gap", &l, &err) != RI_RC_OK)
        fail_msg("%s", err.msg);
    fmt(path_out, "%s", l->path);
    ri_host_free(h);
    return path_out;
}

static void test_search_order(void **state)
{
    char p_dir[PATH_BUF], env1[PATH_BUF], env2[PATH_BUF], job_dir[PATH_BUF], env[PATH_BUF * 2 + 8];
    char got[PATH_BUF], want[PATH_BUF];
    char *cli[1] = {p_dir}, *job[1] = {job_dir};
    const char *const *dirs;
    ri_plugin_host *h;
    (void)state;

    fmt(p_dir, "%s/order-P", workdir);
    fmt(env1, "%s/order-env1", workdir);
    fmt(env2, "%s/order-env2", workdir);
    fmt(job_dir, "%s/order-job", workdir);
    link_module(p_dir, "gva_gap", plugin_dir(), "gva_gap");
    link_module(env2, "gva_gap", plugin_dir(), "gva_gap");
    link_module(job_dir, "gva_gap", plugin_dir(), "gva_gap");
    mkdir(env1, 0700);
    /* Empty entries of REGIND_PLUGIN_PATH are skipped. */
    snprintf(env, sizeof env, "%s::%s:", env1, env2);
    assert_int_equal(setenv("REGIND_PLUGIN_PATH", env, 1), 0);

    h = host_with(cli, 1, job, 1);
    assert_int_equal(ri_host_dirs(h, &dirs), 5);
    assert_string_equal(dirs[0], p_dir);
    assert_string_equal(dirs[1], env1);
    assert_string_equal(dirs[2], env2);
    assert_string_equal(dirs[3], job_dir);
    ri_host_free(h);

    /* -P first ... */
    fmt(want, "%s/gva_gap.so", p_dir);
    assert_string_equal(loaded_from(cli, 1, job, 1, got), want);
    /* ... then REGIND_PLUGIN_PATH in its order (env1 has no gva_gap) ... */
    fmt(want, "%s/gva_gap.so", env2);
    assert_string_equal(loaded_from(NULL, 0, job, 1, got), want);
    /* ... then the job's plugin_path. */
    assert_int_equal(unsetenv("REGIND_PLUGIN_PATH"), 0);
    fmt(want, "%s/gva_gap.so", job_dir);
    assert_string_equal(loaded_from(NULL, 0, job, 1, got), want);
}

/* The first file found is the one used: a wrong module earlier on the path is refused, not skipped. */
static void test_first_found_is_used(void **state)
{
    char wrong[PATH_BUF], good[PATH_BUF], want[PATH_BUF];
    char *cli[1] = {wrong}, *job[1] = {good};
    ri_plugin_host *h;
    const ri_loaded *l = NULL;
    ri_error err = {RI_RC_OK, ""};
    (void)state;

    fmt(wrong, "%s/first-wrong", workdir);
    fmt(good, "%s/first-good", workdir);
    link_module(wrong, "gva_gap", test_plugin_dir(), "failing");
    link_module(good, "gva_gap", plugin_dir(), "gva_gap");

    h = host_with(cli, 1, job, 1);
    assert_int_equal(ri_host_load(h, "gva_gap", &l, &err), RI_RC_USAGE);
    fmt(want, "%s/gva_gap.so: file is named gva_gap but the plugin calls itself \"failing\"", wrong);
    assert_has(err.msg, want);
    ri_host_free(h);

    /* Given through REGIND_PLUGIN_PATH instead, the wrong module still precedes the job's. */
    assert_int_equal(setenv("REGIND_PLUGIN_PATH", wrong, 1), 0);
    h = host_with(NULL, 0, job, 1);
    assert_int_equal(ri_host_load(h, "gva_gap", &l, &err), RI_RC_USAGE);
    assert_has(err.msg, want);
    ri_host_free(h);
    assert_int_equal(unsetenv("REGIND_PLUGIN_PATH"), 0);
}

/* ------------------------------------------------------------ listing */

static const char *error_with(const ri_listing *ls, const char *a, const char *b)
{
    const char *found = NULL;
    for (size_t i = 0; i < ls->n_errors; i++)
        if (strstr(ls->errors[i], a) && strstr(ls->errors[i], b)) {
            if (found)
                fail_msg("two listing errors mention %s: %s", a, ls->errors[i]);
            found = ls->errors[i];
        }
    if (!found)
        fail_msg("no listing error mentions %s with \"%s\"", a, b);
    return found;
}

static void test_list(void **state)
{
    char *dirs[3];
    char missing[PATH_BUF], bad_abi[PATH_BUF], no_entry[PATH_BUF], bad_desc[PATH_BUF];
    ri_plugin_host *h;
    ri_listing ls;
    ri_error err = {RI_RC_OK, ""};
    int failing = 0, gva_gap = 0, productivity = 0;
    (void)state;

    fmt(missing, "%s/no-such-dir", workdir);
    dirs[0] = missing; /* a directory that does not exist is skipped */
    dirs[1] = (char *)test_plugin_dir();
    dirs[2] = (char *)plugin_dir();
    h = host_with(dirs, 3, NULL, 0);
    assert_int_equal(ri_host_list(h, &ls, &err), RI_RC_OK);

    for (size_t i = 0; i < ls.n_plugins; i++) {
        const char *name = ls.plugins[i]->name;
        if (i > 0)
            assert_true(strcmp(ls.plugins[i - 1]->name, name) < 0);
        failing += strcmp(name, "failing") == 0;
        gva_gap += strcmp(name, "gva_gap") == 0;
        productivity += strcmp(name, "productivity") == 0;
        assert_string_not_equal(name, "bad_abi");
        assert_string_not_equal(name, "no_entry");
        assert_string_not_equal(name, "bad_descriptor");
    }
    assert_int_equal(failing, 1);
    assert_int_equal(gva_gap, 1);
    assert_int_equal(productivity, 1);

    fmt(bad_abi, "%s/bad_abi.la", test_plugin_dir());
    fmt(no_entry, "%s/no_entry.la", test_plugin_dir());
    fmt(bad_desc, "%s/bad_descriptor.la", test_plugin_dir());
    error_with(&ls, bad_abi, "plugin built for ABI");
    error_with(&ls, no_entry, "no symbol ri_plugin_entry");
    error_with(&ls, bad_desc, "has no unit");
    assert_true(ls.n_errors >= 3);
    ri_listing_free(&ls);
    assert_int_equal(ls.n_plugins, 0);
    ri_host_free(h);
}

/* ------------------------------------------------------------ descriptor rules */

static ri_status no_compute(const ri_host *host, const ri_call *call)
{
    (void)call;
    return host->error(call->ctx, "not for computing");
}

static const char *const kinds[] = {"head", "hour", "job", NULL};
static const char *const no_choices[] = {NULL};

static const ri_input_spec good_inputs[] = {
    {"gva", 0, "GVA in GBP million"},
    {"people", RI_OPTIONAL, "population"},
};
static const ri_param_spec good_params[] = {
    {"scale", RI_PARAM_DOUBLE, "1", 0, 1e6, NULL, "multiplier"},
    {"years", RI_PARAM_INT, "5", 1, 50, NULL, "span in years"},
    {"kind", RI_PARAM_CHOICE, "head", 0, 0, kinds, "what the denominator counts"},
    {"share", RI_PARAM_DOUBLE, NULL, 0, 1, NULL, "share of the gap to close"},
    {"label", RI_PARAM_STRING, "x", 0, 0, NULL, "a label"},
    {"flag", RI_PARAM_BOOL, "false", 0, 0, NULL, "a switch"},
    {"anything", RI_PARAM_DOUBLE, "-1e300", 1, 0, NULL, "unbounded: min > max"},
};
static const ri_output_spec good_outputs[] = {
    {"per_head", "GBP per head", 0, "GVA per head"},
    {"index", "index (benchmark = 100)", 0, "relative to the benchmark"},
};

static ri_plugin good_descriptor(void)
{
    ri_plugin d = {RI_PLUGIN_HEADER, "test", "1.0.0", "a descriptor for tests",
                   good_inputs, RI_COUNT(good_inputs), good_params, RI_COUNT(good_params),
                   good_outputs, RI_COUNT(good_outputs), no_compute};
    return d;
}

static void assert_descriptor_refused(const ri_plugin *d, const char *want1, const char *want2)
{
    ri_error err = {RI_RC_OK, ""};
    assert_int_equal(ri_descriptor_check(d, "test.so", &err), RI_RC_USAGE);
    assert_has(err.msg, want1);
    if (want2)
        assert_has(err.msg, want2);
}

static void test_descriptor_valid(void **state)
{
    ri_plugin d = good_descriptor();
    ri_error err = {RI_RC_OK, ""};
    (void)state;
    if (ri_descriptor_check(&d, "test.so", &err) != RI_RC_OK)
        fail_msg("%s", err.msg);
    /* A bigger descriptor (built with appended members) of the same minor is fine. */
    d.struct_size = sizeof(ri_plugin) + 16;
    assert_int_equal(ri_descriptor_check(&d, "test.so", &err), RI_RC_OK);
}

static void test_descriptor_abi(void **state)
{
    ri_plugin d = good_descriptor();
    char want[256];
    (void)state;

    assert_descriptor_refused(NULL, "test.so: ri_plugin_entry() returned NULL", NULL);

    d.abi_major = RI_ABI_MAJOR + 1;
    snprintf(want, sizeof want, "test.so: plugin built for ABI %d.%d, this regind has ABI %d.%d",
             RI_ABI_MAJOR + 1, RI_ABI_MINOR, RI_ABI_MAJOR, RI_ABI_MINOR);
    assert_descriptor_refused(&d, want, "expected major version");

    d = good_descriptor();
    d.abi_minor = RI_ABI_MINOR + 1;
    snprintf(want, sizeof want, "test.so: plugin built for ABI %d.%d, newer than this regind's %d.%d",
             RI_ABI_MAJOR, RI_ABI_MINOR + 1, RI_ABI_MAJOR, RI_ABI_MINOR);
    assert_descriptor_refused(&d, want, "upgrade regind");

    /* A descriptor that ends before compute: the host would read past it. */
    d = good_descriptor();
    d.struct_size = offsetof(ri_plugin, compute);
    snprintf(want, sizeof want, "test.so: descriptor size %zu is smaller than", offsetof(ri_plugin, compute));
    assert_descriptor_refused(&d, want, "RI_PLUGIN_HEADER");
}

/* Flags: the ones each kind of spec has, and RI_BENCHMARK_ROW only from ABI 1.1, the minor that defined it. */
static void test_descriptor_flags(void **state)
{
    static const ri_input_spec odd_input[] = {{"gva", RI_BENCHMARK_ROW, "h"}};
    static const ri_output_spec odd_output[] = {{"y", "%", RI_OPTIONAL, "h"}};
    static const ri_output_spec bench_row[] = {{"p50", "%", RI_BENCHMARK_ROW, "h"}};
    ri_plugin d = good_descriptor();
    ri_error err = {RI_RC_OK, ""};
    (void)state;

    d.inputs = odd_input;
    d.n_inputs = 1;
    assert_descriptor_refused(&d, "plugin test (test.so): input \"gva\" has flags 0x4", "RI_BY_INDUSTRY and RI_OPTIONAL only");

    d = good_descriptor();
    d.outputs = odd_output;
    d.n_outputs = 1;
    assert_descriptor_refused(&d, "plugin test (test.so): output \"y\" has flags 0x2", "RI_BY_INDUSTRY and RI_BENCHMARK_ROW only");

    d.outputs = bench_row;
    assert_int_equal(ri_descriptor_check(&d, "test.so", &err), RI_RC_OK);
    d.abi_minor = 0;
    assert_descriptor_refused(&d, "output \"p50\" has flags 0x4", "RI_BENCHMARK_ROW needs ABI 1.1");
}

static void test_descriptor_names(void **state)
{
    static const ri_input_spec bad_role[] = {{"gva-total", 0, "h"}};
    static const ri_input_spec dup_role[] = {{"gva", 0, "h"}, {"gva", 0, "h"}};
    static const ri_output_spec bad_out[] = {{"Index", "%", 0, "h"}};
    static const ri_output_spec dup_out[] = {{"y", "%", 0, "h"}, {"z", "%", 0, "h"}, {"y", "%", 0, "h"}};
    static const ri_output_spec no_unit[] = {{"y", "", 0, "h"}};
    static const ri_param_spec bad_param[] = {{"Scale", RI_PARAM_DOUBLE, "1", 0, 2, NULL, "h"}};
    static const ri_param_spec dup_param[] = {{"s", RI_PARAM_DOUBLE, "1", 0, 2, NULL, "h"},
                                              {"s", RI_PARAM_INT, "1", 0, 2, NULL, "h"}};
    ri_plugin d = good_descriptor();
    (void)state;

    d.name = "Gap";
    assert_descriptor_refused(&d, "test.so: plugin name \"Gap\" is not an identifier", "[a-z][a-z0-9_]*");
    d.name = "9gap";
    assert_descriptor_refused(&d, "plugin name \"9gap\" is not an identifier", NULL);
    d.name = NULL;
    assert_descriptor_refused(&d, "plugin name \"(null)\" is not an identifier", NULL);

    d = good_descriptor();
    d.inputs = bad_role;
    d.n_inputs = 1;
    assert_descriptor_refused(&d, "plugin test (test.so): input 1 has role \"gva-total\"", "expected an identifier");
    d.inputs = dup_role;
    d.n_inputs = 2;
    assert_descriptor_refused(&d, "input \"gva\" is declared twice", NULL);

    d = good_descriptor();
    d.outputs = bad_out;
    d.n_outputs = 1;
    assert_descriptor_refused(&d, "plugin test (test.so): output 1 is named \"Index\"", NULL);
    d.outputs = dup_out;
    d.n_outputs = 3;
    assert_descriptor_refused(&d, "output \"y\" is declared twice", "expected unique names");
    d.outputs = no_unit;
    d.n_outputs = 1;
    assert_descriptor_refused(&d, "output \"y\" has no unit", NULL);
    d.n_outputs = 0;
    assert_descriptor_refused(&d, "expected 1-256 outputs", NULL);

    d = good_descriptor();
    d.params = bad_param;
    d.n_params = 1;
    assert_descriptor_refused(&d, "plugin test: test.so: parameter name \"Scale\" is not an identifier", NULL);
    d.params = dup_param;
    d.n_params = 2;
    assert_descriptor_refused(&d, "parameter \"s\" is declared twice", NULL);

    d = good_descriptor();
    d.version = "";
    assert_descriptor_refused(&d, "plugin test (test.so): empty version", NULL);
    d = good_descriptor();
    d.summary = NULL;
    assert_descriptor_refused(&d, "empty summary", NULL);
    d = good_descriptor();
    d.compute = NULL;
    assert_descriptor_refused(&d, "plugin test (test.so): no compute function", NULL);
}

static void test_descriptor_params(void **state)
{
    static const ri_param_spec choice_null[] = {{"kind", RI_PARAM_CHOICE, NULL, 0, 0, NULL, "h"}};
    static const ri_param_spec choice_empty[] = {{"kind", RI_PARAM_CHOICE, NULL, 0, 0, no_choices, "h"}};
    static const ri_param_spec choice_bad_default[] = {{"kind", RI_PARAM_CHOICE, "week", 0, 0, kinds, "h"}};
    static const ri_param_spec over[] = {{"share", RI_PARAM_DOUBLE, "2", 0, 1, NULL, "h"}};
    static const ri_param_spec int_range[] = {{"years", RI_PARAM_INT, "0", 1, 50, NULL, "h"}};
    static const ri_param_spec int_text[] = {{"years", RI_PARAM_INT, "1.5", 1, 50, NULL, "h"}};
    static const ri_param_spec bool_text[] = {{"flag", RI_PARAM_BOOL, "yes", 0, 0, NULL, "h"}};
    static const ri_param_spec no_help[] = {{"share", RI_PARAM_DOUBLE, "0.5", 0, 1, NULL, ""}};
    static const ri_param_spec null_help[] = {{"share", RI_PARAM_DOUBLE, "0.5", 0, 1, NULL, NULL}};
    static const ri_param_spec bad_type[] = {{"share", (ri_param_type)9, "0.5", 0, 1, NULL, "h"}};
    ri_plugin d = good_descriptor();
    (void)state;

    d.n_params = 1;
    d.params = choice_null;
    assert_descriptor_refused(&d, "parameter \"kind\" is a choice without choices", NULL);
    d.params = choice_empty;
    assert_descriptor_refused(&d, "parameter \"kind\" is a choice without choices", NULL);
    d.params = choice_bad_default;
    assert_descriptor_refused(&d, "parameter \"kind\" = \"week\" is not allowed",
                              "expected one of \"head\", \"hour\", \"job\"");
    d.params = over;
    assert_descriptor_refused(&d, "plugin test: test.so: parameter \"share\" = 2 is out of range",
                              "expected 0 to 1");
    d.params = int_range;
    assert_descriptor_refused(&d, "parameter \"years\" = 0 is out of range", "expected 1 to 50");
    d.params = int_text;
    assert_descriptor_refused(&d, "parameter \"years\": default \"1.5\" is not an integer", NULL);
    d.params = bool_text;
    assert_descriptor_refused(&d, "parameter \"flag\": default \"yes\" is not true or false", NULL);
    d.params = no_help;
    assert_descriptor_refused(&d, "parameter \"share\" has no help text", NULL);
    d.params = null_help;
    assert_descriptor_refused(&d, "parameter \"share\" has no help text", NULL);
    d.params = bad_type;
    assert_descriptor_refused(&d, "parameter \"share\" has unknown type 9", NULL);
}

/* ------------------------------------------------------------ parameter binding */

enum { P_SCALE, P_YEARS, P_KIND, P_SHARE, P_LABEL, P_FLAG, P_ANYTHING };

static ri_raw_param raw_int(char *name, long long v)
{
    ri_raw_param p = {name, RI_RAW_INT, v, 0.0, NULL, {"job.cfg", 20}};
    return p;
}

static ri_raw_param raw_float(char *name, double v)
{
    ri_raw_param p = {name, RI_RAW_FLOAT, 0, v, NULL, {"job.cfg", 21}};
    return p;
}

static ri_raw_param raw_string(char *name, char *v)
{
    ri_raw_param p = {name, RI_RAW_STRING, 0, 0.0, v, {"job.cfg", 22}};
    return p;
}

static ri_raw_param raw_bool(char *name, int v)
{
    ri_raw_param p = {name, RI_RAW_BOOL, v, 0.0, NULL, {"job.cfg", 23}};
    return p;
}

static ri_indicator_cfg indicator(ri_raw_param *params, size_t n)
{
    static char id[] = "gap", plugin[] = "test";
    ri_indicator_cfg ind;
    memset(&ind, 0, sizeof ind);
    ind.id = id;
    ind.plugin = plugin;
    ind.params = params;
    ind.n_params = n;
    ind.loc.file = "job.cfg";
    ind.loc.line = 10;
    return ind;
}

static void bind_refused(ri_raw_param *params, size_t n, const char *want1, const char *want2)
{
    ri_plugin d = good_descriptor();
    ri_indicator_cfg ind = indicator(params, n);
    ri_value *v = (ri_value *)&v;
    ri_error err = {RI_RC_OK, ""};
    assert_int_equal(ri_params_bind(&d, &ind, &v, &err), RI_RC_USAGE);
    assert_null(v);
    assert_has(err.msg, want1);
    if (want2)
        assert_has(err.msg, want2);
}

static void test_params_defaults_and_coercion(void **state)
{
    char share[] = "share", scale[] = "scale", kind[] = "kind", hour[] = "hour", flag[] = "flag";
    ri_raw_param only_share[] = {raw_float(share, 0.25)};
    ri_raw_param given[] = {raw_int(share, 1), raw_int(scale, 1000000), raw_string(kind, hour),
                            raw_bool(flag, 1)};
    ri_plugin d = good_descriptor();
    ri_indicator_cfg ind = indicator(only_share, 1);
    ri_value *v = NULL;
    ri_error err = {RI_RC_OK, ""};
    (void)state;

    if (ri_params_bind(&d, &ind, &v, &err) != RI_RC_OK)
        fail_msg("%s", err.msg);
    /* Defaults from good_params. */
    assert_true(v[P_SCALE].d == 1.0);
    assert_int_equal(v[P_YEARS].i, 5);
    assert_true(v[P_YEARS].d == 5.0);
    assert_string_equal(v[P_KIND].s, "head");
    assert_int_equal(v[P_KIND].i, 0);
    assert_string_equal(v[P_LABEL].s, "x");
    assert_int_equal(v[P_FLAG].i, 0);
    /* min > max means unbounded, so -1e300 is accepted. */
    assert_true(v[P_ANYTHING].d == -1e300);
    assert_true(v[P_SHARE].d == 0.25);
    free(v);

    ind = indicator(given, 4);
    if (ri_params_bind(&d, &ind, &v, &err) != RI_RC_OK)
        fail_msg("%s", err.msg);
    /* Integers are accepted for numbers: share = 1 is 1.0, scale = 1000000 is 1e6 (the upper bound). */
    assert_true(v[P_SHARE].d == 1.0);
    assert_true(v[P_SCALE].d == 1e6);
    assert_string_equal(v[P_KIND].s, "hour");
    assert_int_equal(v[P_KIND].i, 1);
    /* The choice points at the descriptor's string, not the job's copy. */
    assert_ptr_equal(v[P_KIND].s, kinds[1]);
    assert_int_equal(v[P_FLAG].i, 1);
    free(v);
}

static void test_params_refused(void **state)
{
    char share[] = "share", years[] = "years", kind[] = "kind", week[] = "week", shar[] = "shar";
    char zzz[] = "colour_scheme", flag[] = "flag", label[] = "label";
    ri_raw_param float_for_int[] = {raw_float(share, 0.5), raw_float(years, 5.0)};
    ri_raw_param bad_choice[] = {raw_float(share, 0.5), raw_string(kind, week)};
    ri_raw_param out_of_range[] = {raw_float(share, 1.5)};
    ri_raw_param negative[] = {raw_float(share, 0.5), raw_int(years, 0)};
    ri_raw_param typo[] = {raw_float(shar, 0.5)};
    ri_raw_param unknown[] = {raw_float(share, 0.5), raw_int(zzz, 1)};
    ri_raw_param int_for_bool[] = {raw_float(share, 0.5), raw_int(flag, 1)};
    ri_raw_param number_for_string[] = {raw_float(share, 0.5), raw_int(label, 3)};
    (void)state;

    bind_refused(float_for_int, 2, "job.cfg:21: indicator \"gap\": parameter \"years\" has the wrong type",
                 "expected an integer");
    bind_refused(bad_choice, 2, "job.cfg:22: indicator \"gap\": parameter \"kind\" = \"week\" is not allowed",
                 "expected one of \"head\", \"hour\", \"job\"");
    bind_refused(out_of_range, 1, "job.cfg:21: indicator \"gap\": parameter \"share\" = 1.5 is out of range",
                 "expected 0 to 1");
    bind_refused(negative, 2, "parameter \"years\" = 0 is out of range", "expected 1 to 50");
    bind_refused(typo, 1, "job.cfg:21: indicator \"gap\": plugin test has no parameter \"shar\"",
                 "did you mean \"share\"?");
    bind_refused(unknown, 2, "plugin test has no parameter \"colour_scheme\"; see `regind describe test`",
                 NULL);
    bind_refused(int_for_bool, 2, "parameter \"flag\" has the wrong type", "expected true or false");
    bind_refused(number_for_string, 2, "parameter \"label\" has the wrong type", "expected a string");
    /* share has no default: leaving it out is an error located at the indicator. */
    bind_refused(NULL, 0, "job.cfg:10: indicator \"gap\": plugin test needs parameter \"share\" (a number)",
                 "expected it in params");
}

/* An unknown name gets no suggestion when nothing is close. */
static void test_params_no_far_suggestion(void **state)
{
    char share[] = "share", zzz[] = "colour_scheme";
    ri_raw_param unknown[] = {raw_float(share, 0.5), raw_int(zzz, 1)};
    ri_plugin d = good_descriptor();
    ri_indicator_cfg ind = indicator(unknown, 2);
    ri_value *v = NULL;
    ri_error err = {RI_RC_OK, ""};
    (void)state;
    assert_int_equal(ri_params_bind(&d, &ind, &v, &err), RI_RC_USAGE);
    assert_null(strstr(err.msg, "did you mean"));
}

/* ------------------------------------------------------------ binding inputs (check only) */

static const char engine_job[] =
    "version = 1;\n"
    "datasets = (\n"
    "  { id = \"flat\"; file = \"flat.csv\"; area = \"code\"; period = \"year\";\n"
    "    measures = { gva = \"gva\"; pop = \"pop\"; }; additive = [ \"gva\", \"pop\" ]; },\n"
    "  { id = \"ind\"; file = \"ind.csv\"; area = \"code\"; period = \"year\"; industry = \"sic\";\n"
    "    measures = { gva_by_sic = \"gva\"; }; }\n"
    ");\n"
    "indicators = (\n"
    "  { id = \"ok\"; plugin = \"gva_gap\"; inputs = { gva = \"gva\"; denominator = \"pop\"; }; benchmark = \"E07000001\"; },\n"
    "  { id = \"typo\"; plugin = \"gva_gap\"; inputs = { gvaa = \"gva\"; denominator = \"pop\"; }; },\n"
    "  { id = \"short\"; plugin = \"gva_gap\"; inputs = { gva = \"gva\"; }; },\n"
    "  { id = \"shape\"; plugin = \"gva_gap\"; inputs = { gva = \"gva_by_sic\"; denominator = \"pop\"; }; },\n"
    "  { id = \"bench\"; plugin = \"gva_gap\"; inputs = { gva = \"gva\"; denominator = \"pop\"; }; benchmark = \"E92000001\"; },\n"
    "  { id = \"param\"; plugin = \"gva_gap\"; inputs = { gva = \"gva\"; denominator = \"pop\"; }; params = { target_shares = 0.5; }; },\n"
    "  { id = \"nope\"; plugin = \"no_such_plugin\"; inputs = { gva = \"gva\"; }; },\n"
    "  { id = \"fails\"; plugin = \"failing\"; inputs = { x = \"gva\"; }; }\n"
    ");\n";

typedef struct engine_fixture {
    char path[PATH_BUF];
    ri_job *job;
    ri_panel *panel;
    ri_plugin_host *host;
} engine_fixture;

static void engine_open(engine_fixture *fx)
{
    char *dirs[2] = {(char *)plugin_dir(), (char *)test_plugin_dir()};
    ri_error err = {RI_RC_OK, ""};

    write_file("flat.csv", "code,year,gva,pop\nE07000001,2019,10,1000\nE07000002,2019,30,2000\n");
    write_file("ind.csv", "code,year,sic,gva\nE07000001,2019,C,4\nE07000001,2019,F,6\n");
    write_file("engine.cfg", engine_job);
    fmt(fx->path, "%s/engine.cfg", workdir);
    if (ri_job_load(fx->path, &fx->job, &err) != RI_RC_OK ||
        ri_panel_build(fx->job, &fx->panel, &err) != RI_RC_OK)
        fail_msg("%s", err.msg);
    fx->host = host_with(dirs, 2, NULL, 0);
}

static void engine_close(engine_fixture *fx)
{
    ri_host_free(fx->host);
    ri_panel_free(fx->panel);
    ri_job_free(fx->job);
}

static ri_rc engine_one(engine_fixture *fx, const char *id, int check_only, ri_results **res,
                        ri_error *err)
{
    const char *only[1] = {id};
    ri_engine_opts opts;
    memset(&opts, 0, sizeof opts);
    opts.only = only;
    opts.n_only = 1;
    opts.check_only = check_only;
    return ri_engine_run(fx->job, fx->panel, fx->host, &opts, res, err);
}

static int line_of(const char *needle)
{
    const char *hit = strstr(engine_job, needle);
    int line = 1;
    assert_non_null(hit);
    for (const char *s = engine_job; s < hit; s++)
        line += *s == '\n';
    return line;
}

static void engine_refused(engine_fixture *fx, const char *id, const char *line_needle,
                           const char *want1, const char *want2)
{
    char want[PATH_BUF];
    ri_results *res = (ri_results *)&res;
    ri_error err = {RI_RC_OK, ""};

    assert_int_equal(engine_one(fx, id, 1, &res, &err), RI_RC_USAGE);
    assert_null(res);
    fmt(want, "%s:%d: indicator \"%s\": %s", fx->path, line_of(line_needle), id, want1);
    assert_has(err.msg, want);
    if (want2)
        assert_has(err.msg, want2);
}

static void test_engine_check_only(void **state)
{
    engine_fixture fx;
    ri_results *res = NULL;
    ri_error err = {RI_RC_OK, ""};
    (void)state;

    /* A run adds its outputs to the panel as measures, so each run below gets a fresh panel. */
    engine_open(&fx);
    if (engine_one(&fx, "ok", 1, &res, &err) != RI_RC_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(res->n_cols, 0); /* checked, nothing computed */
    ri_results_free(res);
    engine_close(&fx);

    /* failing's compute always fails: check_only must never call it ... */
    engine_open(&fx);
    if (engine_one(&fx, "fails", 1, &res, &err) != RI_RC_OK)
        fail_msg("%s", err.msg);
    ri_results_free(res);
    engine_close(&fx);
    /* ... and a real run does. */
    engine_open(&fx);
    assert_int_equal(engine_one(&fx, "fails", 0, &res, &err), RI_RC_DATA);
    assert_null(res);
    assert_has(err.msg, "indicator \"fails\" (plugin failing 1.0.0): failing: deliberate failure for tests");
    engine_close(&fx);

    /* The good indicator computes: E07000001 has 10 / 1000 * 1e6 GBP = 10000 GBP per head. */
    engine_open(&fx);
    if (engine_one(&fx, "ok", 0, &res, &err) != RI_RC_OK)
        fail_msg("%s", err.msg);
    {
        const ri_result_col *c = ri_results_find(res, "ok", "gva_per_head");
        size_t a = ri_panel_area(fx.panel, "E07000001"), t = ri_panel_period(fx.panel, "2019");
        assert_non_null(c);
        assert_true(c->v[a * fx.panel->n_periods + t] == 10000.0);
    }
    ri_results_free(res);
    engine_close(&fx);
}

static void test_engine_binding_errors(void **state)
{
    engine_fixture fx;
    ri_results *res = (ri_results *)&res;
    ri_error err = {RI_RC_OK, ""};
    (void)state;

    engine_open(&fx);
    engine_refused(&fx, "typo", "gvaa", "plugin gva_gap has no input \"gvaa\"; did you mean \"gva\"?",
                   "regind describe gva_gap");
    engine_refused(&fx, "short", "{ id = \"short\"", "plugin gva_gap needs input \"denominator\"",
                   "expected inputs = { denominator = \"measure\"; }");
    engine_refused(&fx, "shape", "gva = \"gva_by_sic\"",
                   "input gva = \"gva_by_sic\" is by industry; plugin gva_gap expects a measure not by industry",
                   NULL);
    engine_refused(&fx, "bench", "{ id = \"bench\"", "benchmark area \"E92000001\" is not in the data", NULL);
    engine_refused(&fx, "param", "target_shares", "plugin gva_gap has no parameter \"target_shares\"",
                   "did you mean \"target_share\"?");
    engine_refused(&fx, "nope", "{ id = \"nope\"", "unknown plugin \"no_such_plugin\"; searched", NULL);

    /* Selecting an indicator the job does not have. */
    assert_int_equal(engine_one(&fx, "missing", 1, &res, &err), RI_RC_USAGE);
    assert_null(res);
    assert_has(err.msg, "no indicator \"missing\" in the job");
    engine_close(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_by_name),
        cmocka_unit_test(test_refuses_bad_abi),
        cmocka_unit_test(test_refuses_no_entry),
        cmocka_unit_test(test_refuses_bad_descriptor),
        cmocka_unit_test(test_refuses_paths),
        cmocka_unit_test(test_unknown_plugin_lists_dirs),
        cmocka_unit_test(test_search_order),
        cmocka_unit_test(test_first_found_is_used),
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_descriptor_valid),
        cmocka_unit_test(test_descriptor_abi),
        cmocka_unit_test(test_descriptor_flags),
        cmocka_unit_test(test_descriptor_names),
        cmocka_unit_test(test_descriptor_params),
        cmocka_unit_test(test_params_defaults_and_coercion),
        cmocka_unit_test(test_params_refused),
        cmocka_unit_test(test_params_no_far_suggestion),
        cmocka_unit_test(test_engine_check_only),
        cmocka_unit_test(test_engine_binding_errors),
    };
    return cmocka_run_group_tests(tests, make_workdir, remove_workdir);
}
