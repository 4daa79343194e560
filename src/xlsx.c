/* xlsx.c — a dataset's table from one sheet of a workbook (see xlsx.h). */
#include "xlsx.h"

#include <expat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <zip.h>

/* The largest sheet Excel writes: column XFD, row 1048576. */
#define MAX_COL 16384L
#define MAX_ROW 1048576L

/*
 * Worksheet XML compresses about tenfold, rows of empty styled cells up to a
 * hundredfold; a part inflating beyond this ratio (after its first MiB) is a
 * zip bomb. Each part is also bounded outright.
 */
#define MAX_RATIO 250u
#define RATIO_FLOOR ((zip_uint64_t)1 << 20)
#define MAX_PART ((zip_uint64_t)1 << 31)

/* Shared strings are held in memory for the whole read; bound them. */
#define MAX_SHARED_BYTES ((size_t)256 << 20)
#define MAX_SHARED_COUNT ((size_t)1 << 24)

/* Excel holds at most 32767 characters in a cell; room for them as UTF-8, and for a whole row. */
#define MAX_CELL_BYTES ((size_t)128 << 10)
#define MAX_ROW_BYTES ((size_t)16 << 20)

/* The workbook's sheet list and relationships are small. */
#define MAX_META_BYTES ((zip_uint64_t)16 << 20)

#define CHUNK 65536

/* ------------------------------------------------------------ growable text */

typedef struct text {
    char *s;
    size_t len, cap;
} text;

static int text_put(text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *grown = realloc(t->s, cap);
        if (!grown)
            return -1;
        t->s = grown;
        t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
    return 0;
}

/* ------------------------------------------------------------ the container */

typedef struct part {
    zip_file_t *zf;
    const char *name;
    zip_uint64_t compressed, inflated, limit;
} part;

typedef struct book {
    const char *path;
    zip_t *zip;
    char **sheet_names, **sheet_targets; /* [n_sheets], targets NULL until resolved */
    char **sheet_rids;
    size_t n_sheets;
    char *shared_target;                 /* NULL: no shared strings */
    text pool;                           /* shared strings, each NUL-terminated */
    size_t *shared_off;                  /* [n_shared] */
    size_t n_shared, cap_shared;
} book;

static ri_rc part_open(book *b, const char *name, zip_uint64_t limit, part *p, ri_error *err)
{
    zip_stat_t st;

    memset(p, 0, sizeof *p);
    p->name = name;
    p->limit = limit;
    zip_stat_init(&st);
    if (zip_stat(b->zip, name, 0, &st) != 0)
        return ri_fail(err, RI_RC_DATA, "%s: the workbook has no part \"%s\"; expected an .xlsx file as Excel writes it",
                       b->path, name);
    p->compressed = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    if (!(p->zf = zip_fopen(b->zip, name, 0)))
        return ri_fail(err, RI_RC_DATA, "%s: cannot read part \"%s\" of the workbook: %s", b->path, name,
                       zip_strerror(b->zip));
    return RI_RC_OK;
}

/* Up to CHUNK inflated bytes into buf; *got 0 at the end of the part. */
static ri_rc part_read(book *b, part *p, char *buf, size_t *got, ri_error *err)
{
    zip_int64_t n = zip_fread(p->zf, buf, CHUNK);

    *got = 0;
    if (n < 0)
        return ri_fail(err, RI_RC_DATA, "%s: part \"%s\" of the workbook is damaged: %s", b->path, p->name,
                       zip_file_strerror(p->zf));
    p->inflated += (zip_uint64_t)n;
    if (p->inflated > p->limit)
        return ri_fail(err, RI_RC_DATA, "%s: part \"%s\" inflates beyond %llu bytes; refusing it as a likely zip bomb",
                       b->path, p->name, (unsigned long long)p->limit);
    if (p->inflated > RATIO_FLOOR && p->inflated / MAX_RATIO > p->compressed)
        return ri_fail(err, RI_RC_DATA,
                       "%s: part \"%s\" inflates more than %u times its compressed size (%llu bytes); refusing it as a likely zip bomb",
                       b->path, p->name, MAX_RATIO, (unsigned long long)p->compressed);
    *got = (size_t)n;
    return RI_RC_OK;
}

static void part_close(part *p)
{
    if (p->zf)
        zip_fclose(p->zf);
    p->zf = NULL;
}

/* ------------------------------------------------------------ XML helpers */

/* An element's or attribute's name without its namespace (expat joins them with '|'). */
static const char *local(const XML_Char *name)
{
    const char *bar = strrchr(name, '|');
    return bar ? bar + 1 : name;
}

static const char *attr(const XML_Char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(local(atts[i]), name) == 0)
            return atts[i + 1];
    return NULL;
}

/* The state every parse shares: the first error stops the parser. */
typedef struct parse {
    XML_Parser xp;
    ri_error *err;
    int failed;
} parse;

