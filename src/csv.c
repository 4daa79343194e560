/*
 * csv.c — the RFC 4180 record reader (see csv.h).
 *
 * One pass over the input, no allocation per field: the field array and the
 * unescaping scratch buffer grow geometrically and are reused for every
 * record. Unquoted fields, and quoted fields without doubled quotes, point
 * straight into the input.
 */
#define _POSIX_C_SOURCE 200809L

/* madvise(MADV_DONTNEED) really drops pages; posix_madvise's DONTNEED is a no-op on Linux. */
#define _DEFAULT_SOURCE

#include "csv.h"

#include "map_guard.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/*
 * A hostile file could otherwise make one record allocate without bound;
 * no real table comes near this.
 */
#define RI_CSV_MAX_FIELDS 1000000u

/*
 * The parser only ever looks at "special" bytes: , \n \r " NUL and every
 * non-ASCII byte. A scanner turns the input into the ordered stream of their
 * offsets: one 64-bit mask per 64-byte window (computed once, with SSE2 where
 * available), consumed lowest bit first. The parser pops every special byte
 * exactly once, in order, so ordinary text costs nothing per byte and the
 * step from one field to the next is a count-trailing-zeros and a
 * clear-lowest-bit, which do not wait on the previous field's position.
 *
 * The last window is padded with NUL bytes, which are special, so the stream
 * always yields the end offset before running out; nothing is ever popped
 * there, so no window beyond the one holding the end is ever loaded.
 */
typedef struct scanner {
    size_t woff;  /* offset of the current window, a multiple of 64 */
    uint64_t rem; /* bit i: data[woff + i] is special and not yet popped */
} scanner;

static unsigned lowest_bit(uint64_t m)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_ctzll(m);
#else
    unsigned n = 0;
    while (!(m & 1u)) {
        m >>= 1;
        n++;
    }
    return n;
#endif
}

static uint64_t special_mask(const unsigned char *b)
{
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n');
    const __m128i cr = _mm_set1_epi8('\r'), quote = _mm_set1_epi8('"');
    const __m128i zero = _mm_setzero_si128();
    uint64_t m = 0;
    int k;

    for (k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + 16 * k));
        __m128i t = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, lf)),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, quote)));
        /* movemask takes each byte's top bit, so or-ing v in flags non-ASCII bytes. */
        t = _mm_or_si128(t, _mm_or_si128(_mm_cmpeq_epi8(v, zero), v));
        m |= (uint64_t)(unsigned)_mm_movemask_epi8(t) << (16 * k);
    }
    return m;
#else
    uint64_t m = 0;
    unsigned i;

    for (i = 0; i < 64; i++) {
        unsigned x = b[i];
        int special = x == ',' || x == '\n' || x == '\r' || x == '"' || x == 0 || x >= 0x80;
        m |= (uint64_t)special << i;
    }
    return m;
#endif
}

static uint64_t window_mask(const unsigned char *data, size_t size, size_t woff)
{
    unsigned char tail[64] = {0};

    if (size - woff >= 64)
        return special_mask(data + woff);
    if (size > woff)
        memcpy(tail, data + woff, size - woff);
    return special_mask(tail);
}

struct ri_csv {
    char *name;
    const unsigned char *data;
    size_t size;
    void *map;           /* the mapping to release; NULL for buffers and empty files */
    size_t map_len;
    int owns_map;        /* 0 for a section: its parent unmaps */
    size_t pos;          /* offset of the next unread byte */
    unsigned long line;  /* physical line at pos */
    int failed;          /* after an error the position is meaningless */
    scanner scan;        /* special bytes before pos are popped, none after */
    ri_csv_field *fields;
    size_t *scratch_off; /* per field: where its unescaped text starts in scratch */
    size_t cap;          /* capacity of fields and scratch_off */
    char *scratch;
    size_t scratch_len;
    size_t scratch_cap;
    size_t released;     /* bytes of the mapping already handed back to the kernel */
    const ri_csv_source *src; /* records from elsewhere; NULL for CSV text */
    void *src_ctx;
};

