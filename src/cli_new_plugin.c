/*
 * cli_new_plugin.c — `regind new-plugin [--by-industry] NAME [DIR]`: write a ready-to-build
 * plugin project (plugin_template.h) so that a new indicator needs no edit
 * of regind. It never overwrites a file, and leaves nothing behind when it
 * cannot write the whole project.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "plugin_template.h"

static const char help[] =
    "Usage: regind new-plugin [--by-industry] NAME [DIR]\n"
    "Write a plugin project for a ratio indicator called NAME into DIR (default ./NAME),\n"
    "or with --by-industry for each industry's share of its area's total and that\n"
    "share against the benchmark's (a location quotient):\n"
    "NAME.c, its cmocka tests with a fake host, a Makefile that builds it with\n"
    "`pkg-config regind`, an indicator block for job files and a README.\n"
    "NAME is what job files call the plugin: [a-z][a-z0-9_]*. Existing files are\n"
    "never overwritten. Then: make -C DIR, make -C DIR check, regind -P DIR list.\n"
    "See regind-plugin(7).\n";

static int is_plugin_name(const char *s)
{
    if (*s < 'a' || *s > 'z')
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

/* text with every RI_TEMPLATE_NAME replaced by name; NULL when out of memory. */
static char *expand(const char *text, const char *name)
{
    size_t key = strlen(RI_TEMPLATE_NAME), n = 0;
    const char *p;
    char *out, *o;

    for (p = strstr(text, RI_TEMPLATE_NAME); p; p = strstr(p + key, RI_TEMPLATE_NAME))
        n++;
    if (!(out = malloc(strlen(text) + n * strlen(name) + 1)))
        return NULL;
    for (o = out, p = text; *p;) {
        if (strncmp(p, RI_TEMPLATE_NAME, key) == 0) {
            o = stpcpy(o, name);
            p += key;
        } else
            *o++ = *p++;
    }
    *o = '\0';
    return out;
}

static char *join(const char *dir, const char *file)
{
    size_t n = strlen(dir) + strlen(file) + 2;
    char *path = malloc(n);
    if (path)
        snprintf(path, n, "%s/%s", dir, file);
    return path;
}

/* Directories created by make_dirs, removed again if the project cannot be written. */
typedef struct created_dirs {
    char **paths;
    size_t n;
} created_dirs;

/* mkdir -p dir, remembering what it created. */
static ri_rc make_dirs(const char *dir, created_dirs *made, ri_error *err)
{
    char *path = strdup(dir);
    struct stat st;
    ri_rc rc = RI_RC_OK;

    if (!path)
        return ri_oom(err);
    for (char *slash = path + 1;; slash++) {
        if (*slash != '/' && *slash != '\0')
            continue;
        char saved = *slash;
        *slash = '\0';
        /* Not writable by group or others whatever the umask: regind refuses to load plugins from such directories. */
        if (mkdir(path, 0755) == 0) {
            char **paths = realloc(made->paths, (made->n + 1) * sizeof *paths);
            if (!paths || !(paths[made->n] = strdup(path))) {
                if (paths)
                    made->paths = paths;
                rc = ri_oom(err);
                break;
            }
            made->paths = paths;
            made->n++;
        } else if (errno != EEXIST || stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
            rc = errno == EEXIST
                ? ri_fail(err, RI_RC_USAGE, "%s exists and is not a directory; expected a directory for the plugin project", path)
                : ri_fail(err, RI_RC_DATA, "cannot create directory %s: %s", path, strerror(errno));
            break;
        }
        *slash = saved;
        if (saved == '\0')
            break;
    }
    free(path);
    return rc;
}

/* Create path (never replacing a file) with the expanded lines; a file left half-written is removed. */
static ri_rc write_file(const char *path, const char *const *lines, const char *name, ri_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    FILE *f;
    int bad = 0, e;

    if (fd < 0)
        return ri_fail(err, errno == EEXIST ? RI_RC_USAGE : RI_RC_DATA, "cannot create %s: %s", path,
                       strerror(errno));
    if (!(f = fdopen(fd, "w"))) {
        e = errno;
        close(fd);
        unlink(path);
        return ri_fail(err, RI_RC_DATA, "cannot write %s: %s", path, strerror(e));
    }
    errno = 0;
    for (size_t i = 0; lines[i] && !bad; i++) {
        char *line = expand(lines[i], name);
        bad = !line || fputs(line, f) == EOF || fputc('\n', f) == EOF;
        free(line);
    }
    e = errno;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (!bad)
        return RI_RC_OK;
    unlink(path);
    return ri_fail(err, RI_RC_DATA, "cannot write %s: %s", path, e ? strerror(e) : "out of memory");
}

