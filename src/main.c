/*
 * main.c — the regind command line: global options, then one function per
 * command (cli_*.c), whose status is the exit code. Only the command-line
 * layer prints or exits.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <regind/plugin.h>

#include "cli.h"
#include "stats.h"

#ifndef RI_SYSCONFDIR
#define RI_SYSCONFDIR "/usr/local/etc"
#endif
#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

static const char main_help[] =
    "Usage: regind [-c FILE] [-P DIRS] [-q|-v] COMMAND [ARGS]\n"
    "Compute regional economic indicators with plugins, from a job file.\n"
    "\n"
    "Commands:\n"
    "  compare [AREA...]   indicator values side by side for areas and the benchmark\n"
    "  report [AREA...]    one self-contained HTML page: charts, tables, sources and method\n"
    "  run                 compute every indicator and write the configured outputs\n"
    "  check               validate the job, its datasets and plugins without computing\n"
    "  areas [PATTERN]     list area codes, names, types and parents in the data\n"
    "  list                list the available plugins\n"
    "  describe PLUGIN     show a plugin's inputs, parameters and outputs\n"
    "  new-plugin [--by-industry] NAME [DIR]\n"
    "                         write a plugin project to build out of tree\n"
    "\n"
    "Options:\n"
    "  -c, --config FILE       job file (default: $REGIND_CONFIG, then " RI_SYSCONFDIR "/regind/regind.cfg);\n"
    "                          repeated, later files add datasets, geography and indicators\n"
    "  -P, --plugin-path DIRS  colon-separated plugin directories searched first (repeatable)\n"
    "  -q, --quiet             print errors only\n"
    "  -v, --verbose           print informational messages too\n"
    "      --insecure-plugins  load plugins even if others could have changed them (unsafe)\n"
    "  -h, --help              show this help; COMMAND --help shows the command's\n"
    "  -V, --version           show the version and plugin ABI\n"
    "\n"
    "Exit status: 0 success, 1 data or computation error, 2 usage or configuration error,\n"
    "3 lock held by another run, 4 inputs rejected by policy (run).\n"
    "See regind(1) and regind.cfg(5).\n";

static int print_version(void)
{
    printf("regind %s (plugin ABI %d.%d)\n", PACKAGE_VERSION, RI_ABI_MAJOR, RI_ABI_MINOR);
    return 0;
}

static int push_dirs(ri_cli *c, const char *arg)
{
    char *copy = strdup(arg), *save = NULL;
    if (!copy)
        return -1;
    for (char *tok = strtok_r(copy, ":", &save); tok; tok = strtok_r(NULL, ":", &save)) {
        char **dirs = realloc(c->plugin_dirs, (c->n_plugin_dirs + 1) * sizeof *dirs);
        if (!dirs || !(dirs[c->n_plugin_dirs] = strdup(tok))) {
            if (dirs)
                c->plugin_dirs = dirs;
            free(copy);
            return -1;
        }
        c->plugin_dirs = dirs;
        c->n_plugin_dirs++;
    }
    free(copy);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'}, {"plugin-path", required_argument, NULL, 'P'},
        {"quiet", no_argument, NULL, 'q'},        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},         {"version", no_argument, NULL, 'V'},
        {"insecure-plugins", no_argument, NULL, 'I'}, {NULL, 0, NULL, 0}};
    static const struct {
        const char *name;
        int (*fn)(ri_cli *, int, char **);
    } commands[] = {{"list", ri_cmd_list}, {"describe", ri_cmd_describe}, {"check", ri_cmd_check},
                    {"run", ri_cmd_run},   {"compare", ri_cmd_compare},   {"areas", ri_cmd_areas},
                    {"new-plugin", ri_cmd_new_plugin}, {"report", ri_cmd_report}};
    ri_cli c = {.verbosity = 1};
    int ch, rc = -1;

    ri_stats_init();
    while ((ch = getopt_long(argc, argv, "+c:P:qvhV", opts, NULL)) != -1) {
        switch (ch) {
        case 'c':
            if (!c.config)
                c.config = optarg;
            else if (ri_cli_push(&c.more_configs, &c.n_more_configs, optarg) != 0)
                rc = RI_RC_DATA;
            break;
        case 'P':
            if (push_dirs(&c, optarg) != 0)
                rc = RI_RC_DATA;
            break;
        case 'q': c.verbosity = 0; break;
        case 'v': c.verbosity = 2; break;
        case 'h': fputs(main_help, stdout); rc = 0; break;
        case 'V': rc = print_version(); break;
        case 'I': c.insecure_plugins = 1; break;
        default: rc = RI_RC_USAGE; break;
        }
        if (rc >= 0)
            break;
    }
    if (rc < 0 && optind >= argc) {
        fputs(main_help, stderr);
        rc = RI_RC_USAGE;
    }
    /* --version means the same after a command as before it. */
    for (int i = optind + 1; rc < 0 && i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--version") == 0)
            rc = print_version();
    if (rc < 0) {
        const char *name = argv[optind];
        for (size_t i = 0; i < sizeof commands / sizeof commands[0] && rc < 0; i++)
            if (strcmp(commands[i].name, name) == 0)
                rc = commands[i].fn(&c, argc - optind, argv + optind);
        if (rc < 0)
            rc = ri_cli_usage("unknown command '%s'; expected compare, report, run, check, areas, list, describe or new-plugin", name);
    }
    for (size_t i = 0; i < c.n_plugin_dirs; i++)
        free(c.plugin_dirs[i]);
    free(c.plugin_dirs);
    free(c.params);
    free(c.more_configs);
    return rc;
}