#if defined(__GNUC__)
#define RI_NOINLINE __attribute__((noinline))
#else
#define RI_NOINLINE
#endif

/* Move to the next window holding a special byte. Kept out of line, and the
 * scanner passed by value, so the per-field path stays small enough for the
 * scanner to live in registers. */
static RI_NOINLINE scanner scan_refill(const ri_csv *c, scanner s)
{
    do {
        s.woff += 64;
        s.rem = window_mask(c->data, c->size, s.woff);
    } while (s.rem == 0);
    return s;
}

/* Offset of the next special byte not yet popped (the size at the end). */
static inline size_t scan_peek(const ri_csv *c, scanner *s)
{
    if (s->rem == 0)
        *s = scan_refill(c, *s);
    return s->woff + lowest_bit(s->rem);
}

/* Pop the special byte scan_peek() returned. */
static inline void scan_pop(scanner *s)
{
    s->rem &= s->rem - 1;
}

/* Pop the next n special bytes (each byte of a UTF-8 sequence is one). */
static inline void scan_skip(const ri_csv *c, scanner *s, size_t n)
{
    while (n-- > 0) {
        scan_peek(c, s);
        scan_pop(s);
    }
}

static const char MSG_UTF8[] = "invalid UTF-8 in field; expected UTF-8 text";
static const char MSG_NUL[] = "NUL byte in field; expected text";

ri_rc ri_csv_open_mem(const char *name, const char *buf, size_t len, ri_csv **out,
                      ri_error *err)
{
    ri_csv *c;
    size_t name_len = strlen(name);

    *out = NULL;
    c = calloc(1, sizeof *c);
    if (!c)
        return ri_fail(err, RI_RC_DATA, "%s: out of memory opening the CSV reader", name);
    c->name = malloc(name_len + 1);
    if (!c->name) {
        free(c);
        return ri_fail(err, RI_RC_DATA, "%s: out of memory opening the CSV reader", name);
    }
    memcpy(c->name, name, name_len + 1);
    /* Pointer arithmetic on NULL is undefined even for an offset of 0. */
    c->data = buf ? (const unsigned char *)buf : (const unsigned char *)"";
    c->size = len;
    ri_csv_rewind(c);
    *out = c;
    return RI_RC_OK;
}

ri_rc ri_csv_open_source(const char *name, const ri_csv_source *src, void *ctx, ri_csv **out,
                         ri_error *err)
{
    ri_rc rc = ri_csv_open_mem(name, NULL, 0, out, err);

    if (rc) {
        src->close(ctx);
        return rc;
    }
    (*out)->src = src;
    (*out)->src_ctx = ctx;
    return RI_RC_OK;
}

void ri_csv_rewind(ri_csv *c)
{
    if (c->src) {
        c->src->rewind(c->src_ctx);
        return;
    }
    c->pos = 0;
    c->line = 1;
    c->failed = 0;
    c->released = 0;
    c->scan.woff = 0;
    c->scan.rem = window_mask(c->data, c->size, 0);
    if (c->size >= 3 && c->data[0] == 0xEF && c->data[1] == 0xBB && c->data[2] == 0xBF) {
        c->pos = 3;
        scan_skip(c, &c->scan, 3);
    }
}

/*
 * Pages of the mapping already read are handed back, so a large file costs
 * a window of memory rather than its whole size; reading them again (after
 * a rewind) simply faults them back in from the page cache.
 */
#define RI_CSV_RELEASE_STEP ((size_t)8 << 20)

static void release_consumed(ri_csv *c)
{
    size_t page = 4096, upto;
    if (!c->map || c->pos < c->released + 2 * RI_CSV_RELEASE_STEP)
        return;
    upto = (c->pos - RI_CSV_RELEASE_STEP) / page * page;
    if (upto > c->released) {
        madvise((char *)c->map + c->released, upto - c->released, MADV_DONTNEED);
        c->released = upto;
    }
}

