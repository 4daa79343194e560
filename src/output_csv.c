/* output_csv.c — tidy CSV writer (see output_csv.h). */
#include "output_csv.h"

#include <errno.h>
#include <math.h>
#include <string.h>

typedef struct csv_writer {
    FILE *f;
    const ri_panel *panel;
} csv_writer;

static ri_rc write_failed(ri_error *err)
{
    /* Some streams (fmemopen) fail without setting errno. */
    return ri_fail(err, RI_RC_DATA, "write failed: %s", strerror(errno ? errno : EIO));
}

static void put_text(FILE *f, const char *s)
{
    int formula = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
    int quote = strpbrk(s, ",\"\r\n") != NULL;

    if (quote)
        fputc('"', f);
    if (formula)
        fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    if (quote)
        fputc('"', f);
}

static ri_rc put_row(void *ctx, const ri_result_col *col, size_t area, size_t period,
                     size_t industry, double v, ri_error *err)
{
    csv_writer *w = ctx;
    const ri_panel *p = w->panel;

    put_text(w->f, p->area_codes[area]);
    fputc(',', w->f);
    put_text(w->f, p->area_names[area]);
    fputc(',', w->f);
    put_text(w->f, p->periods[period]);
    fputc(',', w->f);
    if (industry != RI_NO_INDUSTRY)
        put_text(w->f, p->industries[industry]);
    fputc(',', w->f);
    put_text(w->f, col->indicator);
    fputc(',', w->f);
    put_text(w->f, col->output);
    fputc(',', w->f);
    if (!isnan(v)) {
        char num[RI_NUMBER_TEXT_MAX];

        ri_format_number(v, num);
        fputs(num, w->f);
    }
    fputc(',', w->f);
    put_text(w->f, col->unit);
    fputc('\n', w->f);
    return ferror(w->f) ? write_failed(err) : RI_RC_OK;
}

ri_rc ri_write_csv(FILE *f, const ri_results *r, const ri_selection *sel, ri_error *err)
{
    csv_writer w;
    ri_rc rc = ri_results_check(r, sel, err);

    if (rc != RI_RC_OK)
        return rc;
    w.f = f;
    w.panel = r->panel;
    errno = 0;
    fputs("area_code,area_name,period,industry,indicator,output,value,unit\n", f);
    if (ferror(f))
        return write_failed(err);
    rc = ri_results_each(r, sel, put_row, &w, err);
    if (rc != RI_RC_OK)
        return rc;
    /* A full disk often shows only when the last buffer is flushed. */
    if (fflush(f) != 0 || ferror(f))
        return write_failed(err);
    return RI_RC_OK;
}
