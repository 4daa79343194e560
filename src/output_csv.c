/* output_csv.c — the CSV writer, tidy and wide (see output_csv.h). */
#include "output_csv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pieces.h"

/* A field already quoted and neutralised, ready to copy. */
typedef struct text {
    char *s;
    size_t n;
} text;

/*
 * Every label is escaped once and rows are assembled by copying, because a
 * large run writes millions of rows and the per-character stdio calls were
 * most of its time.
 */
typedef struct csv_writer {
    ri_sink *sink;
    const ri_results *r;
    const ri_selection *sel;
    const ri_panel *panel;
    text *areas;        /* [n_areas]: "code,name," */
    text *periods;      /* [n_periods]: "period," */
    text *industries;   /* [n_industries]: "industry," */
    const ri_result_col *col;
    text head, tail;    /* for col: "indicator,output," and ",unit\n" */
} csv_writer;

/* Append the CSV form of s: quoted when needed, with a leading apostrophe for formula starts. */
static char *escape_into(char *out, const char *s)
{
    int formula = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
    int quote = strpbrk(s, ",\"\r\n") != NULL;

    if (quote)
        *out++ = '"';
    if (formula)
        *out++ = '\'';
    for (; *s; s++) {
        if (*s == '"')
            *out++ = '"';
        *out++ = *s;
    }
    if (quote)
        *out++ = '"';
    return out;
}

/* pieces[0..n) escaped and joined, each followed by sep (0 = nothing), then end (0 = nothing). */
static int make_text(text *t, const char *const *pieces, size_t n, char sep, const char *lead, char end)
{
    size_t cap = 4 + (lead ? strlen(lead) : 0);
    char *p;
    for (size_t i = 0; i < n; i++)
        cap += 2 * strlen(pieces[i]) + 4;
    if (!(t->s = malloc(cap)))
        return -1;
    p = t->s;
    if (lead)
        for (const char *c = lead; *c; c++)
            *p++ = *c;
    for (size_t i = 0; i < n; i++) {
        p = escape_into(p, pieces[i]);
        if (sep)
            *p++ = sep;
    }
    if (end)
        *p++ = end;
    t->n = (size_t)(p - t->s);
    return 0;
}

static void free_texts(text *t, size_t n)
{
    for (size_t i = 0; t && i < n; i++)
        free(t[i].s);
    free(t);
}

static char *put(char *p, const text *t)
{
    memcpy(p, t->s, t->n);
    return p + t->n;
}

/* A row too long to reserve at once: labels of tens of kilobytes. */
static ri_rc slow_row(csv_writer *w, size_t area, size_t period, size_t industry, double v)
{
    char num[RI_NUMBER_TEXT_MAX];

    ri_sink_write(w->sink, w->areas[area].s, w->areas[area].n);
    ri_sink_write(w->sink, w->periods[period].s, w->periods[period].n);
    if (industry != RI_NO_INDUSTRY)
        ri_sink_write(w->sink, w->industries[industry].s, w->industries[industry].n);
    else
        ri_sink_write(w->sink, ",", 1);
    ri_sink_write(w->sink, w->head.s, w->head.n);
    if (!isnan(v))
        ri_sink_write(w->sink, num, (size_t)(ri_format_number_end(v, num) - num));
    ri_sink_write(w->sink, w->tail.s, w->tail.n);
    return RI_RC_OK;
}

static ri_rc put_row(void *ctx, const ri_result_col *col, size_t area, size_t period,
                     size_t industry, double v, ri_error *err)
{
    csv_writer *w = ctx;

    if (col != w->col) {
        const char *head[2] = {col->indicator, col->output};
        free(w->head.s);
        free(w->tail.s);
        w->head.s = w->tail.s = NULL;
        w->col = col;
        if (make_text(&w->head, head, 2, ',', NULL, 0) != 0 ||
            make_text(&w->tail, (const char *const *)&col->unit, 1, 0, ",", '\n') != 0)
            return ri_oom(err);
    }
    size_t room = w->areas[area].n + w->periods[period].n + 1 + w->head.n + RI_NUMBER_TEXT_MAX + w->tail.n;
    if (industry != RI_NO_INDUSTRY)
        room += w->industries[industry].n;
    if (room > RI_SINK_RESERVE_MAX)
        return slow_row(w, area, period, industry, v);
    char *p = ri_sink_reserve(w->sink, room);
    p = put(p, &w->areas[area]);
    p = put(p, &w->periods[period]);
    if (industry != RI_NO_INDUSTRY)
        p = put(p, &w->industries[industry]);
    else
        *p++ = ',';
    p = put(p, &w->head);
    if (!isnan(v))
        p = ri_format_number_end(v, p);
    p = put(p, &w->tail);
    ri_sink_commit(w->sink, p);
    return RI_RC_OK;
}

