/* output_json.c — JSON writer (see output_json.h). */
#include "output_json.h"

#include <errno.h>
#include <math.h>
#include <string.h>

typedef struct json_writer {
    FILE *f;
    const ri_panel *panel;
    int first; /* no object written yet: no separating comma */
} json_writer;

static ri_rc write_failed(ri_error *err)
{
    /* Some streams (fmemopen) fail without setting errno. */
    return ri_fail(err, RI_RC_DATA, "write failed: %s", strerror(errno ? errno : EIO));
}

void ri_json_put_string(FILE *f, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;

    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (; *u; u++) {
        if (*u == '"' || *u == '\\')
            fprintf(f, "\\%c", *u);
        else if (*u < 0x20)
            fprintf(f, "\\u%04x", *u);
        else
            fputc(*u, f);
    }
    fputc('"', f);
}

static void put_member(FILE *f, const char *key, const char *value)
{
    fprintf(f, "\"%s\":", key);
    if (value)
        ri_json_put_string(f, value);
    else
        fputs("null", f);
}

static ri_rc put_object(void *ctx, const ri_result_col *col, size_t area, size_t period,
                        size_t industry, double v, ri_error *err)
{
    json_writer *w = ctx;
    const ri_panel *p = w->panel;

    if (!w->first)
        fputs(",\n", w->f);
    w->first = 0;
    fputc('{', w->f);
    put_member(w->f, "area_code", p->area_codes[area]);
    fputc(',', w->f);
    put_member(w->f, "area_name", p->area_names[area]);
    fputc(',', w->f);
    put_member(w->f, "area_type", p->area_types[area]);
    fputc(',', w->f);
    put_member(w->f, "period", p->periods[period]);
    fputc(',', w->f);
    put_member(w->f, "industry",
               industry == RI_NO_INDUSTRY ? NULL : p->industries[industry]);
    fputc(',', w->f);
    put_member(w->f, "indicator", col->indicator);
    fputc(',', w->f);
    put_member(w->f, "output", col->output);
    fputs(",\"value\":", w->f);
    if (isnan(v)) {
        fputs("null", w->f);
    } else {
        char num[RI_NUMBER_TEXT_MAX];

        ri_format_number(v, num);
        fputs(num, w->f);
    }
    fputc(',', w->f);
    put_member(w->f, "unit", col->unit);
    fputc('}', w->f);
    return ferror(w->f) ? write_failed(err) : RI_RC_OK;
}

ri_rc ri_write_json(FILE *f, const ri_results *r, const ri_selection *sel, ri_error *err)
{
    json_writer w;
    ri_rc rc = ri_results_check(r, sel, err);

    if (rc != RI_RC_OK)
        return rc;
    w.f = f;
    w.panel = r->panel;
    w.first = 1;
    errno = 0;
    fputs("{\"results\":[\n", f);
    if (ferror(f))
        return write_failed(err);
    rc = ri_results_each(r, sel, put_object, &w, err);
    if (rc != RI_RC_OK)
        return rc;
    fputs(w.first ? "]}\n" : "\n]}\n", f);
    /* A full disk often shows only when the last buffer is flushed. */
    if (fflush(f) != 0 || ferror(f))
        return write_failed(err);
    return RI_RC_OK;
}
