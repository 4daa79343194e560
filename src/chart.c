/* chart.c — bars and lines through cairo or as SVG text (see chart.h). */
#include "chart.h"

#include <math.h>
#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>

#include "display.h"

#define FONT "DejaVu Sans"
#define INK "#1a1a1a"       /* text and the benchmark: 17.4:1 on white */
#define MUTED "#555555"     /* axis labels and the source: 7.5:1 */
#define BAR "#6d8db3"       /* bars: 3.4:1 */
#define BAR_NAMED "#12355b" /* named areas: 12.5:1, and 3.6:1 against the other bars */
#define CONTEXT "#8a8a8a"   /* lines of areas not named: 3.5:1 */
#define GRID "#d9d9d9"      /* decoration only */

/* Lines of named areas: dark colours that also differ by dash in greyscale. */
static const char *const named_ink[] = {"#12355b", "#b8471b", "#2e6b30", "#6a2c70"};
static const double named_dash[][2] = {{0, 0}, {2, 2}, {0, 0}, {2, 2}};

typedef struct canvas {
    cairo_t *cr;       /* PNG and PDF; NULL when writing SVG */
    cairo_t *measure;  /* text widths, for every format */
    FILE *svg;
} canvas;

static void rgb(const char *hex, double *r, double *g, double *b)
{
    unsigned v = (unsigned)strtoul(hex + 1, NULL, 16);
    *r = (v >> 16 & 0xff) / 255.0;
    *g = (v >> 8 & 0xff) / 255.0;
    *b = (v & 0xff) / 255.0;
}