/* The escaped labels of the panel, made once per file. */
static int make_labels(csv_writer *w)
{
    const ri_panel *p = w->panel;
    size_t ni = p->industries ? p->n_industries : 0;
    w->areas = calloc(p->n_areas ? p->n_areas : 1, sizeof *w->areas);
    w->periods = calloc(p->n_periods ? p->n_periods : 1, sizeof *w->periods);
    w->industries = calloc(ni ? ni : 1, sizeof *w->industries);
    if (!w->areas || !w->periods || !w->industries)
        return -1;
    for (size_t a = 0; a < p->n_areas; a++) {
        const char *pair[2] = {p->area_codes[a], p->area_names[a]};
        if (make_text(&w->areas[a], pair, 2, ',', NULL, 0) != 0)
            return -1;
    }
    for (size_t t = 0; t < p->n_periods; t++)
        if (make_text(&w->periods[t], (const char *const *)&p->periods[t], 1, ',', NULL, 0) != 0)
            return -1;
    for (size_t i = 0; i < ni; i++)
        if (make_text(&w->industries[i], (const char *const *)&p->industries[i], 1, ',', NULL, 0) != 0)
            return -1;
    return 0;
}

/*
 * Outputs of more cells than this are formatted on two threads, in pieces
 * of about a megabyte of text. The test suite sets REGIND_TEST_SMALL_PIECES
 * to send every output through pieces of a few cells.
 */
#define RI_CSV_PIECES_MIN_CELLS 200000
#define RI_CSV_PIECE_CELLS 16384

static int small_pieces(void)
{
    const char *test = getenv("REGIND_TEST_SMALL_PIECES");
    return test && strcmp(test, "1") == 0;
}

static size_t pieces_min_cells(void)
{
    return small_pieces() ? 0 : RI_CSV_PIECES_MIN_CELLS;
}

/* Write blocks [0, n_blocks) through write, on this thread with mine and on a helper with second. */
static ri_rc write_pieces(size_t n_blocks, ri_block_cost_fn cost, const void *cost_ctx, ri_piece_fn write,
                          void *mine, void *second, ri_sink *sink, ri_error *err)
{
    ri_pieces p;

    p.n_blocks = n_blocks;
    p.target = small_pieces() ? 2 : RI_CSV_PIECE_CELLS;
    p.cost = cost;
    p.cost_ctx = cost_ctx;
    p.write = write;
    p.state[0] = mine;
    p.state[1] = second;
    return ri_pieces_write(&p, sink, err);
}

/* One piece of the rows; each thread has its own writer (shared labels, its own column texts). */
static ri_rc write_piece(void *state, ri_sink *out, size_t from, size_t to, ri_error *err)
{
    csv_writer *w = state;
    w->sink = out;
    return ri_results_each_block(w->r, w->sel, from, to, put_row, w, err);
}

static size_t block_cells(const void *r, size_t block)
{
    return ri_results_block_cells(r, block);
}

static ri_rc write_rows(csv_writer *w, ri_sink *sink, ri_error *err)
{
    size_t cells = 0, blocks = ri_results_blocks(w->r), min_cells = pieces_min_cells();
    csv_writer second = *w;
    ri_rc rc;

    for (size_t b = 0; b < blocks && cells <= min_cells; b++)
        cells += ri_results_block_cells(w->r, b);
    if (cells <= min_cells) {
        w->sink = sink;
        return ri_results_each(w->r, w->sel, put_row, w, err);
    }
    second.col = NULL;
    second.head.s = second.tail.s = NULL;
    rc = write_pieces(blocks, block_cells, w->r, write_piece, w, &second, sink, err);
    free(second.head.s);
    free(second.tail.s);
    return rc;
}