static void stop(parse *ps)
{
    ps->failed = 1;
    XML_StopParser(ps->xp, XML_FALSE);
}

static void XMLCALL refuse_doctype(void *data, const XML_Char *name, const XML_Char *sysid,
                                   const XML_Char *pubid, int has_internal)
{
    parse *ps = data;
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)has_internal;
    ri_fail(ps->err, RI_RC_DATA, "a document type declaration; expected workbook XML without one");
    stop(ps);
}

static ri_rc parser_new(parse *ps, void *state, ri_error *err)
{
    if (!(ps->xp = XML_ParserCreateNS(NULL, '|')))
        return ri_oom(err);
    ps->err = err;
    ps->failed = 0;
    XML_SetUserData(ps->xp, state);
    XML_SetDoctypeDeclHandler(ps->xp, refuse_doctype, NULL);
    return RI_RC_OK;
}

/* A parse error (expat's or one a handler set) located in its part. */
static ri_rc parse_failed(const book *b, const char *where, const char *part_name, parse *ps)
{
    char msg[RI_ERROR_MAX];
    if (ps->failed) {
        snprintf(msg, sizeof msg, "%s", ps->err->msg);
        return ri_fail(ps->err, RI_RC_DATA, "%s: part \"%s\", line %lu: %s", where ? where : b->path, part_name,
                       (unsigned long)XML_GetCurrentLineNumber(ps->xp), msg);
    }
    return ri_fail(ps->err, RI_RC_DATA, "%s: part \"%s\", line %lu: %s; expected well-formed XML",
                   where ? where : b->path, part_name, (unsigned long)XML_GetCurrentLineNumber(ps->xp),
                   XML_ErrorString(XML_GetErrorCode(ps->xp)));
}

/* A whole (small) part through a parser whose handlers are already set. */
static ri_rc parse_part(book *b, const char *name, zip_uint64_t limit, parse *ps, ri_error *err)
{
    part p;
    ri_rc rc = part_open(b, name, limit, &p, err);
    char *buf = malloc(CHUNK);
    size_t got;

    if (!rc && !buf)
        rc = ri_oom(err);
    while (!rc) {
        if ((rc = part_read(b, &p, buf, &got, err)))
            break;
        if (XML_Parse(ps->xp, buf, (int)got, got == 0) != XML_STATUS_OK) {
            rc = parse_failed(b, NULL, name, ps);
            break;
        }
        if (got == 0)
            break;
    }
    free(buf);
    part_close(&p);
    return rc;
}

/* ------------------------------------------------------------ workbook, relationships */

typedef struct meta {
    parse ps;
    book *b;
    int rels; /* 0: workbook.xml (sheets), 1: its relationships */
} meta;

/* Append a sheet to the list; its part is found in the relationships after. */
static int add_sheet_entry(book *b, const char *name, const char *rid)
{
    size_t n = b->n_sheets + 1;
    char **names = realloc(b->sheet_names, n * sizeof *names), **rids = NULL, **targets = NULL;

    if (names && (b->sheet_names = names) && (rids = realloc(b->sheet_rids, n * sizeof *rids)))
        b->sheet_rids = rids;
    if (rids && (targets = realloc(b->sheet_targets, n * sizeof *targets)))
        b->sheet_targets = targets;
    if (!targets)
        return -1;
    names[n - 1] = strdup(name);
    rids[n - 1] = strdup(rid);
    targets[n - 1] = NULL;
    /* Counted even when a copy failed, so that the book frees the other. */
    b->n_sheets = n;
    return names[n - 1] && rids[n - 1] ? 0 : -1;
}

/* "worksheets/sheet2.xml" beside xl/workbook.xml, or an absolute "/xl/..." part name. */
static char *resolve_target(const char *target)
{
    size_t n = strlen(target);
    char *out = malloc(n + 4);
    if (!out)
        return NULL;
    if (target[0] == '/')
        memcpy(out, target + 1, n);
    else {
        memcpy(out, "xl/", 3);
        memcpy(out + 3, target, n + 1);
    }
    return out;
}

