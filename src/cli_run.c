/* cli_run.c — `regind check` and `regind run`: validating a job and running it for cron. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "run.h"

int ri_cmd_check(ri_cli *c, int argc, char **argv)
{
    static const char help[] = "Usage: regind check\nValidate the job file, read every dataset and load every plugin, without computing.\nExit 0 when the job can run.\n";
    ri_loaded_job lj;
    ri_error err;

    if (ri_cli_help(argc, argv, help))
        return 0;
    if (argc > 1)
        return ri_cli_usage("check: unexpected argument '%s'", argv[1]);
    memset(&lj, 0, sizeof lj);
    if (ri_cli_load_all(c, &lj, 0, NULL, 0, &err)) {
        ri_cli_loaded_free(&lj);
        return ri_cli_fail(&err);
    }
    for (size_t d = 0; d < lj.panel->n_datasets; d++) {
        const ri_dataset_info *i = &lj.panel->datasets[d];
        printf("dataset %-16s %6zu rows (%zu kept), %4zu areas, periods %s-%s, %zu missing cells\n", i->id,
               i->rows_read, i->rows_kept, i->n_areas, i->first_period, i->last_period, i->missing);
    }
    for (size_t k = 0; k < lj.job->n_indicators; k++)
        printf("indicator %-14s plugin %s\n", lj.job->indicators[k].id, lj.job->indicators[k].plugin);
    printf("%s: OK (%zu areas, %zu periods, %zu measures)\n", lj.job->path, lj.panel->n_areas,
           lj.panel->n_periods, lj.panel->n_cols);
    ri_cli_loaded_free(&lj);
    return 0;
}

int ri_cmd_run(ri_cli *c, int argc, char **argv)
{
    static const char help[] =
        "Usage: regind run [--output-dir DIR]\n"
        "Compute every configured indicator and write the configured outputs.\n"
        "Outputs are replaced all-or-nothing: on any error none is touched.\n"
        "  -o, --output-dir DIR   write the outputs into DIR instead of their configured directories\n";
    static const struct option opts[] = {{"output-dir", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *out_dir = NULL;
    ri_loaded_job lj;
    ri_written *w;
    size_t n_w;
    ri_error err;
    int ch;

    optind = 1;
    while ((ch = getopt_long(argc, argv, "+o:h", opts, NULL)) != -1) {
        if (ch == 'h') {
            fputs(help, stdout);
            return 0;
        }
        if (ch != 'o')
            return RI_RC_USAGE;
        out_dir = optarg;
    }
    if (optind < argc)
        return ri_cli_usage("run: unexpected argument '%s'", argv[optind]);
    memset(&lj, 0, sizeof lj);
    if (ri_cli_load_all(c, &lj, 1, NULL, 0, &err) ||
        ri_run_write_outputs(lj.job, lj.results, out_dir, &w, &n_w, &err)) {
        ri_cli_loaded_free(&lj);
        return ri_cli_fail(&err);
    }
    if (c->verbosity >= 1)
        for (size_t i = 0; i < n_w; i++)
            fprintf(stderr, "regind: info: wrote %s (%zu bytes)\n", w[i].path, w[i].bytes);
    ri_written_free(w, n_w);
    ri_cli_loaded_free(&lj);
    return 0;
}