static const char *file_kind(mode_t mode)
{
    if (S_ISDIR(mode))
        return "is a directory; expected a CSV file";
    if (S_ISFIFO(mode))
        return "is a FIFO (named pipe); expected a regular CSV file";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "is a device; expected a regular CSV file";
    if (S_ISSOCK(mode))
        return "is a socket; expected a regular CSV file";
    return "is not a regular file; expected a CSV file";
}

ri_rc ri_csv_open(const char *path, ri_csv **out, ri_error *err)
{
    struct stat st;
    void *map = NULL;
    size_t size;
    ri_rc rc;
    int fd;

    *out = NULL;
    /* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer
     * before fstat() could tell us to refuse it. */
    fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return ri_fail(err, RI_RC_DATA, "%s: cannot open: %s; expected a readable CSV file",
                       path, strerror(errno));
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return ri_fail(err, RI_RC_DATA, "%s: cannot stat: %s", path, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return ri_fail(err, RI_RC_DATA, "%s: %s", path, file_kind(st.st_mode));
    }
    /* Pointer differences inside the mapping must fit in a ptrdiff_t. */
    if ((uintmax_t)st.st_size > (uintmax_t)PTRDIFF_MAX) {
        close(fd);
        return ri_fail(err, RI_RC_DATA, "%s: too large to map (%jd bytes)", path,
                       (intmax_t)st.st_size);
    }
    size = (size_t)st.st_size;
    /* mmap of length 0 fails; an empty file simply has no records. */
    if (size > 0) {
        map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
            int e = errno;
            close(fd);
            return ri_fail(err, RI_RC_DATA, "%s: cannot map into memory: %s", path,
                           strerror(e));
        }
        posix_madvise(map, size, POSIX_MADV_SEQUENTIAL);
        (void)ri_map_guard_add(map, size);
    }
    close(fd);
    rc = ri_csv_open_mem(path, map, size, out, err);
    if (rc != RI_RC_OK) {
        if (map) {
            ri_map_guard_remove(map);
            munmap(map, size);
        }
        return rc;
    }
    (*out)->map = map;
    (*out)->map_len = size;
    (*out)->owns_map = 1;
    return RI_RC_OK;
}

ri_csv_mark ri_csv_tell(const ri_csv *c)
{
    ri_csv_mark m = {c->pos, c->line};
    return m;
}

ri_rc ri_csv_section(const ri_csv *c, ri_csv_mark from, size_t to, ri_csv **out, ri_error *err)
{
    const size_t page = 4096;
    ri_csv *s;
    ri_rc rc;

    if (to > c->size || from.pos > to)
        return ri_fail(err, RI_RC_DATA, "%s: section %zu-%zu outside the %zu bytes read", c->name, from.pos, to,
                       c->size);
    if ((rc = ri_csv_open_mem(c->name, (const char *)c->data, to, &s, err)))
        return rc;
    s->pos = from.pos;
    s->line = from.line;
    s->scan.woff = from.pos / 64 * 64;
    s->scan.rem = window_mask(s->data, s->size, s->scan.woff) & (~(uint64_t)0 << (from.pos % 64));
    /* It hands back the pages it reads, as the parent does, but only its own. */
    s->map = c->map;
    s->map_len = c->map_len;
    s->released = (from.pos + page - 1) / page * page;
    *out = s;
    return RI_RC_OK;
}

