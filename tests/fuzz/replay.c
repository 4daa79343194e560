/*
 * replay.c — runs the fuzz harnesses without libFuzzer, for `make check`.
 *
 * Without arguments it feeds every file of tests/fuzz/corpus/TARGET/ and
 * tests/fuzz/regressions/TARGET/ under $SRCDIR (default ".") to the harness
 * TARGET, for each of csv, dataset, config, number and xlsx. With arguments,
 * `replay TARGET FILE...` runs the named files only (to reproduce a crash
 * libFuzzer saved). A broken invariant aborts with the file's name; under
 * the sanitizer or valgrind builds a memory error fails the test the same way.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

typedef int (*harness)(const uint8_t *, size_t);

/*
 * Under LeakSanitizer: the leaks of libconfig 1.5 listed in tests/lsan.supp,
 * so that replaying job texts with parse errors needs no LSAN_OPTIONS.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:strbuf_append\nleak:libconfig_yylex\n";
}

static const struct {
    const char *name;
    harness fn;
} targets[] = {
    {"csv", ri_fuzz_csv},
    {"dataset", ri_fuzz_dataset},
    {"config", ri_fuzz_config},
    {"number", ri_fuzz_number},
    {"xlsx", ri_fuzz_xlsx},
};

/* The whole file in a buffer of its exact size, so reading past it is caught. */
static int replay_file(harness fn, const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0, n;
    unsigned char chunk[65536];

    if (!f) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return -1;
    }
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (len + n > cap) {
            unsigned char *grown;
            cap = (len + n) * 2;
            if (!(grown = realloc(buf, cap))) {
                free(buf);
                fclose(f);
                fprintf(stderr, "replay: out of memory reading %s\n", path);
                return -1;
            }
            buf = grown;
        }
        memcpy(buf + len, chunk, n);
        len += n;
    }
    fclose(f);
    {
        /* An exact-size copy: the harness must never touch a byte beyond the input. */
        unsigned char *exact = malloc(len ? len : 1);
        if (!exact) {
            free(buf);
            return -1;
        }
        if (len)
            memcpy(exact, buf, len);
        free(buf);
        ri_fuzz_current = path;
        fn(exact, len);
        ri_fuzz_current = NULL;
        free(exact);
    }
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of dir, in name order; a missing dir counts as empty. */
static long replay_dir(harness fn, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;
    long done = 0;

    if (!d)
        return 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            char **grown = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof *names);
            if (!grown)
                break;
            names = grown;
        }
        if (!(names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2)))
            break;
        sprintf(names[n++], "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (names)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        if (done >= 0 && replay_file(fn, names[i]) == 0)
            done++;
        else
            done = -1;
        free(names[i]);
    }
    free(names);
    return done;
}

int main(int argc, char **argv)
{
    const char *srcdir = getenv("SRCDIR");
    static const char *const kinds[] = {"corpus", "regressions"};
    int failed = 0;

    if (!srcdir || !*srcdir)
        srcdir = ".";
    if (argc >= 2) {
        for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++)
            if (strcmp(targets[t].name, argv[1]) == 0) {
                for (int i = 2; i < argc; i++)
                    failed |= replay_file(targets[t].fn, argv[i]) != 0;
                return failed;
            }
        fprintf(stderr, "replay: unknown target \"%s\"; expected csv, dataset, config or number\n",
                argv[1]);
        return 2;
    }
    for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++) {
        long seeds = 0;
        for (size_t k = 0; k < 2; k++) {
            char dir[4096];
            long n;
            snprintf(dir, sizeof dir, "%s/tests/fuzz/%s/%s", srcdir, kinds[k], targets[t].name);
            n = replay_dir(targets[t].fn, dir);
            if (n < 0)
                failed = 1;
            else if (k == 0)
                seeds = n;
            printf("%s %s: %ld inputs replayed\n", targets[t].name, kinds[k], n < 0 ? 0 : n);
        }
        /* An empty corpus would make this test pass without testing anything. */
        if (seeds == 0 && !failed) {
            fprintf(stderr, "replay: no corpus for %s under %s/tests/fuzz/corpus; is SRCDIR right?\n",
                    targets[t].name, srcdir);
            failed = 1;
        }
    }
    return failed;
}
