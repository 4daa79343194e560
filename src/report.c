/* report.c — the self-contained HTML report (see report.h). */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "display.h"
#include "needs.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

/* Screen and A4 print in one sheet; system fonts only, nothing fetched. */
static const char css[] =
    ":root{color-scheme:light}"
    "body{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;color:#1a1a1a;background:#fff;margin:0 auto;"
    "max-width:60rem;padding:1.5rem;line-height:1.45;font-size:15px}"
    "h1{font-size:1.6rem;margin:0 0 .3rem}h2{font-size:1.25rem;margin:2rem 0 .5rem;border-bottom:2px solid #12355b}"
    "h3{font-size:1.05rem;margin:1.2rem 0 .4rem}"
    ".meta{color:#555;margin:0}.headline{font-size:1.05rem}"
    "nav ol{padding-left:1.2rem;margin:.5rem 0}a{color:#12355b}"
    "figure{margin:1rem 0}figure svg{width:100%;height:auto;display:block}"
    "figcaption{color:#555;font-size:.85rem}"
    ".scroll{overflow-x:auto}"
    "table{border-collapse:collapse;font-size:.8rem;margin:.5rem 0 1rem;font-variant-numeric:tabular-nums}"
    "th,td{padding:.15rem .4rem;border-bottom:1px solid #d9d9d9;text-align:left;vertical-align:top}"
    "th{background:#eef2f7;border-bottom:2px solid #12355b;vertical-align:bottom}"
    "td.area{min-width:13em}"
    "td.n{text-align:right;white-space:nowrap}th.n{text-align:right}"
    "th[aria-sort]::after{content:' \\25BC';font-size:.7em}"
    "tr.named td{font-weight:bold;background:#eef2f7}tr.bench td{border-top:2px solid #1a1a1a;font-style:italic}"
    "code,.hash{font-family:'DejaVu Sans Mono',monospace;font-size:.78rem;word-break:break-all}"
    "@page{size:A4;margin:14mm 12mm}"
    "@media print{body{max-width:none;padding:0;font-size:9.5pt}nav{display:none}"
    "section.indicator:not(:first-of-type),section#sources{break-before:page}figure,tr,.headline{break-inside:avoid}"
    "h2,h3{break-after:avoid}.scroll{overflow:visible}a{color:inherit;text-decoration:none}}";