static void XMLCALL meta_start(void *data, const XML_Char *name, const XML_Char **atts)
{
    meta *m = data;
    book *b = m->b;
    const char *el = local(name);

    if (!m->rels && strcmp(el, "sheet") == 0) {
        const char *sheet = attr(atts, "name"), *rid = attr(atts, "id");
        if (!sheet || !rid) {
            ri_fail(m->ps.err, RI_RC_DATA, "a sheet without a name or a relationship id; expected both");
            stop(&m->ps);
            return;
        }
        if (b->n_sheets >= MAX_COL) {
            ri_fail(m->ps.err, RI_RC_DATA, "more than %ld sheets; expected a workbook Excel can open", MAX_COL);
            stop(&m->ps);
            return;
        }
        if (add_sheet_entry(b, sheet, rid)) {
            ri_oom(m->ps.err);
            stop(&m->ps);
        }
        return;
    }
    if (m->rels && strcmp(el, "Relationship") == 0) {
        const char *id = attr(atts, "Id"), *target = attr(atts, "Target"), *type = attr(atts, "Type");
        size_t tl = type ? strlen(type) : 0;
        char **slot = NULL;
        if (!id || !target)
            return;
        if (tl >= 14 && strcmp(type + tl - 14, "/sharedStrings") == 0)
            slot = &b->shared_target;
        for (size_t i = 0; !slot && i < b->n_sheets; i++)
            if (strcmp(b->sheet_rids[i], id) == 0)
                slot = &b->sheet_targets[i];
        if (!slot || *slot)
            return;
        if (!(*slot = resolve_target(target))) {
            ri_oom(m->ps.err);
            stop(&m->ps);
        }
    }
}

static ri_rc read_meta(book *b, int rels, ri_error *err)
{
    meta m = {.b = b, .rels = rels};
    ri_rc rc = parser_new(&m.ps, &m, err);
    if (rc)
        return rc;
    XML_SetStartElementHandler(m.ps.xp, meta_start);
    rc = parse_part(b, rels ? "xl/_rels/workbook.xml.rels" : "xl/workbook.xml", MAX_META_BYTES, &m.ps, err);
    XML_ParserFree(m.ps.xp);
    return rc;
}

/* ------------------------------------------------------------ shared strings */

typedef struct shared {
    parse ps;
    book *b;
    int in_si, in_t, in_rph;
    size_t start; /* where the current string starts in the pool */
} shared;

static void XMLCALL shared_start(void *data, const XML_Char *name, const XML_Char **atts)
{
    shared *s = data;
    const char *el = local(name);
    (void)atts;
    if (strcmp(el, "si") == 0) {
        s->in_si = 1;
        s->start = s->b->pool.len;
    } else if (strcmp(el, "rPh") == 0)
        s->in_rph = 1;
    else if (strcmp(el, "t") == 0)
        s->in_t = 1;
}

static void XMLCALL shared_end(void *data, const XML_Char *name)
{
    shared *s = data;
    book *b = s->b;
    const char *el = local(name);

    if (strcmp(el, "rPh") == 0)
        s->in_rph = 0;
    else if (strcmp(el, "t") == 0)
        s->in_t = 0;
    else if (strcmp(el, "si") == 0 && s->in_si) {
        s->in_si = 0;
        if (b->n_shared >= MAX_SHARED_COUNT) {
            ri_fail(s->ps.err, RI_RC_DATA, "more than %zu shared strings; refusing a table this large",
                    MAX_SHARED_COUNT);
            stop(&s->ps);
            return;
        }
        if (b->n_shared == b->cap_shared) {
            size_t cap = b->cap_shared ? 2 * b->cap_shared : 256;
            size_t *grown = realloc(b->shared_off, cap * sizeof *grown);
            if (!grown) {
                ri_oom(s->ps.err);
                stop(&s->ps);
                return;
            }
            b->shared_off = grown;
            b->cap_shared = cap;
        }
        if (text_put(&b->pool, "", 1)) {
            ri_oom(s->ps.err);
            stop(&s->ps);
            return;
        }
        b->shared_off[b->n_shared++] = s->start;
    }
}

static void XMLCALL shared_text(void *data, const XML_Char *t, int len)
{
    shared *s = data;
    if (!s->in_si || !s->in_t || s->in_rph)
        return;
    if (s->b->pool.len + (size_t)len > MAX_SHARED_BYTES) {
        ri_fail(s->ps.err, RI_RC_DATA, "shared strings beyond %zu MiB; refusing a table this large",
                MAX_SHARED_BYTES >> 20);
        stop(&s->ps);
        return;
    }
    if (text_put(&s->b->pool, t, (size_t)len)) {
        ri_oom(s->ps.err);
        stop(&s->ps);
    }
}

static ri_rc read_shared(book *b, ri_error *err)
{
    shared s = {.b = b};
    ri_rc rc;

    if (!b->shared_target)
        return RI_RC_OK;
    if ((rc = parser_new(&s.ps, &s, err)))
        return rc;
    XML_SetElementHandler(s.ps.xp, shared_start, shared_end);
    XML_SetCharacterDataHandler(s.ps.xp, shared_text);
    rc = parse_part(b, b->shared_target, MAX_PART, &s.ps, err);
    XML_ParserFree(s.ps.xp);
    return rc;
}

/* ------------------------------------------------------------ the sheet, row by row */

typedef struct cell {
    long col;             /* 0-based */
    size_t off, len;      /* in the row's text */
    int quoted;           /* text rather than a number */
} cell;

enum { T_NUMBER, T_SHARED, T_INLINE, T_BOOL, T_ERROR, T_STRING };