/* Single-quoted for a POSIX shell when it holds anything but plain path characters. */
static void print_shell_word(const char *s)
{
    if (strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+~") == strlen(s)) {
        fputs(s, stdout);
        return;
    }
    putchar('\'');
    for (; *s; s++)
        if (*s == '\'')
            fputs("'\\''", stdout);
        else
            putchar(*s);
    putchar('\'');
}

static void print_next_steps(const char *name, const char *dir, char **paths, size_t n)
{
    static const char *const steps[] = {"make -C ", "make -C ", "regind -P "};
    static const char *const after[] = {"", " check", " list"};

    printf("created plugin project %s:\n", name);
    for (size_t i = 0; i < n; i++)
        printf("  %s\n", paths[i]);
    printf("next, build it, run its tests and load it:\n");
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        printf("  %s", steps[i]);
        print_shell_word(dir);
        printf("%s\n", after[i]);
    }
}

int ri_cmd_new_plugin(ri_cli *c, int argc, char **argv)
{
    const char *name;
    char *dir, **paths;
    created_dirs made = {NULL, 0};
    const ri_template_file *files = ri_plugin_template;
    size_t n_files = ri_plugin_template_count, n_written = 0;
    ri_error err;
    ri_rc rc = RI_RC_OK;

    if (ri_cli_help(argc, argv, help))
        return 0;
    if (argc > 1 && strcmp(argv[1], "--by-industry") == 0) {
        files = ri_plugin_template_by_industry;
        n_files = ri_plugin_template_by_industry_count;
        argv++;
        argc--;
    }
    if (argc < 2 || argc > 3)
        return ri_cli_usage("new-plugin: %s", "expected a plugin name and at most one directory");
    name = argv[1];
    if (!is_plugin_name(name))
        return ri_cli_usage("new-plugin: \"%s\" is not a plugin name; expected [a-z][a-z0-9_]* (job files name the plugin by it)", name);
    if (argc == 3 && !*argv[2])
        return ri_cli_usage("new-plugin: %s", "the directory is empty; expected a path");

    dir = strdup(argc == 3 ? argv[2] : name);
    paths = calloc(n_files, sizeof *paths);
    if (!dir || !paths) {
        free(dir);
        free(paths);
        ri_oom(&err);
        return ri_cli_fail(&err);
    }
    /* "dir/" names the same directory; without the slash the paths printed read cleanly. */
    for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
        dir[n - 1] = '\0';
    for (size_t i = 0; i < n_files && !rc; i++) {
        char *file = expand(files[i].path, name);
        struct stat st;
        if (!file || !(paths[i] = join(dir, file)))
            rc = ri_oom(&err);
        for (size_t k = 0; k < i && !rc; k++)
            if (strcmp(paths[k], paths[i]) == 0)
                rc = ri_fail(&err, RI_RC_USAGE, "plugin name \"%s\" would make two files called %s; expected another name",
                             name, file);
        if (!rc && lstat(paths[i], &st) == 0)
            rc = ri_fail(&err, RI_RC_USAGE, "%s already exists; expected a new directory or one without the project's files (nothing was written)",
                         paths[i]);
        free(file);
    }
    if (!rc)
        rc = make_dirs(dir, &made, &err);
    while (!rc && n_written < n_files) {
        rc = write_file(paths[n_written], files[n_written].lines, name, &err);
        if (!rc)
            n_written++;
    }

    if (rc) {
        /* All or nothing: a half-written project would fail to build in confusing ways. */
        for (size_t i = 0; i < n_written; i++)
            unlink(paths[i]);
        for (size_t i = made.n; i > 0; i--)
            rmdir(made.paths[i - 1]);
    } else if (c->verbosity >= 1)
        print_next_steps(name, dir, paths, n_files);

    for (size_t i = 0; i < n_files; i++)
        free(paths[i]);
    free(paths);
    for (size_t i = 0; i < made.n; i++)
        free(made.paths[i]);
    free(made.paths);
    free(dir);
    return rc ? ri_cli_fail(&err) : 0;
}
