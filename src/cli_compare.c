/* cli_compare.c — `regind compare` and `regind areas`: looking at areas interactively. */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "compare.h"
#include "display.h"
#include "manifest.h"
#include "needs.h"
#include "run.h"
#include "suggest.h"

/* Weighted means across areas that share members count those members twice: say how many. */
static void warn_overlap(ri_cli *c, const ri_panel *p, const ri_compare_opts *o)
{
    const ri_overlap *ov = ri_panel_overlap(p, o->area_type);
    if (!ov)
        return;
    size_t a = ri_panel_area(p, ov->shared[0]);
    ri_cli_logf(c, RI_LOG_WARNING,
                "%zu %s areas share %zu members (%s %s%s): statistics across the %s areas count them %zu extra time%s%s",
                ov->n_areas, o->area_type, ov->n_shared, ov->shared[0], a != (size_t)-1 ? p->area_names[a] : "",
                ov->n_shared > 1 ? ", ..." : "", o->area_type, ov->n_extra, ov->n_extra == 1 ? "" : "s",
                o->weight ? "; the weighted mean is not the mean of the population they cover" : "");
}

typedef struct compare_ctx {
    const ri_job *job;
    const ri_results *r;
    const ri_compare_opts *o;
} compare_ctx;

static ri_rc write_compare(void *ctx, FILE *f, ri_error *err)
{
    const compare_ctx *x = ctx;
    return ri_compare_write(f, x->job, x->r, x->o, err);
}

/* Split "a,b" in place into names; -1 when a name is empty or out of memory. */
static int split_names(char *list, const char *const **out, size_t *n)
{
    size_t count = 1;
    const char **names;
    for (const char *s = list; *s; s++)
        count += *s == ',';
    if (!(names = malloc(count * sizeof *names)))
        return -1;
    *n = 0;
    for (char *s = list, *end;; s = end + 1) {
        end = s + strcspn(s, ",");
        names[(*n)++] = s;
        if (end == s) {
            free(names);
            return -1;
        }
        if (!*end)
            break;
        *end = '\0';
    }
    *out = names;
    return 0;
}

ri_rc ri_cli_peers(const ri_job *job, ri_loaded_job *lj, const char *arg, ri_cli_peer_group *pg, ri_error *err)
{
    const ri_group_cfg *g = NULL;
    const char *const *names = NULL;
    const char **split = NULL;
    char *copy = NULL, name[200];
    size_t n = 0, count = 0, first = (size_t)-1;
    ri_panel *p = lj->panel;
    unsigned char *mask = NULL;
    ri_rc rc = RI_RC_OK;

    for (size_t k = 0; k < job->n_groups && !g; k++)
        if (strcmp(job->groups[k].id, arg) == 0)
            g = &job->groups[k];
    if (g) {
        names = (const char *const *)g->members;
        n = g->n_members;
    } else if (!(copy = strdup(arg)) || split_names(copy, (const char *const **)&split, &n) != 0) {
        free(copy);
        return ri_fail(err, RI_RC_USAGE, "--peers '%s': expected a group id of the job or areas separated by commas", arg);
    } else {
        names = split;
    }
    /* Room for the area of the mean too, which is no member. */
    if (!(mask = calloc(p->n_areas + 1, 1)))
        rc = ri_oom(err);
    for (size_t k = 0; k < n && !rc; k++)
        if ((rc = ri_compare_select_area(p, names[k], pg->type, mask, err)))
            ri_error_prefix(err, "--peers: ");
    for (size_t a = 0; a < p->n_areas && !rc; a++) {
        if (!mask[a])
            continue;
        if (first == (size_t)-1)
            first = a;
        else if (strcmp(p->area_types[a], p->area_types[first]) != 0)
            rc = ri_fail(err, RI_RC_USAGE, "--peers: %s (%s) is of type %s and %s (%s) of type %s; expected areas of one type",
                         p->area_codes[first], p->area_names[first], p->area_types[first], p->area_codes[a],
                         p->area_names[a], p->area_types[a]);
        count++;
    }
    if (!rc && count < 2)
        rc = ri_fail(err, RI_RC_USAGE, "--peers '%s' names %zu area; expected at least two to compare", arg, count);
    if (!rc) {
        pg->type = p->area_types[first];
        snprintf(pg->label, sizeof pg->label, "%s (%zu %s areas)", g ? g->id : "the peers", count, pg->type);
        snprintf(name, sizeof name, "Mean of %s", pg->label);
        rc = ri_results_add_mean_area(lj->results, p, mask, "PEERS", name, "Peers", &pg->area, err);
    }
    free(split);
    free(copy);
    if (rc) {
        free(mask);
        return rc;
    }
    pg->members = mask;
    return RI_RC_OK;
}