typedef struct sheet {
    parse ps;
    book *b;
    const char *name;     /* "PATH[SHEET]" */
    const char *target;
    part p;
    char *buf;
    int open, suspended, fed_last, done, row_ready;
    long row, col;        /* current row (1-based) and last column (0-based) seen */
    int in_data, in_cell, in_v, in_is, in_t, in_rph, type;
    size_t value_start;   /* the current cell's text in row_text */
    text row_text;
    cell *cells;
    size_t n_cells, cap_cells;
} sheet;

static void col_name(long col, char *out)
{
    char tmp[8];
    int n = 0;
    for (long c = col + 1; c > 0 && n < 7; c = (c - 1) / 26)
        tmp[n++] = (char)('A' + (c - 1) % 26);
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

static void sheet_fail(sheet *s, long row, long col, const char *what)
{
    char ref[8];
    col_name(col, ref);
    if (col >= 0)
        ri_fail(s->ps.err, RI_RC_DATA, "%s:%s%ld: %s", s->name, ref, row, what);
    else
        ri_fail(s->ps.err, RI_RC_DATA, "%s:row %ld: %s", s->name, row, what);
    s->ps.failed = 2; /* already located: no part and line prefix */
    XML_StopParser(s->ps.xp, XML_FALSE);
}

/* "B17" into column 1 and row 17; -1 when it is not a reference within XFD1048576. */
static int parse_ref(const char *ref, long *col, long *row)
{
    long c = 0, r = 0;
    const char *p = ref;
    for (; *p >= 'A' && *p <= 'Z'; p++)
        if ((c = c * 26 + (*p - 'A' + 1)) > MAX_COL)
            return -1;
    if (p == ref || *p < '1' || *p > '9')
        return -1;
    for (; *p >= '0' && *p <= '9'; p++)
        if ((r = r * 10 + (*p - '0')) > MAX_ROW)
            return -1;
    if (*p)
        return -1;
    *col = c - 1;
    *row = r;
    return 0;
}

static int parse_row_number(const char *s, long *row)
{
    long r = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || (r = r * 10 + (*s - '0')) > MAX_ROW)
            return -1;
    }
    *row = r;
    return r >= 1 ? 0 : -1;
}

static void XMLCALL sheet_start(void *data, const XML_Char *name, const XML_Char **atts)
{
    sheet *s = data;
    const char *el = local(name);

    if (strcmp(el, "sheetData") == 0) {
        s->in_data = 1;
        return;
    }
    if (!s->in_data)
        return;
    if (strcmp(el, "row") == 0) {
        const char *r = attr(atts, "r");
        long row = s->row + 1;
        if (r && parse_row_number(r, &row)) {
            sheet_fail(s, s->row + 1, -1, "row number beyond 1048576 or not a number; expected rows 1 to 1048576");
            return;
        }
        if (row <= s->row || row > MAX_ROW) {
            sheet_fail(s, row, -1, "row out of order or beyond row 1048576; expected rows in increasing order");
            return;
        }
        s->row = row;
        s->col = -1;
        s->n_cells = 0;
        s->row_text.len = 0;
        return;
    }
    if (strcmp(el, "c") == 0) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t");
        long col = s->col + 1, row = s->row;
        if (r && parse_ref(r, &col, &row)) {
            sheet_fail(s, s->row, -1, "a cell reference beyond XFD1048576 or malformed; expected e.g. B17");
            return;
        }
        if (row != s->row || col <= s->col || col >= MAX_COL) {
            sheet_fail(s, s->row, col < MAX_COL ? col : -1,
                       "cell out of order (another row's, or left of the previous cell); expected cells left to right within their row");
            return;
        }
        s->col = col;
        s->in_cell = 1;
        s->type = !t || strcmp(t, "n") == 0 ? T_NUMBER
                  : strcmp(t, "s") == 0       ? T_SHARED
                  : strcmp(t, "inlineStr") == 0 ? T_INLINE
                  : strcmp(t, "b") == 0       ? T_BOOL
                  : strcmp(t, "e") == 0       ? T_ERROR
                                              : T_STRING;
        s->value_start = s->row_text.len;
        return;
    }
    if (!s->in_cell)
        return;
    if (strcmp(el, "v") == 0)
        s->in_v = 1;
    else if (strcmp(el, "is") == 0)
        s->in_is = 1;
    else if (strcmp(el, "rPh") == 0)
        s->in_rph = 1;
    else if (strcmp(el, "t") == 0)
        s->in_t = 1;
}

static void sheet_oom(sheet *s)
{
    ri_oom(s->ps.err);
    s->ps.failed = 2;
    XML_StopParser(s->ps.xp, XML_FALSE);
}

