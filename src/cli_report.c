/* cli_report.c — `regind report`: the job's comparison as one HTML page. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "manifest.h"
#include "needs.h"
#include "report.h"

typedef struct report_ctx {
    const ri_job *job;
    const ri_results *r;
    const ri_manifest *m;
    const ri_report_opts *o;
} report_ctx;

static ri_rc write_report(void *ctx, FILE *f, ri_error *err)
{
    const report_ctx *x = ctx;
    return ri_report_write(f, x->job, x->r, x->m, x->o, err);
}

int ri_cmd_report(ri_cli *c, int argc, char **argv)
{
    static const char help[] =
        "Usage: regind report [OPTIONS] [AREA...]\n"
        "One self-contained HTML page of the job's comparison: per indicator a headline, a chart\n"
        "and a ranked table, then the sources (inputs with SHA-256, plugins) and the method.\n"
        "AREA (codes or parts of names) are highlighted. It needs no network and prints on A4.\n"
        "  -o, --output FILE      write the page to FILE (replaced whole) instead of standard output\n"
        "  -i, --indicator ID     report this indicator (repeatable; default: the job's compare list)\n"
        "  -p, --period P         period to report (default: each indicator's latest with data)\n"
        "  -s, --since P          line charts from period P instead of ranked bars\n"
        "  -t, --type TYPE        compared area type (default: compare.area_type, else LEP)\n"
        "      --peers GROUP      the areas of a group of the job, or \"A,B,C\", against their mean\n";
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'}, {"indicator", required_argument, NULL, 'i'},
        {"period", required_argument, NULL, 'p'}, {"since", required_argument, NULL, 's'},
        {"type", required_argument, NULL, 't'},   {"help", no_argument, NULL, 'h'},
        {"peers", required_argument, NULL, 'G'},  {NULL, 0, NULL, 0}};
    const char **ids = calloc((size_t)argc + 1, sizeof *ids), *out_path = NULL, *peers = NULL;
    ri_cli_peer_group pg = {0};
    size_t n_ids = 0;
    ri_report_opts o;
    ri_loaded_job lj;
    ri_manifest *m = NULL;
    ri_job *full, *view = NULL;
    ri_error err;
    char made[32];
    int ch, rc = 0;

    if (!ids)
        return RI_RC_DATA;
    memset(&o, 0, sizeof o);
    optind = 0; /* 0, not 1: glibc then re-reads the option string, so each command parses afresh */
    while ((ch = getopt_long(argc, argv, "o:i:p:s:t:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'h':
            fputs(help, stdout);
            free(ids);
            return 0;
        case 'o': out_path = optarg; break;
        case 'i': ids[n_ids++] = optarg; break;
        case 'p': o.period = optarg; break;
        case 's': o.since = optarg; break;
        case 't': o.area_type = optarg; break;
        case 'G': peers = optarg; break;
        default:
            free(ids);
            return RI_RC_USAGE;
        }
    }
    o.areas = (const char *const *)argv + optind;
    o.n_areas = (size_t)(argc - optind);
    memset(&lj, 0, sizeof lj);
    if (ri_cli_load_job(c, 1, &lj.job, &err)) {
        free(ids);
        return ri_cli_fail(&err);
    }
    if (n_ids == 0)
        for (size_t k = 0; k < lj.job->compare.n_indicators; k++)
            ids[n_ids++] = lj.job->compare.indicators[k];
    if (!o.area_type)
        o.area_type = lj.job->compare.area_type ? lj.job->compare.area_type : "LEP";
    if (!o.period)
        o.period = lj.job->compare.period;
    o.indicators = n_ids ? ids : NULL;
    o.n_indicators = n_ids;
    ri_iso_time(time(NULL), made);
    o.generated = made;
    pg.type = o.area_type;
    /* Like compare, only the datasets the reported indicators read are loaded (and hashed). */
    full = lj.job;
    if (ri_job_view(full, n_ids ? ids : NULL, n_ids, NULL, 0, NULL, &view, &err)) {
        rc = ri_cli_fail(&err);
    } else {
        lj.job = view;
        if (ri_cli_load_all(c, &lj, 1, n_ids ? ids : NULL, n_ids, &err) ||
            ri_manifest_collect(view, lj.host, o.period, NULL, 0, &m, &err)) {
            rc = ri_cli_fail(&err);
        } else if (peers && ri_cli_peers(full, &lj, peers, &pg, &err)) {
            rc = ri_cli_fail(&err);
        } else {
            if (peers) {
                o.area_type = pg.type;
                o.peers = pg.members;
                o.peers_area = pg.area;
            }
            o.warnings = (const char *const *)lj.results->warning_lines;
            o.n_warnings = lj.results->n_warning_lines;
            report_ctx x = {view, lj.results, m, &o};
            if (out_path ? ri_cli_write_replace(out_path, write_report, &x, &err) : write_report(&x, stdout, &err))
                rc = ri_cli_fail(&err);
            else if (!out_path && fflush(stdout) != 0)
                rc = RI_RC_DATA;
        }
        lj.job = full;
    }
    ri_manifest_free(m);
    ri_cli_loaded_free(&lj);
    ri_job_view_free(view);
    free(pg.members);
    free(ids);
    return rc;
}