static void ordinal(size_t n, char buf[24])
{
    const char *suffix = "th";
    if (n % 100 < 11 || n % 100 > 13)
        suffix = n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
    snprintf(buf, 24, "%zu%s", n, suffix);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* What one indicator section shows. */
typedef struct view {
    const char *id;
    const ri_result_col **cols; /* its outputs by area and period, in results order */
    size_t n_cols;
    size_t t, benchmark;
} view;

static void number_cell(FILE *f, double v, int decimals)
{
    char num[RI_DISPLAY_NUM_MAX];
    ri_display_number(v, decimals, num);
    fprintf(f, "<td class=\"n\">%s</td>", num);
}

/* "London (52,239)" */
static void area_value(FILE *f, const ri_panel *p, size_t a, double v, int decimals)
{
    char num[RI_DISPLAY_NUM_MAX];
    ri_display_number(v, decimals, num);
    ri_display_xml(f, p->area_names[a][0] ? p->area_names[a] : p->area_codes[a]);
    fprintf(f, " (%s)", num);
}

static void headline(FILE *f, const ri_panel *p, const view *w, const ri_ranked *rk, const unsigned char *named,
                     const ri_report_opts *o, int dec)
{
    const ri_result_col *col = w->cols[0];
    size_t n_valid = 0;
    char nth[24];
    for (size_t r = 0; r < rk->n_rows; r++)
        n_valid += !isnan(rk->vals[rk->rows[r]]);
    fputs("<p class=\"headline\">", f);
    if (n_valid == 0) {
        fprintf(f, "No %s area has a value of %s in %s.</p>\n", o->area_type, col->output, p->periods[w->t]);
        return;
    }
    fprintf(f, "In %s, of %zu %s areas with a value of <b>", p->periods[w->t], n_valid, o->area_type);
    ri_display_xml(f, col->output);
    fputs("</b> (", f);
    ri_display_xml(f, col->unit);
    fputs("), the highest was ", f);
    area_value(f, p, rk->rows[0], rk->vals[rk->rows[0]], dec);
    fputs(" and the lowest ", f);
    area_value(f, p, rk->rows[n_valid - 1], rk->vals[rk->rows[n_valid - 1]], dec);
    if (w->benchmark != RI_NO_AREA) {
        char num[RI_DISPLAY_NUM_MAX];
        ri_display_number(col->v[w->benchmark * p->n_periods + w->t], dec, num);
        fputs("; the benchmark, ", f);
        ri_display_xml(f, p->area_names[w->benchmark][0] ? p->area_names[w->benchmark] : p->area_codes[w->benchmark]);
        fprintf(f, ", was %s", num);
    }
    fputs(".", f);
    for (size_t r = 0; r < rk->n_rows; r++) {
        size_t a = rk->rows[r];
        if (!named[a])
            continue;
        fputs(" ", f);
        if (isnan(rk->rank[a])) {
            ri_display_xml(f, p->area_names[a]);
            fputs(" has no value.", f);
            continue;
        }
        ordinal((size_t)rk->rank[a], nth);
        area_value(f, p, a, rk->vals[a], dec);
        fprintf(f, " ranks %s of %zu.", nth, n_valid);
    }
    if (rk->n_rows > n_valid)
        fprintf(f, " %zu %s have no value.", rk->n_rows - n_valid, rk->n_rows - n_valid == 1 ? "area" : "areas");
    fputs("</p>\n", f);
}

static void table(FILE *f, const ri_panel *p, const view *w, const ri_ranked *rk, const unsigned char *named,
                  const int *dec)
{
    fputs("<div class=\"scroll\"><table>\n<thead><tr><th class=\"n\">Rank</th><th>Area</th><th>Code</th>", f);
    for (size_t c = 0; c < w->n_cols; c++) {
        fprintf(f, "<th class=\"n\"%s title=\"", c == 0 ? " aria-sort=\"descending\"" : "");
        ri_display_xml(f, w->cols[c]->unit);
        fputs("\">", f);
        /* Long output names may break after an underscore, so that many columns fit a page. */
        for (const char *s = w->cols[c]->output, *u; *s; s = u) {
            char part[256];
            u = strchr(s, '_');
            u = u ? u + 1 : s + strlen(s);
            snprintf(part, sizeof part, "%.*s", (int)(u - s), s);
            ri_display_xml(f, part);
            if (*u)
                fputs("<wbr>", f);
        }
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
    for (size_t r = 0; r <= rk->n_rows; r++) {
        size_t a = r < rk->n_rows ? rk->rows[r] : w->benchmark;
        if (a == RI_NO_AREA)
            break;
        fprintf(f, "<tr%s>", r == rk->n_rows ? " class=\"bench\"" : named[a] ? " class=\"named\"" : "");
        if (r < rk->n_rows && !isnan(rk->rank[a]))
            fprintf(f, "<td class=\"n\">%.0f</td><td class=\"area\">", rk->rank[a]);
        else
            fputs("<td class=\"n\"></td><td class=\"area\">", f);
        ri_display_xml(f, p->area_names[a][0] ? p->area_names[a] : p->area_codes[a]);
        fputs(r == rk->n_rows ? " (benchmark)</td><td>" : "</td><td>", f);
        ri_display_xml(f, p->area_codes[a]);
        fputs("</td>", f);
        for (size_t c = 0; c < w->n_cols; c++)
            number_cell(f, w->cols[c]->v[a * p->n_periods + w->t], dec[c]);
        fputs("</tr>\n", f);
    }
    fputs("</tbody>\n</table></div>\n", f);
}

/* The chart compare draws for this indicator, inline. */
static ri_rc chart(FILE *f, const ri_job *job, const ri_results *r, const view *w, const ri_report_opts *o,
                   ri_error *err)
{
    char *svg = NULL, period[64];
    size_t size = 0;
    FILE *mem = open_memstream(&svg, &size);
    ri_compare_opts co;
    ri_rc rc;

    if (!mem)
        return ri_oom(err);
    memset(&co, 0, sizeof co);
    snprintf(period, sizeof period, "%s", r->panel->periods[w->t]);
    co.indicators = &w->id;
    co.n_indicators = 1;
    co.areas = o->areas;
    co.n_areas = o->n_areas;
    co.area_type = o->area_type;
    co.period = period;
    co.since = o->since;
    co.format = RI_COMPARE_SVG;
    co.peers = o->peers;
    co.peers_area = o->peers_area;
    /* The chart's source line names the data of this indicator only. */
    ri_job *own = NULL;
    rc = ri_job_view(job, &w->id, 1, NULL, 0, NULL, &own, err);
    if (!rc)
        rc = ri_compare_write(mem, own, r, &co, err);
    ri_job_view_free(own);
    if (fclose(mem) != 0 && !rc)
        rc = ri_oom(err);
    if (!rc) {
        fputs("<figure>\n", f);
        fwrite(svg, 1, size, f);
        fputs("<figcaption>", f);
        if (o->since)
            fprintf(f, "%s from %s to %s; the benchmark dashed%s.", w->cols[0]->output, o->since, period,
                    o->n_areas ? "; named areas coloured" : "");
        else
            fprintf(f, "%s in %s, ranked; the benchmark as a dashed line%s.", w->cols[0]->output, period,
                    o->n_areas ? "; named areas dark" : "");
        fputs(" Missing values are gaps marked n/a.</figcaption>\n</figure>\n", f);
    }
    free(svg);
    return rc;
}

static ri_rc section(FILE *f, const ri_job *job, const ri_results *r, const view *w, const unsigned char *group,
                     const unsigned char *named, const ri_report_opts *o, ri_error *err)
{
    const ri_panel *p = r->panel;
    const ri_indicator_cfg *ind = ri_job_indicator(job, w->id);
    int *dec = calloc(w->n_cols, sizeof *dec);
    double *vals = malloc((p->n_areas + 1) * sizeof *vals);
    ri_ranked rk;
    ri_rc rc;

    if (!dec || !vals) {
        free(dec);
        free(vals);
        return ri_oom(err);
    }
    if ((rc = ri_compare_rank(p, w->cols[0], w->t, group, group, w->benchmark, 0, &rk, err))) {
        free(dec);
        free(vals);
        return rc;
    }
    for (size_t c = 0; c < w->n_cols; c++) {
        size_t n = 0;
        for (size_t a = 0; a < p->n_areas; a++)
            if (group[a] || a == w->benchmark)
                vals[n++] = w->cols[c]->v[a * p->n_periods + w->t];
        dec[c] = ri_display_decimals_of(w->cols[c]->unit, vals, n, 1);
    }
    fputs("<section class=\"indicator\" id=\"ind-", f);
    ri_display_xml(f, w->id);
    fputs("\">\n<h2>", f);
    ri_display_xml(f, w->id);
    fputs(": ", f);
    ri_display_xml(f, w->cols[0]->output);
    fprintf(f, ", %s</h2>\n<p class=\"meta\">Plugin ", p->periods[w->t]);
    ri_display_xml(f, ind ? ind->plugin : "?");
    fprintf(f, "; %s areas", o->area_type);
    if (w->benchmark != RI_NO_AREA) {
        fputs(" against ", f);
        ri_display_xml(f, p->area_names[w->benchmark]);
        fputs(" (", f);
        ri_display_xml(f, p->area_codes[w->benchmark]);
        fputs(")", f);
    }
    fputs(".</p>\n", f);
    headline(f, p, w, &rk, named, o, dec[0]);
    rc = chart(f, job, r, w, o, err);
    if (!rc) {
        fprintf(f, "<h3>%s %s areas, %s</h3>\n", o->peers ? "The peers:" : "All", o->area_type, p->periods[w->t]);
        table(f, p, w, &rk, named, dec);
        fputs("</section>\n", f);
    }
    ri_ranked_free(&rk);
    free(dec);
    free(vals);
    return rc;
}

static void hash_cell(FILE *f, const char *hex)
{
    fprintf(f, "<td class=\"hash\">%s</td>", hex[0] ? hex : "n/a");
}

static void input_row(FILE *f, const char *kind, const char *id, const char *path, unsigned long long size,
                      const char *hex)
{
    char num[RI_DISPLAY_NUM_MAX];
    ri_display_number((double)size, 0, num);
    fprintf(f, "<tr><td>%s</td><td>", kind);
    ri_display_xml(f, id);
    fprintf(f, "</td><td class=\"n\">%s</td><td>", num);
    ri_display_xml(f, base_name(path ? path : ""));
    fprintf(f, "<br><span class=\"hash\">%s</span></td></tr>\n", hex[0] ? hex : "n/a");
}

/* 1 when a reported indicator runs plugin name. */
static int plugin_reported(const ri_job *job, const view *views, size_t n_views, const char *name)
{
    for (size_t k = 0; k < n_views; k++) {
        const ri_indicator_cfg *ind = ri_job_indicator(job, views[k].id);
        if (ind && strcmp(ind->plugin, name) == 0)
            return 1;
    }
    return 0;
}

static void sources(FILE *f, const ri_job *job, const ri_results *r, const ri_manifest *m, const view *views,
                    size_t n_views, const ri_report_opts *o)
{
    const ri_panel *p = r->panel;
    fputs("<section id=\"sources\">\n<h2>Sources and method</h2>\n<h3>Inputs</h3>\n", f);
    fputs("<p>Every file the figures come from, with its SHA-256 digest: the same digests mean the same bytes.</p>\n", f);
    fputs("<div class=\"scroll\"><table>\n<thead><tr><th>Kind</th><th>Id</th><th class=\"n\">Bytes</th>"
          "<th>File and SHA-256</th></tr></thead>\n<tbody>\n", f);
    input_row(f, "job", "", m->config.path ? m->config.path : job->path, m->config.size, m->config.sha256);
    for (size_t i = 0; i < m->n_inputs; i++)
        input_row(f, m->inputs[i].kind, m->inputs[i].id, m->inputs[i].file.path, m->inputs[i].file.size,
                  m->inputs[i].file.sha256);
    fputs("</tbody>\n</table></div>\n<h3>Coverage</h3>\n<div class=\"scroll\"><table>\n<thead><tr><th>Dataset</th>"
          "<th class=\"n\">Rows read</th><th class=\"n\">Rows kept</th><th class=\"n\">Cells</th>"
          "<th class=\"n\">Missing</th><th class=\"n\">Areas</th><th>Periods</th></tr></thead>\n<tbody>\n", f);
    for (size_t d = 0; d < p->n_datasets; d++) {
        const ri_dataset_info *di = &p->datasets[d];
        char num[RI_DISPLAY_NUM_MAX];
        fputs("<tr><td>", f);
        ri_display_xml(f, di->id);
        fputs("</td>", f);
        ri_display_number((double)di->rows_read, 0, num);
        fprintf(f, "<td class=\"n\">%s</td>", num);
        ri_display_number((double)di->rows_kept, 0, num);
        fprintf(f, "<td class=\"n\">%s</td>", num);
        ri_display_number((double)di->cells_read, 0, num);
        fprintf(f, "<td class=\"n\">%s</td>", num);
        ri_display_number((double)di->missing, 0, num);
        fprintf(f, "<td class=\"n\">%s</td><td class=\"n\">%zu</td><td>", num, di->n_areas);
        ri_display_xml(f, di->first_period ? di->first_period : "");
        fputs("&ndash;", f);
        ri_display_xml(f, di->last_period ? di->last_period : "");
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody>\n</table></div>\n<h3>Plugins</h3>\n<div class=\"scroll\"><table>\n<thead><tr><th>Plugin</th>"
          "<th>Version</th><th>ABI</th><th>SHA-256 of the library</th></tr></thead>\n<tbody>\n", f);
    for (size_t k = 0; k < m->n_plugins; k++) {
        const ri_manifest_plugin *pl = &m->plugins[k];
        if (!plugin_reported(job, views, n_views, pl->name))
            continue;
        fputs("<tr><td>", f);
        ri_display_xml(f, pl->name);
        fputs("</td><td>", f);
        ri_display_xml(f, pl->version ? pl->version : "");
        fprintf(f, "</td><td>%u.%u</td>", pl->abi_major, pl->abi_minor);
        hash_cell(f, pl->library.path ? pl->library.sha256 : pl->file.sha256);
        fputs("</tr>\n", f);
    }
    fputs("</tbody>\n</table></div>\n<h3>Units</h3>\n<ul>\n", f);
    for (size_t k = 0; k < n_views; k++)
        for (size_t c = 0; c < views[k].n_cols; c++) {
            fputs("<li><code>", f);
            ri_display_xml(f, views[k].id);
            fputs(".", f);
            ri_display_xml(f, views[k].cols[c]->output);
            fputs("</code>: ", f);
            ri_display_xml(f, views[k].cols[c]->unit);
            fputs("</li>\n", f);
        }
    fprintf(f, "</ul>\n<h3>Warnings</h3>\n");
    if (o->n_warnings == 0) {
        fputs("<p>None.</p>\n", f);
    } else {
        fputs("<ul>\n", f);
        for (size_t k = 0; k < o->n_warnings; k++) {
            fputs("<li>", f);
            ri_display_xml(f, o->warnings[k]);
            fputs("</li>\n", f);
        }
        fputs("</ul>\n", f);
    }
    fprintf(f, "<h3>Method</h3>\n<p>Each indicator is computed by its plugin from the inputs above. Ranks are among "
               "the %s areas with a value (1 = highest; ties share the better rank); the benchmark is not ranked. "
               "Missing values are shown as n/a and are never counted as zero. Numbers are rounded for display only: "
               "money and counts to whole units, indices and percentages to one decimal, ratios to three significant "
               "digits. regind %s; inputs fingerprint <span class=\"hash\">%s</span>.</p>\n</section>\n",
            o->area_type, PACKAGE_VERSION, m->fingerprint);
}

/* The indicators to report, each with its outputs by area and period. */
static ri_rc make_views(const ri_job *job, const ri_results *r, const ri_report_opts *o, const unsigned char *chosen,
                        view **out, size_t *n_out, ri_error *err)
{
    view *v = calloc(r->n_cols + 1, sizeof *v);
    size_t n = 0;
    if (!v)
        return ri_oom(err);
    *out = v;
    for (size_t c = 0; c < r->n_cols; c++) {
        const ri_result_col *col = &r->cols[c];
        int wanted = !o->indicators;
        view *w = NULL;
        for (size_t k = 0; k < o->n_indicators && !wanted; k++)
            wanted = strcmp(o->indicators[k], col->indicator) == 0;
        if (!wanted || col->by_industry)
            continue;
        for (size_t k = 0; k < n && !w; k++)
            if (strcmp(v[k].id, col->indicator) == 0)
                w = &v[k];
        if (!w) {
            const ri_indicator_cfg *ind = ri_job_indicator(job, col->indicator);
            w = &v[n++];
            *n_out = n;
            w->id = col->indicator;
            w->benchmark = ind && ind->benchmark ? ri_panel_area(r->panel, ind->benchmark) : RI_NO_AREA;
            if (!(w->cols = calloc(r->n_cols, sizeof *w->cols)))
                return ri_oom(err);
        }
        w->cols[w->n_cols++] = col;
    }
    *n_out = n;
    if (n == 0)
        return ri_fail(err, RI_RC_USAGE, "nothing to report: the indicators have no outputs by area and period; expected indicators such as gva_gap");
    for (size_t k = 0; k < n; k++) {
        if (o->period) {
            v[k].t = ri_panel_period(r->panel, o->period);
            if (v[k].t == (size_t)-1)
                return ri_fail(err, RI_RC_USAGE, "--period %s: no such period in the data; expected %s to %s", o->period,
                               r->panel->periods[0], r->panel->periods[r->panel->n_periods - 1]);
        } else {
            v[k].t = ri_compare_latest(r->panel, v[k].cols[0], chosen);
        }
    }
    return RI_RC_OK;
}

ri_rc ri_report_write(FILE *f, const ri_job *job, const ri_results *r, const ri_manifest *m,
                      const ri_report_opts *o, ri_error *err)
{
    const ri_panel *p = r->panel;
    size_t n = p->n_areas ? p->n_areas : 1, n_views = 0;
    unsigned char *group = calloc(n, 1), *named = calloc(n, 1);
    view *views = NULL;
    ri_rc rc = RI_RC_OK;

    if (!group || !named) {
        rc = ri_oom(err);
        goto done;
    }
    if ((rc = ri_compare_areas(p, o->peers, o->area_type, o->areas, o->n_areas, group, named, err)) ||
        (rc = make_views(job, r, o, o->n_areas ? named : group, &views, &n_views, err)))
        goto done;
    /* Among peers their mean is what each area stands against. */
    for (size_t k = 0; o->peers && k < n_views; k++)
        views[k].benchmark = o->peers_area;

    fputs("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", f);
    fprintf(f, "Regional indicators: %s areas</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n<h1>", o->area_type, css);
    fprintf(f, "Regional indicators: %s areas</h1>\n<p class=\"meta\">Job ", o->area_type);
    ri_display_xml(f, base_name(job->path));
    fprintf(f, "; regind %s", PACKAGE_VERSION);
    if (o->generated)
        fprintf(f, "; made %s", o->generated);
    fputs(".</p>\n</header>\n<nav>\n<ol>\n", f);
    for (size_t k = 0; k < n_views; k++) {
        fputs("<li><a href=\"#ind-", f);
        ri_display_xml(f, views[k].id);
        fputs("\">", f);
        ri_display_xml(f, views[k].id);
        fputs(": ", f);
        ri_display_xml(f, views[k].cols[0]->output);
        fprintf(f, ", %s</a></li>\n", p->periods[views[k].t]);
    }
    fputs("<li><a href=\"#sources\">Sources and method</a></li>\n</ol>\n</nav>\n", f);
    for (size_t k = 0; k < n_views && !rc; k++)
        rc = section(f, job, r, &views[k], group, named, o, err);
    if (!rc) {
        sources(f, job, r, m, views, n_views, o);
        fputs("</body>\n</html>\n", f);
        if (ferror(f))
            rc = ri_fail(err, RI_RC_DATA, "writing the report failed");
    }
done:
    for (size_t k = 0; views && k < n_views; k++)
        free(views[k].cols);
    free(views);
    free(group);
    free(named);
    return rc;
}