/* The cell's text is complete: turn it into what a CSV export would hold. */
static void end_cell(sheet *s)
{
    size_t start = s->value_start, len = s->row_text.len - start;
    const char *v = s->row_text.s ? s->row_text.s + start : "";
    int quoted = s->type != T_NUMBER && s->type != T_BOOL;

    if (s->type == T_SHARED && len) {
        size_t idx = 0;
        for (size_t i = 0; i < len; i++) {
            if (v[i] < '0' || v[i] > '9' || idx > MAX_SHARED_COUNT) {
                idx = SIZE_MAX;
                break;
            }
            idx = idx * 10 + (size_t)(v[i] - '0');
        }
        if (idx >= s->b->n_shared) {
            char msg[160];
            snprintf(msg, sizeof msg, "shared string \"%.20s\" does not exist (the workbook has %zu); expected an index into them",
                     v, s->b->n_shared);
            sheet_fail(s, s->row, s->col, msg);
            return;
        }
        const char *str = s->b->pool.s + s->b->shared_off[idx];
        s->row_text.len = start;
        if (text_put(&s->row_text, str, strlen(str))) {
            sheet_oom(s);
            return;
        }
        len = s->row_text.len - start;
    } else if (s->type == T_ERROR)
        s->row_text.len = start, len = 0;
    if (len == 0)
        return;
    if (s->n_cells == s->cap_cells) {
        size_t cap = s->cap_cells ? 2 * s->cap_cells : 64;
        cell *grown = realloc(s->cells, cap * sizeof *grown);
        if (!grown) {
            sheet_oom(s);
            return;
        }
        s->cells = grown;
        s->cap_cells = cap;
    }
    s->cells[s->n_cells++] = (cell){s->col, start, len, quoted};
}

static void XMLCALL sheet_end(void *data, const XML_Char *name)
{
    sheet *s = data;
    const char *el = local(name);

    if (!s->in_data)
        return;
    if (strcmp(el, "sheetData") == 0) {
        s->in_data = 0;
        s->done = 1;
        XML_StopParser(s->ps.xp, XML_TRUE);
    } else if (strcmp(el, "row") == 0) {
        s->row_ready = 1;
        XML_StopParser(s->ps.xp, XML_TRUE);
    } else if (strcmp(el, "c") == 0) {
        s->in_cell = s->in_v = s->in_is = s->in_t = s->in_rph = 0;
        end_cell(s);
    } else if (strcmp(el, "v") == 0)
        s->in_v = 0;
    else if (strcmp(el, "is") == 0)
        s->in_is = 0;
    else if (strcmp(el, "rPh") == 0)
        s->in_rph = 0;
    else if (strcmp(el, "t") == 0)
        s->in_t = 0;
}

static void XMLCALL sheet_text(void *data, const XML_Char *t, int len)
{
    sheet *s = data;
    int wanted = s->type == T_INLINE ? s->in_is && s->in_t && !s->in_rph : s->in_v;

    if (!s->in_cell || !wanted || s->ps.failed)
        return;
    if (s->row_text.len - s->value_start + (size_t)len > MAX_CELL_BYTES) {
        sheet_fail(s, s->row, s->col, "more text than a cell can hold (32767 characters); expected a cell Excel can open");
        return;
    }
    if (s->row_text.len + (size_t)len > MAX_ROW_BYTES) {
        sheet_fail(s, s->row, -1, "more than 16 MiB of text in one row; refusing a row this large");
        return;
    }
    if (text_put(&s->row_text, t, (size_t)len))
        sheet_oom(s);
}

static void sheet_close_part(sheet *s)
{
    if (s->ps.xp)
        XML_ParserFree(s->ps.xp);
    s->ps.xp = NULL;
    part_close(&s->p);
    s->open = 0;
}

static ri_rc sheet_open_part(sheet *s, ri_error *err)
{
    ri_rc rc;

    sheet_close_part(s);
    s->suspended = s->fed_last = s->done = s->row_ready = 0;
    s->row = 0;
    s->col = -1;
    s->in_data = s->in_cell = s->in_v = s->in_is = s->in_t = s->in_rph = 0;
    if ((rc = parser_new(&s->ps, s, err)))
        return rc;
    XML_SetElementHandler(s->ps.xp, sheet_start, sheet_end);
    XML_SetCharacterDataHandler(s->ps.xp, sheet_text);
    if ((rc = part_open(s->b, s->target, MAX_PART, &s->p, err)))
        return rc;
    s->open = 1;
    return RI_RC_OK;
}

/* 1: the next non-empty sheet row is in s->cells; 0: the sheet ends; -1: error in err. */
static int sheet_next_row(sheet *s, ri_error *err)
{
    s->ps.err = err;
    for (;;) {
        enum XML_Status st;
        if (s->row_ready) {
            s->row_ready = 0;
            return 1;
        }
        if (s->done)
            return 0;
        if (s->suspended)
            st = XML_ResumeParser(s->ps.xp);
        else {
            size_t got = 0;
            if (s->fed_last) {
                s->done = 1;
                continue;
            }
            if (part_read(s->b, &s->p, s->buf, &got, err))
                return -1;
            s->fed_last = got == 0;
            st = XML_Parse(s->ps.xp, s->buf, (int)got, got == 0);
        }
        if (st == XML_STATUS_ERROR) {
            if (s->ps.failed != 2)
                parse_failed(s->b, s->name, s->target, &s->ps);
            s->done = 1;
            return -1;
        }
        s->suspended = st == XML_STATUS_SUSPENDED;
    }
}