/* -m NAME must be a measure of the job (the view reads only the datasets that have it). */
static ri_rc check_measures(const ri_job *job, const char *const *names, size_t n, ri_error *err)
{
    size_t n_all;
    const char **all = ri_job_measures(job, &n_all);
    ri_rc rc = RI_RC_OK;

    if (!all)
        return ri_oom(err);
    for (size_t k = 0; k < n && !rc; k++) {
        size_t i = 0;
        while (i < n_all && strcmp(all[i], names[k]) != 0)
            i++;
        if (i == n_all) {
            const char *near = ri_suggest(names[k], all, n_all);
            rc = ri_fail(err, RI_RC_USAGE, "-m %s: no dataset or derived measure of the job has that name%s%s%s",
                         names[k], near ? "; did you mean \"" : "", near ? near : "", near ? "\"?" : "");
        }
    }
    free(all);
    return rc;
}

/*
 * -m NAME: a measure of the data shown like an indicator's output (indicator id "measure"),
 * on the areas whose data has it. Sums made by lookups and aggregates are there for additive
 * measures; a rate is never summed, so areas made of others have none, which one line says.
 */
static ri_rc add_measures(ri_cli *c, ri_loaded_job *lj, const char *const *names, size_t n, ri_error *err)
{
    ri_panel *p = lj->panel;
    for (size_t k = 0; k < n; k++) {
        const ri_column *col = ri_panel_column(p, names[k]);
        ri_result_col *out;
        size_t per;
        if (!col)
            return ri_fail(err, RI_RC_DATA, "-m %s: the measure was not read", names[k]);
        if (!(out = ri_results_add(lj->results, "measure", col->name, "as in the data", col->n_ind,
                                   col->by_industry ? col->ind : NULL)))
            return ri_oom(err);
        per = p->n_periods * col->n_ind;
        if (!(out->applies = malloc((p->n_areas ? p->n_areas : 1) * (per ? per : 1))))
            return ri_oom(err);
        memcpy(out->v, col->v, p->n_areas * per * sizeof *out->v);
        for (size_t a = 0; a < p->n_areas; a++)
            memset(out->applies + a * per, col->present[a] || !col->additive, per);
        if (!col->additive)
            ri_cli_logf(c, RI_LOG_WARNING,
                        "-m %s: not additive (a rate or ratio), so it is never summed: areas made of others, such as LEPs from districts, have none (see the districts with --type LAD)",
                        col->name);
    }
    return RI_RC_OK;
}