static void set_font(cairo_t *cr, double size, int bold)
{
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

static double text_width(canvas *cv, const char *s, double size, int bold)
{
    cairo_text_extents_t e;
    set_font(cv->measure, size, bold);
    cairo_text_extents(cv->measure, s, &e);
    return e.x_advance;
}

static void rect(canvas *cv, double x, double y, double w, double h, const char *fill)
{
    if (cv->svg) {
        fprintf(cv->svg, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n", x, y, w, h, fill);
        return;
    }
    double r, g, b;
    rgb(fill, &r, &g, &b);
    cairo_set_source_rgb(cv->cr, r, g, b);
    cairo_rectangle(cv->cr, x, y, w, h);
    cairo_fill(cv->cr);
}

/* A polyline through the finite points; a NaN y leaves a gap. dash: {on, off}, {0, 0} = solid. */
static void path(canvas *cv, const double *xs, const double *ys, size_t n, const char *ink, double width,
                 const double dash[2])
{
    int pen = 0;
    if (cv->svg) {
        fputs("<path fill=\"none\" d=\"", cv->svg);
        for (size_t i = 0; i < n; i++) {
            if (isnan(ys[i])) {
                pen = 0;
                continue;
            }
            fprintf(cv->svg, "%s%.1f %.1f", pen ? " L" : (i ? " M" : "M"), xs[i], ys[i]);
            pen = 1;
        }
        fprintf(cv->svg, "\" stroke=\"%s\" stroke-width=\"%.1f\"", ink, width);
        if (dash[0] > 0)
            fprintf(cv->svg, " stroke-dasharray=\"%.0f %.0f\"", dash[0], dash[1]);
        fputs("/>\n", cv->svg);
        return;
    }
    double r, g, b;
    rgb(ink, &r, &g, &b);
    cairo_set_source_rgb(cv->cr, r, g, b);
    cairo_set_line_width(cv->cr, width);
    cairo_set_dash(cv->cr, dash, dash[0] > 0 ? 2 : 0, 0);
    for (size_t i = 0; i < n; i++) {
        if (isnan(ys[i])) {
            pen = 0;
            continue;
        }
        if (pen)
            cairo_line_to(cv->cr, xs[i], ys[i]);
        else
            cairo_move_to(cv->cr, xs[i], ys[i]);
        pen = 1;
    }
    cairo_stroke(cv->cr);
    cairo_set_dash(cv->cr, NULL, 0, 0);
}

static void dot(canvas *cv, double x, double y, double r, const char *ink)
{
    if (cv->svg) {
        fprintf(cv->svg, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>\n", x, y, r, ink);
        return;
    }
    double cr, g, b;
    rgb(ink, &cr, &g, &b);
    cairo_set_source_rgb(cv->cr, cr, g, b);
    cairo_arc(cv->cr, x, y, r, 0, 2 * M_PI);
    cairo_fill(cv->cr);
}

/* A series as a line, and a dot where a value stands alone between gaps (a line needs two). */
static void series(canvas *cv, const double *xs, const double *ys, size_t n, const char *ink, double width,
                   const double dash[2])
{
    path(cv, xs, ys, n, ink, width, dash);
    for (size_t i = 0; i < n; i++)
        if (!isnan(ys[i]) && (i == 0 || isnan(ys[i - 1])) && (i + 1 == n || isnan(ys[i + 1])))
            dot(cv, xs[i], ys[i], width + 1, ink);
}

static void line(canvas *cv, double x1, double y1, double x2, double y2, const char *ink, double width, int dashed)
{
    static const double solid[2] = {0, 0}, dashes[2] = {5, 3};
    double xs[2] = {x1, x2}, ys[2] = {y1, y2};
    path(cv, xs, ys, 2, ink, width, dashed ? dashes : solid);
}

enum { LEFT, MIDDLE, RIGHT };

/* Text with its baseline at y, anchored at x. */
static void text(canvas *cv, double x, double y, const char *s, double size, int bold, int anchor, const char *ink)
{
    if (cv->svg) {
        static const char *const anchors[] = {"", " text-anchor=\"middle\"", " text-anchor=\"end\""};
        fprintf(cv->svg, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\"%s%s fill=\"%s\">", x, y, size,
                bold ? " font-weight=\"bold\"" : "", anchors[anchor], ink);
        ri_display_xml(cv->svg, s);
        fputs("</text>\n", cv->svg);
        return;
    }
    double r, g, b, w = anchor == LEFT ? 0 : text_width(cv, s, size, bold);
    char *safe = ri_display_safe(s);
    rgb(ink, &r, &g, &b);
    cairo_set_source_rgb(cv->cr, r, g, b);
    set_font(cv->cr, size, bold);
    cairo_move_to(cv->cr, x - (anchor == MIDDLE ? w / 2 : anchor == RIGHT ? w : 0), y);
    cairo_show_text(cv->cr, safe ? safe : "");
    free(safe);
}

/* s shortened with an ellipsis to at most width points. Caller frees. */
static char *fit_text(canvas *cv, const char *s, double size, double width)
{
    size_t len = strlen(s);
    char *out = malloc(len + 4);
    if (!out)
        return NULL;
    strcpy(out, s);
    if (text_width(cv, out, size, 0) <= width)
        return out;
    while (len > 0) {
        /* Drop whole UTF-8 characters. */
        do
            len--;
        while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80);
        memcpy(out, s, len);
        strcpy(out + len, "\xe2\x80\xa6");
        if (text_width(cv, out, size, 0) <= width)
            break;
    }
    return out;
}

/* Round steps (1, 2 or 5 times a power of ten) covering lo..hi in about five ticks. */
static double tick_step(double lo, double hi)
{
    double span = hi - lo, raw, mag;
    if (!(span > 0))
        return 1;
    raw = span / 5;
    mag = pow(10, floor(log10(raw)));
    return raw / mag >= 5 ? 5 * mag : raw / mag >= 2 ? 2 * mag : mag;
}

static void value_range(const ri_chart_panel *p, double *lo, double *hi, int with_zero)
{
    *lo = with_zero ? 0 : INFINITY;
    *hi = with_zero ? 0 : -INFINITY;
    for (size_t k = 0; k <= p->n_items; k++) {
        const ri_chart_item *it = k < p->n_items ? &p->items[k] : p->benchmark;
        for (size_t i = 0; it && i < p->n_x; i++)
            if (isfinite(it->v[i])) {
                *lo = fmin(*lo, it->v[i]);
                *hi = fmax(*hi, it->v[i]);
            }
    }
    if (!isfinite(*lo) || !isfinite(*hi))
        *lo = 0, *hi = 1;
    if (*hi == *lo)
        *hi = *lo + 1;
}

#define ROW 15.0
#define TITLE_H 44.0

/* Room for the panel's title and unit line; a lone panel's title is the chart's. */
static double title_h(const ri_chart_panel *p)
{
    return p->title ? TITLE_H : TITLE_H - 16;
}

static double panel_height(const ri_chart_panel *p)
{
    return p->n_x == 1 ? title_h(p) + 22 + ROW * (double)p->n_items + 18 : title_h(p) + 330;
}

/* The numbers and lines of an axis. Along x for bars, along y for lines. */
static void ticks(canvas *cv, const ri_chart_panel *p, double lo, double hi, double a0, double a1, double c0,
                  double c1, int along_x)
{
    double step = tick_step(lo, hi);
    char num[RI_DISPLAY_NUM_MAX];
    int dec = step >= 1 ? 0 : (int)ceil(-log10(step));
    (void)p;
    for (double v = ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
        double at = a0 + (v - lo) / (hi - lo) * (a1 - a0);
        ri_display_number(fabs(v) < step * 1e-9 ? 0 : v, dec, num);
        if (along_x) {
            line(cv, at, c0, at, c1, GRID, 1, 0);
            text(cv, at, c1 + 13, num, 9.5, 0, MIDDLE, MUTED);
        } else {
            line(cv, c0, at, c1, at, GRID, 1, 0);
            text(cv, c0 - 5, at + 3.5, num, 9.5, 0, RIGHT, MUTED);
        }
    }
}

static void panel_title(canvas *cv, const ri_chart_panel *p, double x, double y)
{
    if (p->title)
        text(cv, x, y + 16, p->title, 13, 1, LEFT, INK);
    text(cv, x, y + title_h(p) - 12, p->unit, 10.5, 0, LEFT, MUTED);
}

/* A value label on a white ground, so that grid and reference lines do not cross its digits. */
static void value_text(canvas *cv, double x, double y, const char *s, int bold, int anchor)
{
    double w = text_width(cv, s, 9, bold);
    rect(cv, anchor == RIGHT ? x - w - 1 : x - 1, y - 8.5, w + 2, 11, "#ffffff");
    text(cv, x, y, s, 9, bold, anchor, INK);
}

static void draw_bars(canvas *cv, const ri_chart_panel *p, double x, double y, double w)
{
    double label_w = 0, lo, hi, top = y + title_h(p) + 22, x0, x1, zero;
    char num[RI_DISPLAY_NUM_MAX];
    const double vlabel = 52;

    panel_title(cv, p, x, y);
    for (size_t k = 0; k < p->n_items; k++)
        label_w = fmax(label_w, text_width(cv, p->items[k].label, 10, 0));
    label_w = fmin(label_w, w * 0.38);
    value_range(p, &lo, &hi, 1);
    x0 = x + label_w + 8 + (lo < 0 ? vlabel : 0);
    x1 = x + w - vlabel;
#define X(v) (x0 + ((v) - lo) / (hi - lo) * (x1 - x0))
    zero = X(0);
    ticks(cv, p, lo, hi, x0, x1, top - 4, top + ROW * (double)p->n_items + 2, 1);
    for (size_t k = 0; k < p->n_items; k++) {
        const ri_chart_item *it = &p->items[k];
        double ry = top + ROW * (double)k, v = it->v[0];
        char *label = fit_text(cv, it->label, 10, label_w);
        text(cv, x + label_w, ry + ROW - 4, label ? label : "", 10, it->highlight, RIGHT, INK);
        free(label);
        if (isnan(v)) {
            /* A gap, said in words: missing is not zero. */
            text(cv, zero + 4, ry + ROW - 4, "n/a", 9.5, 0, LEFT, MUTED);
            continue;
        }
        rect(cv, fmin(zero, X(v)), ry + 2, fabs(X(v) - zero), ROW - 3, it->highlight ? BAR_NAMED : BAR);
    }
    line(cv, zero, top - 4, zero, top + ROW * (double)p->n_items + 2, MUTED, 1, 0);
    if (p->benchmark && isfinite(p->benchmark->v[0])) {
        double bx = X(p->benchmark->v[0]);
        char caption[512];
        ri_display_number(p->benchmark->v[0], p->decimals, num);
        snprintf(caption, sizeof caption, "%s %s", p->benchmark->label, num);
        line(cv, bx, top - 8, bx, top + ROW * (double)p->n_items + 2, INK, 1.5, 1);
        text(cv, bx, top - 11, caption, 9.5, 1, bx > x + w * 0.6 ? RIGHT : bx < x + w * 0.3 ? LEFT : MIDDLE, INK);
    }
    for (size_t k = 0; k < p->n_items; k++) {
        double ry = top + ROW * (double)k, v = p->items[k].v[0];
        if (isnan(v))
            continue;
        ri_display_number(v, p->decimals, num);
        value_text(cv, v >= 0 ? X(v) + 3 : X(v) - 3, ry + ROW - 4, num, p->items[k].highlight, v >= 0 ? LEFT : RIGHT);
    }
#undef X
}

static void draw_lines(canvas *cv, const ri_chart_panel *p, double x, double y, double w)
{
    double lo, hi, top = y + title_h(p) + 10, bottom = y + panel_height(p) - 30, x0 = x + 52, x1 = x + w - 150;
    double *xs = malloc(p->n_x * sizeof *xs), *ys = malloc(p->n_x * sizeof *ys);
    size_t named = 0, every;
    static const double solid[2] = {0, 0}, dashed[2] = {7, 4};

    if (!xs || !ys) {
        free(xs);
        free(ys);
        return;
    }
    panel_title(cv, p, x, y);
    value_range(p, &lo, &hi, 0);
    {
        double step = tick_step(lo, hi);
        lo = floor(lo / step) * step;
        hi = ceil(hi / step) * step;
    }
#define Y(v) (bottom - ((v) - lo) / (hi - lo) * (bottom - top))
    ticks(cv, p, lo, hi, bottom, top, x0, x1, 0);
    every = (size_t)ceil((double)p->n_x / ((x1 - x0) / 40));
    for (size_t i = 0; i < p->n_x; i++) {
        xs[i] = p->n_x > 1 ? x0 + (x1 - x0) * (double)i / (double)(p->n_x - 1) : x0;
        if (i % (every ? every : 1) == 0 || i == p->n_x - 1)
            text(cv, xs[i], bottom + 15, p->x[i], 9.5, 0, MIDDLE, MUTED);
    }
    line(cv, x0, bottom, x1, bottom, MUTED, 1, 0);
    /* Areas not named first, thin and grey, so that named ones are drawn over them. */
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = 0; k < p->n_items; k++) {
            const ri_chart_item *it = &p->items[k];
            if (!!it->highlight != pass)
                continue;
            for (size_t i = 0; i < p->n_x; i++)
                ys[i] = isfinite(it->v[i]) ? Y(it->v[i]) : NAN;
            if (!pass) {
                series(cv, xs, ys, p->n_x, CONTEXT, 1, solid);
                continue;
            }
            size_t c = named++ % (sizeof named_ink / sizeof *named_ink);
            series(cv, xs, ys, p->n_x, named_ink[c], 2.2, named_dash[c]);
            for (size_t i = p->n_x; i-- > 0;)
                if (!isnan(ys[i])) {
                    char *label = fit_text(cv, it->label, 9.5, x + w - xs[i] - 8);
                    text(cv, xs[i] + 6, ys[i] + 3.5, label ? label : "", 9.5, 1, LEFT, named_ink[c]);
                    free(label);
                    break;
                }
        }
    if (p->benchmark) {
        for (size_t i = 0; i < p->n_x; i++)
            ys[i] = isfinite(p->benchmark->v[i]) ? Y(p->benchmark->v[i]) : NAN;
        series(cv, xs, ys, p->n_x, INK, 2, dashed);
        for (size_t i = p->n_x; i-- > 0;)
            if (!isnan(ys[i])) {
                char *label = fit_text(cv, p->benchmark->label, 9.5, x + w - xs[i] - 8);
                text(cv, xs[i] + 6, ys[i] + 3.5, label ? label : "", 9.5, 0, LEFT, INK);
                free(label);
                break;
            }
    }
#undef Y
    free(xs);
    free(ys);
}

typedef struct layout {
    double width, height, panel_w;
    size_t per_row;
} layout;

#define MARGIN 20.0
#define HEAD_H 34.0
#define FOOT_H 30.0

static layout plan(const ri_chart *c)
{
    layout l;
    l.per_row = c->n_panels > 1 ? 2 : 1;
    l.panel_w = c->n_panels > 1 ? 560 : 780;
    l.width = 2 * MARGIN + (double)l.per_row * l.panel_w + (double)(l.per_row - 1) * MARGIN;
    l.height = MARGIN + HEAD_H + FOOT_H + MARGIN;
    for (size_t k = 0; k < c->n_panels; k += l.per_row) {
        double h = 0;
        for (size_t j = k; j < k + l.per_row && j < c->n_panels; j++)
            h = fmax(h, panel_height(&c->panels[j]));
        l.height += h + MARGIN;
    }
    return l;
}

static void draw(canvas *cv, const ri_chart *c, const layout *l)
{
    double y = MARGIN + HEAD_H;
    rect(cv, 0, 0, l->width, l->height, "#ffffff");
    text(cv, MARGIN, MARGIN + 16, c->title, 16, 1, LEFT, INK);
    for (size_t k = 0; k < c->n_panels; k += l->per_row) {
        double h = 0;
        for (size_t j = k; j < k + l->per_row && j < c->n_panels; j++) {
            const ri_chart_panel *p = &c->panels[j];
            double x = MARGIN + (double)(j - k) * (l->panel_w + MARGIN);
            if (p->n_x == 1)
                draw_bars(cv, p, x, y, l->panel_w);
            else
                draw_lines(cv, p, x, y, l->panel_w);
            h = fmax(h, panel_height(p));
        }
        y += h + MARGIN;
    }
    text(cv, MARGIN, l->height - MARGIN - 4, c->source, 9.5, 0, LEFT, MUTED);
}

static cairo_status_t to_file(void *closure, const unsigned char *data, unsigned int length)
{
    return fwrite(data, 1, length, closure) == length ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

ri_rc ri_chart_write(FILE *f, const ri_chart *c, ri_chart_format fmt, ri_error *err)
{
    layout l = plan(c);
    cairo_surface_t *scratch = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1), *s = NULL;
    canvas cv = {NULL, cairo_create(scratch), NULL};
    cairo_status_t st;

    if (fmt == RI_CHART_SVG) {
        cv.svg = f;
        fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
                   "font-family=\"'DejaVu Sans', Verdana, sans-serif\" role=\"img\">\n<title>",
                l.width, l.height, l.width, l.height);
        ri_display_xml(f, c->title);
        fputs("</title>\n", f);
        draw(&cv, c, &l);
        fputs("</svg>\n", f);
        st = cairo_status(cv.measure);
    } else {
        s = fmt == RI_CHART_PDF ? cairo_pdf_surface_create_for_stream(to_file, f, l.width, l.height)
                                : cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(l.width), (int)ceil(l.height));
        cv.cr = cairo_create(s);
        draw(&cv, c, &l);
        st = cairo_status(cv.cr);
        cairo_destroy(cv.cr);
        if (!st && fmt == RI_CHART_PNG)
            st = cairo_surface_write_to_png_stream(s, to_file, f);
        cairo_surface_finish(s);
        if (!st)
            st = cairo_surface_status(s);
        cairo_surface_destroy(s);
    }
    cairo_destroy(cv.measure);
    cairo_surface_destroy(scratch);
    /* cairo 1.16 keeps each toy font face's fontconfig pattern in caches it never frees
       (leak checkers report them lost); nothing of cairo is alive here, so let both go. */
    cairo_debug_reset_static_data();
    FcFini();
    if (st)
        return ri_fail(err, RI_RC_DATA, "drawing the chart failed: %s", cairo_status_to_string(st));
    if (ferror(f))
        return ri_fail(err, RI_RC_DATA, "writing the chart failed");
    return RI_RC_OK;
}