/* ------------------------------------------------------------ the table */

typedef struct table {
    book b;
    sheet s;
    char *name;
    const char **wanted;    /* the column headers the dataset names */
    size_t n_wanted;
    long skip_rows;         /* -1: look for the header */
    int state;              /* 0 looking for the header, 1 in the table, 2 after it */
    long width, last_row;
    text header;            /* the header's cleaned cells */
    size_t *header_off;     /* [width] */
    ri_csv_field *fields;   /* [width] */
} table;

/* A header cell without ONS's "[note N]" marks, its white space folded to single spaces. */
static int clean_header(text *out, const char *s, size_t len)
{
    int space = 0, any = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '[' && len - i >= 5 && strncasecmp(s + i + 1, "note", 4) == 0) {
            const char *close = memchr(s + i, ']', len - i);
            if (close) {
                i = (size_t)(close - s);
                space = any;
                continue;
            }
        }
        if (ch == ' ' || (ch >= '\t' && ch <= '\r')) {
            space = any;
            continue;
        }
        if (space && text_put(out, " ", 1))
            return -1;
        if (text_put(out, s + i, 1))
            return -1;
        space = 0;
        any = 1;
    }
    return text_put(out, "", 1);
}

static const char *cell_text(const sheet *s, const cell *c)
{
    return s->row_text.s + c->off;
}

/* Whether the row holds every configured header (after cleaning). */
static int holds_headers(table *t, int *oom)
{
    sheet *s = &t->s;
    text tmp = {0};
    size_t found = 0;

    for (size_t w = 0; w < t->n_wanted; w++) {
        int hit = 0;
        for (size_t k = 0; k < s->n_cells && !hit; k++) {
            tmp.len = 0;
            if (clean_header(&tmp, cell_text(s, &s->cells[k]), s->cells[k].len)) {
                *oom = 1;
                free(tmp.s);
                return 0;
            }
            hit = strcmp(tmp.s, t->wanted[w]) == 0;
        }
        found += hit;
    }
    free(tmp.s);
    return found == t->n_wanted;
}

static ri_rc take_header(table *t, ri_error *err)
{
    sheet *s = &t->s;
    size_t *off;

    t->width = s->cells[s->n_cells - 1].col + 1;
    t->header.len = 0;
    if (!(off = calloc((size_t)t->width, sizeof *off)) || !(t->fields = calloc((size_t)t->width, sizeof *t->fields))) {
        free(off);
        return ri_oom(err);
    }
    t->header_off = off;
    if (text_put(&t->header, "", 1))
        return ri_oom(err);
    for (size_t k = 0; k < s->n_cells; k++) {
        off[s->cells[k].col] = t->header.len;
        if (clean_header(&t->header, cell_text(s, &s->cells[k]), s->cells[k].len))
            return ri_oom(err);
    }
    for (long c = 0; c < t->width; c++) {
        const char *h = t->header.s + off[c];
        t->fields[c] = (ri_csv_field){h, strlen(h), 1};
    }
    t->last_row = s->row;
    t->state = 1;
    return RI_RC_OK;
}

/* Notes below a table: a row starting "Source" or "Note", or one filled cell in a wider table. */
static int is_note_row(const table *t, size_t filled, const cell *first)
{
    const char *s = cell_text(&t->s, first);
    return (filled == 1 && t->width > 1) || strncasecmp(s, "source", 6) == 0 || strncasecmp(s, "note", 4) == 0;
}

static void fill_record(table *t, ri_csv_record *rec)
{
    sheet *s = &t->s;
    for (long c = 0; c < t->width; c++)
        t->fields[c] = (ri_csv_field){"", 0, 0};
    for (size_t k = 0; k < s->n_cells && s->cells[k].col < t->width; k++)
        t->fields[s->cells[k].col] = (ri_csv_field){cell_text(s, &s->cells[k]), s->cells[k].len, s->cells[k].quoted};
    rec->fields = t->fields;
    rec->n_fields = (size_t)t->width;
    rec->line = (unsigned long)s->row;
}

static void header_record(table *t, ri_csv_record *rec)
{
    rec->fields = t->fields;
    rec->n_fields = (size_t)t->width;
    rec->line = (unsigned long)t->last_row;
}