int ri_cmd_compare(ri_cli *c, int argc, char **argv)
{
    static const char help[] =
        "Usage: regind compare [OPTIONS] [AREA...]\n"
        "Indicator values side by side for areas (codes or parts of names) and the benchmark.\n"
        "Without AREA: every area of the compared type (LEP by default).\n"
        "  -i, --indicator ID     compare this indicator (repeatable; default: the job's compare list)\n"
        "  -p, --period P         period to compare (default: the latest with data)\n"
        "  -s, --since P          a time series from period P to --period\n"
        "  -f, --format FMT       table (default), csv, json, xlsx (a workbook: needs -o), or a\n"
        "                         chart: svg, png or pdf\n"
        "  -o, --output FILE      write to FILE, replacing it whole, instead of standard output\n"
        "      --outputs A,B      show these outputs only (default: all that fit the terminal)\n"
        "      --wide             with --format csv, one column per output\n"
        "      --sort OUTPUT      sort and rank by this output (default: the first)\n"
        "      --top N            show the first N areas only\n"
        "      --stats            add each output's distribution across the compared areas\n"
        "      --weight MEASURE   with --stats, also the mean weighted by MEASURE (e.g. population)\n"
        "  -t, --type TYPE        compared area type (default: compare.area_type, else LEP)\n"
        "      --param ID.NAME=VALUE  set parameter NAME of indicator ID (repeatable)\n"
        "  -m, --measure NAME     show a measure of the data, as an indicator's output (repeatable)\n"
        "      --peers GROUP      rank among a group of the job, or among areas given as\n"
        "                         \"A,B,C\" (codes or parts of names), against their mean\n";
    static const struct option opts[] = {
        {"indicator", required_argument, NULL, 'i'}, {"period", required_argument, NULL, 'p'},
        {"since", required_argument, NULL, 's'},     {"format", required_argument, NULL, 'f'},
        {"sort", required_argument, NULL, 'S'},      {"top", required_argument, NULL, 'T'},
        {"type", required_argument, NULL, 't'},      {"help", no_argument, NULL, 'h'},
        {"stats", no_argument, NULL, 'A'},           {"weight", required_argument, NULL, 'W'},
        {"outputs", required_argument, NULL, 'O'},   {"output", required_argument, NULL, 'o'},
        {"param", required_argument, NULL, 'X'},     {"peers", required_argument, NULL, 'G'},
        {"measure", required_argument, NULL, 'm'},   {"wide", no_argument, NULL, 'w'},
        {NULL, 0, NULL, 0}};
    ri_compare_opts o;
    const char *peers = NULL;
    ri_cli_peer_group pg = {0};
    ri_manifest *workbook_sources = NULL;
    const char **ids = calloc((size_t)argc + 1, sizeof *ids), **measures = calloc((size_t)argc + 1, sizeof *measures);
    const char **shown = NULL;
    size_t n_measures = 0;
    char *outputs = NULL;
    const char *out_path = NULL;
    size_t n_ids = 0;
    ri_loaded_job lj;
    ri_job *full, *view = NULL;
    ri_error err;
    int ch, rc = 0;

    if (!ids || !measures) {
        free(ids);
        free(measures);
        return RI_RC_DATA;
    }
    memset(&o, 0, sizeof o);
    optind = 0; /* 0, not 1: glibc then re-reads the option string, so each command parses afresh */
    while ((ch = getopt_long(argc, argv, "i:m:p:s:f:t:o:h", opts, NULL)) != -1) {
        char *end;
        switch (ch) {
        case 'h':
            fputs(help, stdout);
            free(ids);
            free(measures);
            return 0;
        case 'i': ids[n_ids++] = optarg; break;
        case 'm': {
            /* A measure named twice is shown once. */
            size_t k = 0;
            while (k < n_measures && strcmp(measures[k], optarg) != 0)
                k++;
            if (k == n_measures)
                measures[n_measures++] = optarg;
            break;
        }
        case 'p': o.period = optarg; break;
        case 's': o.since = optarg; break;
        case 'S': o.sort = optarg; break;
        case 'A': o.stats = 1; break;
        case 'O': outputs = optarg; break;
        case 'o': out_path = optarg; break;
        case 'w': o.wide = 1; break;
        case 'W': o.weight = optarg; o.stats = 1; break;
        case 'G': peers = optarg; break;
        case 'X':
            if (ri_cli_push(&c->params, &c->n_params, optarg) != 0) {
                free(ids);
                free(measures);
                return RI_RC_DATA;
            }
            break;
        case 't': o.area_type = optarg; break;
        case 'T':
            /* strtoul reads "-1" as the largest number: only digits are a count. */
            o.top = (size_t)strtoul(optarg, &end, 10);
            if (*end || !isdigit((unsigned char)*optarg) || o.top == 0) {
                free(ids);
                free(measures);
                return ri_cli_usage("compare: --top '%s': expected a positive whole number", optarg);
            }
            break;
        case 'f':
            if (strcmp(optarg, "table") == 0)
                o.format = RI_COMPARE_TABLE;
            else if (strcmp(optarg, "csv") == 0)
                o.format = RI_COMPARE_CSV;
            else if (strcmp(optarg, "json") == 0)
                o.format = RI_COMPARE_JSON;
            else if (strcmp(optarg, "svg") == 0)
                o.format = RI_COMPARE_SVG;
            else if (strcmp(optarg, "png") == 0)
                o.format = RI_COMPARE_PNG;
            else if (strcmp(optarg, "pdf") == 0)
                o.format = RI_COMPARE_PDF;
            else if (strcmp(optarg, "xlsx") == 0)
                o.format = RI_COMPARE_XLSX;
            else {
                free(ids);
                free(measures);
                return ri_cli_usage("compare: --format '%s': expected table, csv, json, xlsx, svg, png or pdf", optarg);
            }
            break;
        default:
            free(ids);
            free(measures);
            return RI_RC_USAGE;
        }
    }
    if (outputs && split_names(outputs, &o.outputs, &o.n_outputs) != 0) {
        free(ids);
        free(measures);
        return ri_cli_usage("compare: --outputs '%s': expected output names separated by commas", outputs);
    }
    if (!out_path && (o.format == RI_COMPARE_PNG || o.format == RI_COMPARE_PDF) && isatty(STDOUT_FILENO)) {
        free(ids);
        free(measures);
        free((void *)o.outputs);
        return ri_cli_usage("compare: --format %s writes binary data; expected -o FILE or a redirection",
                            o.format == RI_COMPARE_PNG ? "png" : "pdf");
    }
    if (o.wide && o.format != RI_COMPARE_CSV) {
        free(ids);
        free(measures);
        free((void *)o.outputs);
        return ri_cli_usage("compare: --wide is for --format csv; %s", "add --format csv");
    }
    if (o.format == RI_COMPARE_XLSX && !out_path) {
        free(ids);
        free(measures);
        free((void *)o.outputs);
        return ri_cli_usage("compare: --format xlsx writes a workbook; %s", "name its file with -o FILE");
    }
    o.areas = (const char *const *)argv + optind;
    o.n_areas = (size_t)(argc - optind);
    memset(&lj, 0, sizeof lj);
    if (ri_cli_load_job(c, 1, &lj.job, &err)) {
        free(ids);
        free(measures);
        free((void *)o.outputs);
        return ri_cli_fail(&err);
    }
    if (check_measures(lj.job, measures, n_measures, &err)) {
        free(ids);
        free(measures);
        free((void *)o.outputs);
        ri_cli_loaded_free(&lj);
        return ri_cli_fail(&err);
    }
    /* Without -i, the job's compare list; with only -m, no indicator at all. */
    if (n_ids == 0 && n_measures == 0) {
        const char **all = realloc(ids, (lj.job->compare.n_indicators + 1) * sizeof *ids);
        if (!all) {
            free(ids);
            free(measures);
            free((void *)o.outputs);
            ri_cli_loaded_free(&lj);
            return RI_RC_DATA;
        }
        ids = all;
        for (size_t k = 0; k < lj.job->compare.n_indicators; k++)
            ids[n_ids++] = lj.job->compare.indicators[k];
    }
    /* Indicators that all compare one type of area (group_type) are compared as that type;
       without -i or compare.indicators, the compared indicators are all the job's (with only -m,
       none). */
    if (!o.area_type && (n_ids || !n_measures) && lj.job->n_indicators) {
        const char *common = NULL;
        int same = 1;
        for (size_t k = 0; k < (n_ids ? n_ids : lj.job->n_indicators) && same; k++) {
            const char *g = NULL;
            for (size_t j = 0; j < lj.job->n_indicators; j++)
                if (!n_ids ? j == k : strcmp(lj.job->indicators[j].id, ids[k]) == 0)
                    g = lj.job->indicators[j].group_type;
            same = g && (!common || strcmp(g, common) == 0);
            common = g;
        }
        if (same)
            o.area_type = common;
    }
    if (!o.area_type)
        o.area_type = lj.job->compare.area_type ? lj.job->compare.area_type : "LEP";
    if (!o.period)
        o.period = lj.job->compare.period;
    /* The measures are shown as the outputs of an indicator named "measure". */
    if (!(shown = malloc((n_ids + 1) * sizeof *shown))) {
        free(ids);
        free(measures);
        ri_cli_loaded_free(&lj);
        return RI_RC_DATA;
    }
    memcpy(shown, ids, n_ids * sizeof *ids);
    if (n_measures)
        shown[n_ids] = "measure";
    o.indicators = n_ids || n_measures ? shown : NULL;
    o.n_indicators = n_ids + (n_measures > 0);
    /* Only the datasets the compared indicators read are loaded: the view stands in for the job. */
    full = lj.job;
    /* Statistics across the areas need their memberships: areas that share members (LEPs) count
       those members twice in weighted means. */
    if (o.weight)
        measures[n_measures] = o.weight;
    if (ri_job_view(full, n_ids || n_measures ? ids : NULL, n_ids, measures, n_measures + (o.weight != NULL),
                    o.stats ? o.area_type : NULL, &view, &err)) {
        rc = ri_cli_fail(&err);
    } else {
        lj.job = view;
        if (ri_cli_load_all(c, &lj, 1, n_ids || n_measures ? ids : NULL, n_ids, &err)
            || add_measures(c, &lj, measures, n_measures, &err)) {
            rc = ri_cli_fail(&err);
        } else {
            compare_ctx x = {lj.job, lj.results, &o};
            pg.type = o.area_type;
            if (peers && ri_cli_peers(full, &lj, peers, &pg, &err)) {
                rc = ri_cli_fail(&err);
            } else if (peers) {
                o.area_type = pg.type;
                o.peers = pg.members;
                o.peers_area = pg.area;
                o.peers_label = pg.label;
            }
            if (o.stats && !peers)
                warn_overlap(c, lj.panel, &o);
            /* A workbook's Sources sheet lists what the inputs were, as a run's manifest does. */
            if (!rc && o.format == RI_COMPARE_XLSX &&
                ri_manifest_collect(lj.job, lj.host, o.period, NULL, 0, &workbook_sources, &err))
                rc = ri_cli_fail(&err);
            o.manifest = workbook_sources;
            if (!rc && (out_path ? ri_cli_write_replace(out_path, write_compare, &x, &err)
                                 : write_compare(&x, stdout, &err)))
                rc = ri_cli_fail(&err);
            else if (!rc && !out_path && fflush(stdout) != 0)
                rc = RI_RC_DATA;
        }
        lj.job = full;
    }
    ri_cli_loaded_free(&lj);
    ri_job_view_free(view);
    free(pg.members);
    ri_manifest_free(workbook_sources);
    free((void *)o.outputs);
    free(shown);
    free(measures);
    free(ids);
    return rc;
}