/* ---- wide: one column per output */

/* One thread's view of a wide block: its writer and the block's columns. */
typedef struct wide_rows {
    csv_writer *w;
    const ri_result_col **cols;
    size_t n;
    int ind; /* the block by industry */
} wide_rows;

/* A row too long to reserve at once (labels of tens of kilobytes, or over 1,300 columns). */
static void slow_wide_row(const wide_rows *wr, size_t area, size_t period, const text *ind, const double *v,
                          const unsigned char *has)
{
    csv_writer *w = wr->w;
    char num[RI_NUMBER_TEXT_MAX];

    ri_sink_write(w->sink, w->areas[area].s, w->areas[area].n);
    ri_sink_write(w->sink, w->periods[period].s, w->periods[period].n - 1);
    if (ind) {
        ri_sink_write(w->sink, ",", 1);
        ri_sink_write(w->sink, ind->s, ind->n - 1);
    }
    for (size_t c = 0; c < wr->n; c++) {
        ri_sink_write(w->sink, ",", 1);
        if (has[c] && !isnan(v[c]))
            ri_sink_write(w->sink, num, (size_t)(ri_format_number_end(v[c], num) - num));
    }
    ri_sink_write(w->sink, "\n", 1);
}

static ri_rc put_wide_row(void *ctx, size_t area, size_t period, size_t industry, const double *v,
                          const unsigned char *has, ri_error *err)
{
    const wide_rows *wr = ctx;
    csv_writer *w = wr->w;
    const text *ind = industry != RI_NO_INDUSTRY ? &w->industries[industry] : NULL;
    size_t room = w->areas[area].n + w->periods[period].n + (ind ? ind->n : 0) + 1;
    char *p;

    (void)err;
    if (room > RI_SINK_RESERVE_MAX || wr->n > (RI_SINK_RESERVE_MAX - room) / (RI_NUMBER_TEXT_MAX + 1)) {
        slow_wide_row(wr, area, period, ind, v, has);
        return RI_RC_OK;
    }
    /* Labels carry their separator; the period's and the industry's move to the front. */
    p = ri_sink_reserve(w->sink, room + wr->n * (RI_NUMBER_TEXT_MAX + 1));
    p = put(p, &w->areas[area]);
    memcpy(p, w->periods[period].s, w->periods[period].n - 1);
    p += w->periods[period].n - 1;
    if (ind) {
        *p++ = ',';
        memcpy(p, ind->s, ind->n - 1);
        p += ind->n - 1;
    }
    for (size_t c = 0; c < wr->n; c++) {
        *p++ = ',';
        if (has[c] && !isnan(v[c]))
            p = ri_format_number_end(v[c], p);
    }
    *p++ = '\n';
    ri_sink_commit(w->sink, p);
    return RI_RC_OK;
}

/* The cells of one area's rows, the unit pieces are measured in. */
static size_t wide_area_cells(const void *ctx, size_t block)
{
    const wide_rows *wr = ctx;
    const ri_panel *p = wr->w->panel;

    (void)block;
    return p->n_periods * (wr->ind ? p->n_industries : 1) * wr->n;
}

static ri_rc write_wide_piece(void *state, ri_sink *out, size_t from, size_t to, ri_error *err)
{
    wide_rows *wr = state;
    wr->w->sink = out;
    return ri_results_each_row(wr->w->r, wr->w->sel, wr->cols, wr->n, wr->ind, from, to, put_wide_row, wr,
                               err);
}

/* The rows of a wide block, shared out to two threads when there are many. */
static ri_rc write_wide_rows(wide_rows *wr, ri_sink *sink, ri_error *err)
{
    size_t areas = wr->w->panel->n_areas;
    csv_writer second = *wr->w;
    wide_rows other = *wr;
    ri_rc rc;

    if (areas * wide_area_cells(wr, 0) <= pieces_min_cells())
        return write_wide_piece(wr, sink, 0, areas, err);
    other.w = &second;
    rc = write_pieces(areas, wide_area_cells, wr, write_wide_piece, wr, &other, sink, err);
    /* The pieces pointed the writer at their memory sinks, now gone; the next block writes here. */
    wr->w->sink = sink;
    return rc;
}