static int no_header(table *t, ri_error *err)
{
    char list[512];
    size_t used = 0;

    list[0] = '\0';
    for (size_t w = 0; w < t->n_wanted && used < sizeof list; w++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s\"%s\"", w ? ", " : "", t->wanted[w]);
    if (t->skip_rows >= 0)
        ri_fail(err, RI_RC_DATA, "%s:row %ld: no header row (blank or past the table's end) after skip_rows = %ld; expected the header naming the columns",
                t->name, t->skip_rows + 1, t->skip_rows);
    else
        ri_fail(err, RI_RC_DATA, "%s: no row holds every column header the dataset names (%s); expected such a header row, or set skip_rows",
                t->name, list);
    return -1;
}

static int table_next(void *ctx, ri_csv_record *rec, ri_error *err)
{
    table *t = ctx;
    sheet *s = &t->s;

    while (t->state < 2) {
        int got = sheet_next_row(s, err);
        if (got < 0)
            return -1;
        if (got == 0) {
            if (t->state == 0)
                return no_header(t, err);
            t->state = 2;
            break;
        }
        if (t->state == 0) {
            int oom = 0;
            if (t->skip_rows >= 0 && s->row > t->skip_rows + 1)
                return no_header(t, err);
            if (!s->n_cells || (t->skip_rows >= 0 ? s->row != t->skip_rows + 1 : !holds_headers(t, &oom))) {
                if (oom)
                    return ri_oom(err), -1;
                continue;
            }
            if (take_header(t, err))
                return -1;
            header_record(t, rec);
            return 1;
        }
        size_t filled = 0;
        const cell *first = NULL;
        for (size_t k = 0; k < s->n_cells && s->cells[k].col < t->width; k++)
            if (s->cells[k].len) {
                filled++;
                first = first ? first : &s->cells[k];
            }
        if (s->row != t->last_row + 1 || !filled || is_note_row(t, filled, first)) {
            t->state = 2;
            break;
        }
        t->last_row = s->row;
        fill_record(t, rec);
        return 1;
    }
    return 0;
}

static void table_rewind(void *ctx)
{
    table *t = ctx;
    ri_error ignore;

    free(t->fields);
    free(t->header_off);
    t->fields = NULL;
    t->header_off = NULL;
    t->state = 0;
    t->width = t->last_row = 0;
    /* A part that cannot be opened again leaves the reader at its end; its
       first read reported why already. */
    if (sheet_open_part(&t->s, &ignore))
        t->s.done = 1;
}

static void book_close(book *b)
{
    for (size_t i = 0; i < b->n_sheets; i++) {
        free(b->sheet_names[i]);
        free(b->sheet_rids[i]);
        free(b->sheet_targets[i]);
    }
    free(b->sheet_names);
    free(b->sheet_rids);
    free(b->sheet_targets);
    free(b->shared_target);
    free(b->pool.s);
    free(b->shared_off);
    if (b->zip)
        zip_discard(b->zip);
}

static void table_close(void *ctx)
{
    table *t = ctx;

    sheet_close_part(&t->s);
    free(t->s.buf);
    free(t->s.row_text.s);
    free(t->s.cells);
    book_close(&t->b);
    free(t->wanted);
    free(t->header.s);
    free(t->header_off);
    free(t->fields);
    free(t->name);
    free(t);
}

static const ri_csv_source table_source = {table_next, table_rewind, table_close};