/* Add the double quotes, LFs and NUL bytes in d[0..n) to *quotes, *lines and *nuls. */
static void count_quotes_lines(const unsigned char *d, size_t n, size_t *quotes, size_t *lines, size_t *nuls)
{
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), lf = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();

    /* Per-byte counters (a match is -1, so subtracting counts up), summed
       before any can pass 255. */
    while (n >= 16) {
        __m128i q = zero, l = zero, z = zero;
        size_t blocks = n / 16 < 255 ? n / 16 : 255;
        for (size_t b = 0; b < blocks; b++, d += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)d);
            q = _mm_sub_epi8(q, _mm_cmpeq_epi8(v, quote));
            l = _mm_sub_epi8(l, _mm_cmpeq_epi8(v, lf));
            z = _mm_sub_epi8(z, _mm_cmpeq_epi8(v, zero));
        }
        n -= 16 * blocks;
        q = _mm_sad_epu8(q, zero);
        l = _mm_sad_epu8(l, zero);
        z = _mm_sad_epu8(z, zero);
        *quotes += (size_t)_mm_cvtsi128_si32(q) + (size_t)_mm_cvtsi128_si32(_mm_srli_si128(q, 8));
        *lines += (size_t)_mm_cvtsi128_si32(l) + (size_t)_mm_cvtsi128_si32(_mm_srli_si128(l, 8));
        *nuls += (size_t)_mm_cvtsi128_si32(z) + (size_t)_mm_cvtsi128_si32(_mm_srli_si128(z, 8));
    }
#endif
    for (; n; d++, n--) {
        *quotes += *d == '"';
        *lines += *d == '\n';
        *nuls += *d == '\0';
    }
}

/*
 * The first half is counted a chunk at a time, each chunk's pages handed
 * back once counted, so that finding the middle of a huge file keeps at
 * most a chunk of it resident; a NUL byte (which no input may hold: a
 * sparse file's holes read as zeros) stops the search, and the one reader
 * that then reads the file reports it where it is.
 */
#define SPLIT_CHUNK ((size_t)8 << 20)

int ri_csv_split(const ri_csv *c, ri_csv_mark from, size_t near, ri_csv_mark *split)
{
    const unsigned char *d = c->data;
    size_t quotes = 0, lines = 0, nuls = 0, i, page = 4096;

    if (near < from.pos)
        near = from.pos;
    if (near > c->size)
        near = c->size;
    for (size_t at = from.pos; at < near;) {
        size_t n = near - at < SPLIT_CHUNK ? near - at : SPLIT_CHUNK;
        size_t lo = (at + page - 1) / page * page, hi = (at + n) / page * page;
        count_quotes_lines(d + at, n, &quotes, &lines, &nuls);
        if (nuls)
            return -1;
        if (c->map && hi > lo)
            madvise((char *)c->map + lo, hi - lo, MADV_DONTNEED);
        at += n;
    }
    for (i = near; i < c->size; i++) {
        if (d[i] == '"')
            quotes++;
        else if (d[i] == '\0')
            return -1;
        else if (d[i] == '\n') {
            lines++;
            if (quotes % 2 == 0 && i + 1 < c->size) {
                split->pos = i + 1;
                split->line = from.line + lines;
                return 0;
            }
        }
    }
    return -1;
}

const char *ri_csv_name(const ri_csv *csv)
{
    return csv->name;
}

size_t ri_csv_size(const ri_csv *csv)
{
    return csv->size;
}

void ri_csv_close(ri_csv *csv)
{
    if (!csv)
        return;
    if (csv->src)
        csv->src->close(csv->src_ctx);
    if (csv->map && csv->owns_map) {
        ri_map_guard_remove(csv->map);
        munmap(csv->map, csv->map_len);
    }
    free(csv->fields);
    free(csv->scratch_off);
    free(csv->scratch);
    free(csv->name);
    free(csv);
}

static int fail_at(ri_csv *c, ri_error *err, unsigned long line, size_t col, const char *what)
{
    c->failed = 1;
    ri_fail(err, RI_RC_DATA, "%s:%lu:%zu: %s", c->name, line, col, what);
    return -1;
}