/*
 * One block of the wide shape: the selected columns by industry (ind = 1)
 * or not, after an empty line when another block came before (after = 1).
 */
static ri_rc wide_block(csv_writer *w, int ind, int after, ri_error *err)
{
    const ri_results *r = w->r;
    const ri_result_col **cols = calloc(r->n_cols ? r->n_cols : 1, sizeof *cols);
    wide_rows wr = {w, cols, 0, ind};
    ri_rc rc = RI_RC_OK;

    if (!cols)
        return ri_oom(err);
    for (size_t c = 0; c < r->n_cols; c++)
        if (!!r->cols[c].by_industry == ind && ri_selection_has(w->sel, r->cols[c].indicator))
            cols[wr.n++] = &r->cols[c];
    if (wr.n == 0)
        goto done;
    if (after)
        ri_sink_write(w->sink, "\n", 1);
    ri_sink_puts(w->sink, "area_code,area_name,period");
    if (ind) {
        ri_sink_puts(w->sink, ",");
        ri_sink_puts(w->sink, r->breakdown);
    }
    for (size_t c = 0; c < wr.n; c++) {
        text name;
        size_t len = strlen(cols[c]->indicator) + strlen(cols[c]->output) + strlen(cols[c]->unit) + 5;
        char *label = malloc(len);
        if (!label || (snprintf(label, len, "%s.%s (%s)", cols[c]->indicator, cols[c]->output, cols[c]->unit),
                       make_text(&name, (const char *const *)&label, 1, 0, ",", 0) != 0)) {
            free(label);
            rc = ri_oom(err);
            goto done;
        }
        ri_sink_write(w->sink, name.s, name.n);
        free(name.s);
        free(label);
    }
    ri_sink_write(w->sink, "\n", 1);
    rc = write_wide_rows(&wr, w->sink, err);
done:
    free(cols);
    return rc;
}

/* A writer over r's labels, or NULL when out of memory. */
static csv_writer *writer_new(const ri_results *r, const ri_selection *sel)
{
    csv_writer *w = calloc(1, sizeof *w);
    if (w) {
        w->r = r;
        w->sel = sel;
        w->panel = r->panel;
    }
    return w;
}

static void writer_free(csv_writer *w)
{
    const ri_results *r = w->r;
    free_texts(w->areas, r->panel->n_areas);
    free_texts(w->periods, r->panel->n_periods);
    free_texts(w->industries, r->panel->industries ? r->panel->n_industries : 0);
    free(w->head.s);
    free(w->tail.s);
    free(w);
}

ri_rc ri_write_csv_wide(ri_sink *sink, const ri_results *r, const ri_selection *sel, ri_error *err)
{
    csv_writer *w;
    ri_rc rc = ri_results_check(r, sel, err);
    int flat = 0;

    if (rc != RI_RC_OK)
        return rc;
    if (!(w = writer_new(r, sel)))
        return ri_oom(err);
    w->sink = sink;
    if (make_labels(w) != 0)
        rc = ri_oom(err);
    for (size_t c = 0; !rc && c < r->n_cols; c++)
        flat |= !r->cols[c].by_industry && ri_selection_has(sel, r->cols[c].indicator);
    if (!rc)
        rc = wide_block(w, 0, 0, err);
    if (!rc)
        rc = wide_block(w, 1, flat, err);
    writer_free(w);
    return rc;
}

ri_rc ri_write_csv(ri_sink *sink, const ri_results *r, const ri_selection *sel, ri_error *err)
{
    csv_writer *w;
    ri_rc rc = ri_results_check(r, sel, err);

    if (rc != RI_RC_OK)
        return rc;
    if (!(w = writer_new(r, sel)))
        return ri_oom(err);
    if (make_labels(w) != 0) {
        rc = ri_oom(err);
    } else {
        ri_sink_puts(sink, "area_code,area_name,period,");
        ri_sink_puts(sink, r->breakdown);
        ri_sink_puts(sink, ",indicator,output,value,unit\n");
        rc = write_rows(w, sink, err);
    }
    writer_free(w);
    return rc;
}