static ri_rc book_open(book *b, const char *path, const char *buf, size_t len, ri_error *err)
{
    zip_error_t ze;
    int code = 0;

    b->path = path;
    zip_error_init(&ze);
    if (buf) {
        zip_source_t *src = zip_source_buffer_create(buf, len, 0, &ze);
        if (src && !(b->zip = zip_open_from_source(src, ZIP_RDONLY, &ze)))
            zip_source_free(src);
    } else {
        struct stat st;
        if (stat(path, &st) != 0)
            return ri_fail(err, RI_RC_DATA, "%s: cannot open the workbook; expected a readable .xlsx file", path);
        if (!S_ISREG(st.st_mode))
            return ri_fail(err, RI_RC_DATA, "%s: not a regular file; expected a .xlsx workbook", path);
        if (!(b->zip = zip_open(path, ZIP_RDONLY, &code)))
            zip_error_init_with_code(&ze, code);
    }
    if (!b->zip) {
        ri_rc rc = ri_fail(err, RI_RC_DATA, "%s: not a readable .xlsx workbook (%s); expected a zip container as Excel writes it",
                           path, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return rc;
    }
    zip_error_fini(&ze);
    return RI_RC_OK;
}

/* The sheets' names for messages: "Information", "Table 1", ... */
static void sheet_list(const book *b, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < b->n_sheets && used + 8 < size; i++) {
        int n = snprintf(out + used, size - used, "%s\"%s\"", i ? ", " : "", b->sheet_names[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    if (used >= size && size > 4)
        memcpy(out + size - 4, "...", 4);
}

static ri_rc choose_sheet(book *b, const char *wanted, size_t *index, ri_error *err)
{
    char list[1024];

    sheet_list(b, list, sizeof list);
    if (b->n_sheets == 0)
        return ri_fail(err, RI_RC_DATA, "%s: the workbook lists no sheets; expected at least one", b->path);
    if (!wanted) {
        if (b->n_sheets > 1)
            return ri_fail(err, RI_RC_DATA, "%s: the workbook has %zu sheets; name one with sheet = \"...\" (sheets: %s)",
                           b->path, b->n_sheets, list);
        *index = 0;
    } else {
        for (*index = 0; *index < b->n_sheets; (*index)++)
            if (strcmp(b->sheet_names[*index], wanted) == 0)
                break;
        if (*index == b->n_sheets)
            return ri_fail(err, RI_RC_DATA, "%s: no sheet \"%s\"; expected one of %s", b->path, wanted, list);
    }
    if (!b->sheet_targets[*index])
        return ri_fail(err, RI_RC_DATA, "%s: sheet \"%s\" has no part in the workbook's relationships; expected a worksheet",
                       b->path, b->sheet_names[*index]);
    return RI_RC_OK;
}

/* The column headers cfg names, which the header row must hold. */
static ri_rc wanted_headers(table *t, const ri_dataset_cfg *cfg, ri_error *err)
{
    size_t cap = 5 + cfg->n_filters + cfg->n_measures;
    const char *named[] = {cfg->area_col, cfg->area_name_col, cfg->area_type_col, cfg->period_col, cfg->industry_col};

    if (!(t->wanted = calloc(cap, sizeof *t->wanted)))
        return ri_oom(err);
    for (size_t i = 0; i < sizeof named / sizeof *named; i++)
        if (named[i])
            t->wanted[t->n_wanted++] = named[i];
    for (size_t f = 0; f < cfg->n_filters; f++)
        t->wanted[t->n_wanted++] = cfg->filters[f].column;
    for (size_t m = 0; cfg->layout == RI_LAYOUT_TIDY && m < cfg->n_measures; m++)
        t->wanted[t->n_wanted++] = cfg->measures[m].value;
    return RI_RC_OK;
}

ri_rc ri_xlsx_open(const ri_dataset_cfg *cfg, const char *buf, size_t len, ri_csv **out, ri_error *err)
{
    table *t = calloc(1, sizeof *t);
    size_t index = 0;
    ri_rc rc;

    *out = NULL;
    if (!t)
        return ri_oom(err);
    t->skip_rows = cfg->has_skip_rows ? cfg->skip_rows : -1;
    t->s.b = &t->b;
    if ((rc = book_open(&t->b, cfg->path, buf, len, err)) || (rc = read_meta(&t->b, 0, err))
        || (rc = read_meta(&t->b, 1, err)) || (rc = choose_sheet(&t->b, cfg->sheet, &index, err))
        || (rc = read_shared(&t->b, err)) || (rc = wanted_headers(t, cfg, err)))
        goto fail;
    size_t n = strlen(cfg->path) + strlen(t->b.sheet_names[index]) + 3;
    if (!(t->name = malloc(n)) || !(t->s.buf = malloc(CHUNK))) {
        rc = ri_oom(err);
        goto fail;
    }
    snprintf(t->name, n, "%s[%s]", cfg->path, t->b.sheet_names[index]);
    t->s.name = t->name;
    t->s.target = t->b.sheet_targets[index];
    if ((rc = sheet_open_part(&t->s, err)))
        goto fail;
    return ri_csv_open_source(t->name, &table_source, t, out, err);
fail:
    table_close(t);
    return rc;
}

void ri_xlsx_locate(const char *name, ri_error *err)
{
    size_t n = strlen(name);
    const char *p = err->msg + n;
    unsigned long row = 0, col = 0;
    char rest[RI_ERROR_MAX], ref[8];

    if (strncmp(err->msg, name, n) != 0 || *p != ':' || p[1] < '0' || p[1] > '9')
        return;
    for (p++; *p >= '0' && *p <= '9' && row <= MAX_ROW; p++)
        row = row * 10 + (unsigned long)(*p - '0');
    if (*p != ':')
        return;
    if (p[1] >= '0' && p[1] <= '9') {
        const char *q = p + 1;
        for (; *q >= '0' && *q <= '9' && col <= MAX_COL; q++)
            col = col * 10 + (unsigned long)(*q - '0');
        if (*q == ':' && col >= 1 && col <= MAX_COL) {
            snprintf(rest, sizeof rest, "%s", q);
            col_name((long)col - 1, ref);
            snprintf(err->msg + n, sizeof err->msg - n, ":%s%lu%s", ref, row, rest);
            return;
        }
    }
    snprintf(rest, sizeof rest, "%s", p);
    snprintf(err->msg + n, sizeof err->msg - n, ":row %lu%s", row, rest);
}
