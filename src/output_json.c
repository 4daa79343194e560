/* output_json.c — JSON writer (see output_json.h). */
#include "output_json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Members already escaped, ready to copy. */
typedef struct text {
    char *s;
    size_t n;
} text;

/* Labels are escaped once per file and objects assembled by copying, as in the CSV writer. */
typedef struct json_writer {
    ri_sink *sink;
    const ri_panel *panel;
    text *areas;      /* [n_areas]: "area_code":..,"area_name":..,"area_type":.., */
    text *periods;    /* [n_periods]: "period":.., */
    text *industries; /* [n_industries]: "industry":.., */
    text no_industry;
    const char *breakdown; /* the key of industry labels ("industry", "scope") */
    const ri_result_col *col;
    text head, tail; /* for col: "indicator":..,"output":..,"value": and ,"unit":..} */
    int first;       /* no object written yet: no separating comma */
} json_writer;

/* n bytes of u escaped at out, which has room for 6 n bytes. */
static char *escape_body(char *out, const unsigned char *u, size_t n)
{
    static const char hex[] = "0123456789abcdef";

    for (const unsigned char *end = u + n; u < end; u++) {
        if (*u == '"' || *u == '\\') {
            *out++ = '\\';
            *out++ = (char)*u;
        } else if (*u < 0x20) {
            memcpy(out, "\\u00", 4);
            out[4] = hex[*u >> 4];
            out[5] = hex[*u & 15];
            out += 6;
        } else {
            *out++ = (char)*u;
        }
    }
    return out;
}

void ri_json_put_string(FILE *f, const char *s)
{
    enum { SLICE = 64 };
    char buf[6 * SLICE];
    size_t n;

    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (n = strlen(s); n; ) {
        size_t k = n < SLICE ? n : SLICE;
        fwrite(buf, 1, (size_t)(escape_body(buf, (const unsigned char *)s, k) - buf), f);
        s += k;
        n -= k;
    }
    fputc('"', f);
}

/* lead, then "key":value for keys[i] and values[i] (NULL = null) joined by commas, then end. */
static int make_members(text *t, const char *lead, const char *const *keys, const char *const *values, size_t n,
                        const char *end)
{
    size_t cap = strlen(lead) + strlen(end) + 1;
    char *p;

    for (size_t i = 0; i < n; i++)
        cap += strlen(keys[i]) + 6 + (values[i] ? 6 * strlen(values[i]) + 2 : 4);
    if (!(t->s = p = malloc(cap)))
        return -1;
    p = stpcpy(p, lead);
    for (size_t i = 0; i < n; i++) {
        if (i)
            *p++ = ',';
        *p++ = '"';
        p = stpcpy(p, keys[i]);
        *p++ = '"';
        *p++ = ':';
        if (values[i]) {
            *p++ = '"';
            p = escape_body(p, (const unsigned char *)values[i], strlen(values[i]));
            *p++ = '"';
        } else {
            p = stpcpy(p, "null");
        }
    }
    p = stpcpy(p, end);
    t->n = (size_t)(p - t->s);
    return 0;
}

static void free_texts(text *t, size_t n)
{
    for (size_t i = 0; t && i < n; i++)
        free(t[i].s);
    free(t);
}

static int make_labels(json_writer *w)
{
    static const char *const area_keys[] = {"area_code", "area_name", "area_type"};
    static const char *const period_key[] = {"period"};
    const char *const industry_key[] = {w->breakdown};
    static const char *const none[] = {NULL};
    const ri_panel *p = w->panel;
    size_t ni = p->industries ? p->n_industries : 0;

    w->areas = calloc(p->n_areas ? p->n_areas : 1, sizeof *w->areas);
    w->periods = calloc(p->n_periods ? p->n_periods : 1, sizeof *w->periods);
    w->industries = calloc(ni ? ni : 1, sizeof *w->industries);
    if (!w->areas || !w->periods || !w->industries || make_members(&w->no_industry, "", industry_key, none, 1, ","))
        return -1;
    for (size_t a = 0; a < p->n_areas; a++) {
        const char *v[3] = {p->area_codes[a], p->area_names[a], p->area_types[a]};
        if (make_members(&w->areas[a], "", area_keys, v, 3, ","))
            return -1;
    }
    for (size_t t = 0; t < p->n_periods; t++)
        if (make_members(&w->periods[t], "", period_key, (const char *const *)&p->periods[t], 1, ","))
            return -1;
    for (size_t i = 0; i < ni; i++)
        if (make_members(&w->industries[i], "", industry_key, (const char *const *)&p->industries[i], 1, ","))
            return -1;
    return 0;
}

static ri_rc put_object(void *ctx, const ri_result_col *col, size_t area, size_t period,
                        size_t industry, double v, ri_error *err)
{
    json_writer *w = ctx;
    const text *ind = industry == RI_NO_INDUSTRY ? &w->no_industry : &w->industries[industry];
    const text *parts[3] = {&w->areas[area], &w->periods[period], ind};
    char num[RI_NUMBER_TEXT_MAX];

    if (col != w->col) {
        static const char *const head_keys[] = {"indicator", "output"}, *const unit_key[] = {"unit"};
        const char *head[2] = {col->indicator, col->output};
        free(w->head.s);
        free(w->tail.s);
        w->head.s = w->tail.s = NULL;
        w->col = col;
        if (make_members(&w->head, "", head_keys, head, 2, ",\"value\":")
            || make_members(&w->tail, ",", unit_key, (const char *const *)&col->unit, 1, "}"))
            return ri_oom(err);
    }
    ri_sink_write(w->sink, w->first ? "{" : ",\n{", w->first ? 1 : 3);
    w->first = 0;
    for (size_t i = 0; i < 3; i++)
        ri_sink_write(w->sink, parts[i]->s, parts[i]->n);
    ri_sink_write(w->sink, w->head.s, w->head.n);
    if (isnan(v))
        ri_sink_write(w->sink, "null", 4);
    else
        ri_sink_write(w->sink, num, (size_t)(ri_format_number_end(v, num) - num));
    ri_sink_write(w->sink, w->tail.s, w->tail.n);
    return RI_RC_OK;
}

ri_rc ri_write_json(ri_sink *sink, const ri_results *r, const ri_selection *sel, ri_error *err)
{
    json_writer w = {0};
    ri_rc rc = ri_results_check(r, sel, err);

    if (rc != RI_RC_OK)
        return rc;
    w.sink = sink;
    w.panel = r->panel;
    w.breakdown = r->breakdown;
    w.first = 1;
    if (make_labels(&w) != 0) {
        rc = ri_oom(err);
    } else {
        ri_sink_puts(sink, "{\"results\":[\n");
        rc = ri_results_each(r, sel, put_object, &w, err);
        if (rc == RI_RC_OK)
            ri_sink_puts(sink, w.first ? "]}\n" : "\n]}\n");
    }
    free_texts(w.areas, r->panel->n_areas);
    free_texts(w.periods, r->panel->n_periods);
    free_texts(w.industries, r->panel->industries ? r->panel->n_industries : 0);
    free(w.no_industry.s);
    free(w.head.s);
    free(w.tail.s);
    return rc;
}