int ri_cmd_areas(ri_cli *c, int argc, char **argv)
{
    static const char help[] =
        "Usage: regind areas [--type TYPE] [PATTERN]\n"
        "List code, name, type and parents of the areas in the data; PATTERN matches codes\n"
        "and names case-insensitively.\n";
    static const struct option opts[] = {{"type", required_argument, NULL, 't'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *type = NULL, *pattern = NULL;
    ri_loaded_job lj;
    ri_error err;
    int ch;

    optind = 0; /* 0, not 1: glibc then re-reads the option string, so each command parses afresh */
    while ((ch = getopt_long(argc, argv, "t:h", opts, NULL)) != -1) {
        if (ch == 'h') {
            fputs(help, stdout);
            return 0;
        }
        if (ch != 't')
            return RI_RC_USAGE;
        type = optarg;
    }
    if (argc - optind > 1)
        return ri_cli_usage("areas: %s", "expected at most one PATTERN");
    pattern = optind < argc ? argv[optind] : NULL;
    memset(&lj, 0, sizeof lj);
    if (ri_cli_load_job(c, 1, &lj.job, &err) || ri_panel_build(lj.job, &lj.panel, &err)) {
        ri_cli_loaded_free(&lj);
        return ri_cli_fail(&err);
    }
    for (size_t a = 0; a < lj.panel->n_areas; a++) {
        const ri_panel *p = lj.panel;
        if (type && strcmp(p->area_types[a], type) != 0)
            continue;
        if (pattern && !ri_contains_ci(p->area_codes[a], pattern) && !ri_contains_ci(p->area_names[a], pattern))
            continue;
        char *name = ri_display_safe(p->area_names[a]);
        printf("%-10s %-50s %-8s", p->area_codes[a], name ? name : "", p->area_types[a]);
        free(name);
        for (size_t k = 0; k < p->n_parents[a]; k++)
            printf("%s%s", k ? "," : " ", p->area_codes[p->parents[a][k]]);
        putchar('\n');
    }
    ri_cli_loaded_free(&lj);
    return 0;
}