/*
 * Length of the well-formed UTF-8 sequence starting with the non-ASCII byte
 * p[0], or 0. Overlong forms (C0, C1, E0 80-9F, F0 80-8F), surrogates
 * (ED A0-BF) and code points above U+10FFFF (F4 90+, F5-FF) are rejected,
 * following the table in Unicode 15, section 3.9 (Table 3-7).
 */
static size_t utf8_seq(const unsigned char *p, const unsigned char *end)
{
    unsigned b = p[0], lo = 0x80, hi = 0xBF;
    size_t n, i;

    if (b >= 0xC2 && b <= 0xDF) {
        n = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
        n = 3;
        if (b == 0xE0)
            lo = 0xA0;
        else if (b == 0xED)
            hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        n = 4;
        if (b == 0xF0)
            lo = 0x90;
        else if (b == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if ((size_t)(end - p) < n || p[1] < lo || p[1] > hi)
        return 0;
    for (i = 2; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

static int grow_fields(ri_csv *c)
{
    size_t cap = c->cap ? c->cap * 2 : 16;
    ri_csv_field *f;
    size_t *o;

    if (cap > RI_CSV_MAX_FIELDS)
        cap = RI_CSV_MAX_FIELDS;
    f = realloc(c->fields, cap * sizeof *f);
    if (!f)
        return -1;
    c->fields = f;
    o = realloc(c->scratch_off, cap * sizeof *o);
    if (!o)
        return -1;
    c->scratch_off = o;
    c->cap = cap;
    return 0;
}

static int scratch_put(ri_csv *c, const unsigned char *s, size_t n)
{
    if (n == 0)
        return 0;
    if (n > c->scratch_cap - c->scratch_len) {
        size_t cap = c->scratch_cap ? c->scratch_cap : 256;
        char *p;

        while (cap - c->scratch_len < n) {
            if (cap > SIZE_MAX / 2)
                return -1;
            cap *= 2;
        }
        p = realloc(c->scratch, cap);
        if (!p)
            return -1;
        c->scratch = p;
        c->scratch_cap = cap;
    }
    memcpy(c->scratch + c->scratch_len, s, n);
    c->scratch_len += n;
    return 0;
}

static int fail_after_quote(ri_csv *c, ri_error *err, unsigned long line, size_t col,
                            unsigned char ch)
{
    char what[160];

    if (ch >= 0x20 && ch < 0x7F)
        snprintf(what, sizeof what,
                 "unexpected '%c' after the closing quote; expected ',' or the end of the "
                 "line (write a quote inside a quoted field as \"\")", ch);
    else
        snprintf(what, sizeof what,
                 "unexpected byte 0x%02X after the closing quote; expected ',' or the end "
                 "of the line", ch);
    return fail_at(c, err, line, col, what);
}

static int fail_too_wide(ri_csv *c, ri_error *err, unsigned long line)
{
    char what[128];

    snprintf(what, sizeof what, "more than %u fields in one record; expected at most %u",
             RI_CSV_MAX_FIELDS, RI_CSV_MAX_FIELDS);
    return fail_at(c, err, line, (size_t)RI_CSV_MAX_FIELDS + 1, what);
}

/*
 * Read the quoted field whose opening quote is the next special byte, at *pp.
 * On success *pp is just past the closing quote and *line counts the line
 * ends inside the field; the caller checks what follows the quote.
 */
static RI_NOINLINE int read_quoted(ri_csv *c, scanner *sc, ri_csv_field *f, size_t nf,
                                   const unsigned char **pp, unsigned long *line, ri_error *err)
{
    const unsigned char *end = c->data + c->size;
    const unsigned char *q = *pp + 1, *seg = q, *p;
    unsigned long open_line = *line;
    size_t off = 0;
    int escaped = 0;

    scan_pop(sc);
    for (;;) {
        size_t n;

        p = c->data + scan_peek(c, sc);
        if (p == end)
            return fail_at(c, err, open_line, nf + 1,
                           "quoted field opened here is never closed; expected a closing "
                           "'\"' before the end of the file");
        switch (*p) {
        case ',':
        case '\r':
            scan_pop(sc);
            continue;
        case '\n':
            scan_pop(sc);
            ++*line;
            continue;
        case '\0':
            return fail_at(c, err, *line, nf + 1, MSG_NUL);
        case '"':
            break;
        default:
            n = utf8_seq(p, end);
            if (n == 0)
                return fail_at(c, err, *line, nf + 1, MSG_UTF8);
            scan_skip(c, sc, n);
            continue;
        }
        scan_pop(sc);
        if (end - p < 2 || p[1] != '"')
            break;
        scan_skip(c, sc, 1);
        if (!escaped) {
            escaped = 1;
            off = c->scratch_len;
        }
        if (scratch_put(c, seg, (size_t)(p + 1 - seg)) != 0)
            return fail_at(c, err, *line, nf + 1, "out of memory reading the field");
        seg = p + 2;
    }
    if (escaped) {
        if (scratch_put(c, seg, (size_t)(p - seg)) != 0)
            return fail_at(c, err, *line, nf + 1, "out of memory reading the field");
        /* The scratch buffer may still move while this record is read, so only
         * the offset is kept; ri_csv_next() sets the pointer once the record ends. */
        f->ptr = NULL;
        f->len = c->scratch_len - off;
        c->scratch_off[nf] = off;
    } else {
        f->ptr = (const char *)q;
        f->len = (size_t)(p - q);
    }
    f->quoted = 1;
    *pp = p + 1;
    return 0;
}

/*
 * Finish an unquoted field whose next special byte, at p, is not a plain
 * separator. Returns the field's terminator (a separator or the end), or NULL.
 */
static RI_NOINLINE const unsigned char *read_unquoted_rest(ri_csv *c, scanner *sc,
                                                           const unsigned char *p, size_t nf,
                                                           unsigned long line, ri_error *err)
{
    const unsigned char *end = c->data + c->size;

    for (;;) {
        size_t n;

        if (p == end || *p == ',' || *p == '\n')
            return p;
        if (*p == '\r') {
            /* Only CR LF ends a line. A bare CR stays in the field: RFC 4180 knows
             * only CRLF, every line count users compare with (wc -l, editors)
             * counts LF, and a stray CR then surfaces as a bad cell instead of
             * silently splitting one record in two. */
            if (end - p > 1 && p[1] == '\n')
                return p;
            scan_pop(sc);
        } else if (*p == '"') {
            fail_at(c, err, line, nf + 1,
                    "'\"' inside an unquoted field; expected the whole field in quotes "
                    "with inner quotes doubled (\"\")");
            return NULL;
        } else if (*p == '\0') {
            fail_at(c, err, line, nf + 1, MSG_NUL);
            return NULL;
        } else {
            n = utf8_seq(p, end);
            if (n == 0) {
                fail_at(c, err, line, nf + 1, MSG_UTF8);
                return NULL;
            }
            scan_skip(c, sc, n);
        }
        p = c->data + scan_peek(c, sc);
    }
}

static int next_record(ri_csv *c, ri_csv_record *rec, ri_error *err)
{
    const unsigned char *data = c->data, *p, *end = c->data + c->size;
    unsigned long line = c->line, first_line;
    ri_csv_field *fields = c->fields;
    size_t nf = 0, cap = c->cap, i;
    int used_scratch = 0;
    scanner sc = c->scan;

    if (c->src)
        return c->src->next(c->src_ctx, rec, err);
    if (c->failed) {
        ri_fail(err, RI_RC_DATA, "%s: cannot read further after an earlier error", c->name);
        return -1;
    }
    release_consumed(c);
    p = data + c->pos;
    while (p < end && (*p == '\n' || (*p == '\r' && end - p > 1 && p[1] == '\n'))) {
        size_t n = *p == '\r' ? 2 : 1;
        scan_skip(c, &sc, n);
        p += n;
        line++;
    }
    if (p == end) {
        c->pos = c->size;
        c->line = line;
        c->scan = sc;
        return 0;
    }
    first_line = line;
    c->scratch_len = 0;

    for (;;) {
        const unsigned char *e;
        unsigned ch;

        if (nf == cap) {
            if (nf == RI_CSV_MAX_FIELDS)
                return fail_too_wide(c, err, line);
            if (grow_fields(c) != 0)
                return fail_at(c, err, line, nf + 1, "out of memory reading the record");
            fields = c->fields;
            cap = c->cap;
        }
        e = data + scan_peek(c, &sc);
        /* 0 stands for the end here; a NUL byte in the data never reaches the
         * separator handling below because the slow paths reject it. */
        ch = e < end ? *e : 0;

        if (ch == '"' && e == p) {
            /* Fast path: a quoted field holding nothing special but commas. */
            scanner at_quote = sc;
            const unsigned char *q;

            scan_pop(&sc);
            q = data + scan_peek(c, &sc);
            while (q < end && *q == ',') {
                scan_pop(&sc);
                q = data + scan_peek(c, &sc);
            }
            if (q < end && *q == '"' && (end - q < 2 || q[1] != '"')) {
                scan_pop(&sc);
                fields[nf].ptr = (const char *)p + 1;
                fields[nf].len = (size_t)(q - p - 1);
                fields[nf].quoted = 1;
                p = q + 1;
            } else {
                /* The slow path works on c->scan so that sc never has its
                 * address taken here and can live in registers. */
                c->scan = at_quote;
                if (read_quoted(c, &c->scan, &fields[nf], nf, &p, &line, err) != 0)
                    return -1;
                sc = c->scan;
                used_scratch |= fields[nf].ptr == NULL;
            }
            e = data + scan_peek(c, &sc);
            ch = e < end ? *e : 0;
            if (e != p || !(ch == ',' || ch == '\n' || e == end ||
                            (ch == '\r' && end - e > 1 && e[1] == '\n')))
                return fail_after_quote(c, err, line, nf + 1, *p);
        } else {
            if (ch != ',' && ch != '\n' && e < end) {
                c->scan = sc;
                e = read_unquoted_rest(c, &c->scan, e, nf, line, err);
                if (!e)
                    return -1;
                sc = c->scan;
                ch = e < end ? *e : 0;
            }
            fields[nf].ptr = (const char *)p;
            fields[nf].len = (size_t)(e - p);
            fields[nf].quoted = 0;
        }
        nf++;

        if (ch == ',') {
            scan_pop(&sc);
            p = e + 1;
            continue;
        }
        if (e == end) {
            p = e;
            break;
        }
        scan_pop(&sc);
        if (ch == '\r') {
            scan_skip(c, &sc, 1);
            e++;
        }
        p = e + 1;
        line++;
        break;
    }

    if (used_scratch)
        for (i = 0; i < nf; i++)
            if (!fields[i].ptr)
                fields[i].ptr = c->scratch + c->scratch_off[i];
    c->pos = (size_t)(p - data);
    c->line = line;
    c->scan = sc;
    rec->fields = fields;
    rec->n_fields = nf;
    rec->line = first_line;
    return 1;
}

int ri_csv_next(ri_csv *c, ri_csv_record *rec, ri_error *err)
{
    int got = next_record(c, rec, err);

    /* Zeros stood in for pages of a file that shrank (map_guard.h): whatever the parser made
       of them, the cause is the file. */
    if (got <= 0 && c->map && ri_map_guard_shrank(c->map)) {
        c->failed = 1;
        ri_fail(err, RI_RC_DATA,
                "%s: the file shrank while it was being read (it had %zu bytes when opened); expected a file nothing changes during the run",
                c->name, c->map_len);
        return -1;
    }
    return got;
}
