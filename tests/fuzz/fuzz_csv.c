/*
 * fuzz_csv.c — the CSV reader (ri_csv_open_mem + ri_csv_next) against a
 * byte-at-a-time reference reader written from csv.h's rules.
 *
 * csv.c skips from special byte to special byte with SIMD masks; the
 * reference below looks at every byte. For any input both must agree on
 * every record (fields, quoted flags, start lines), on whether and where
 * (line and field) reading fails, and a rewind must replay the same
 * records. Fields must never hold a NUL byte or invalid UTF-8.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

/* Mirrors RI_CSV_MAX_FIELDS in csv.c. */
#define REF_MAX_FIELDS 1000000u

typedef struct ref_field {
    size_t off, len; /* into ref.text */
    int quoted;
} ref_field;

typedef struct ref_record {
    size_t first, n; /* into ref.fields */
    unsigned long line;
} ref_record;

/* Everything the reference reads: records until the end or the first error. */
typedef struct ref {
    char *text;
    size_t text_len, text_cap;
    ref_field *fields;
    size_t n_fields, fields_cap;
    ref_record *records;
    size_t n_records, records_cap;
    int failed;
    unsigned long fail_line;
    size_t fail_col;
} ref;

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return p;
    while (*cap < need)
        *cap = *cap ? *cap * 2 : 64;
    p = realloc(p, *cap * elem);
    if (!p)
        ri_fuzz_fail("out of memory in the reference reader");
    return p;
}

static void put_bytes(ref *r, const unsigned char *s, size_t n)
{
    r->text = grow(r->text, &r->text_cap, r->text_len + n, 1);
    memcpy(r->text + r->text_len, s, n);
    r->text_len += n;
}

/* The same table as csv.c's utf8_seq (Unicode 15, Table 3-7), written out independently. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
    size_t n;
    unsigned lo = 0x80, hi = 0xBF;

    if (p[0] >= 0xC2 && p[0] <= 0xDF)
        n = 2;
    else if (p[0] >= 0xE0 && p[0] <= 0xEF)
        n = 3;
    else if (p[0] >= 0xF0 && p[0] <= 0xF4)
        n = 4;
    else
        return 0;
    if (p[0] == 0xE0)
        lo = 0xA0;
    if (p[0] == 0xED)
        hi = 0x9F;
    if (p[0] == 0xF0)
        lo = 0x90;
    if (p[0] == 0xF4)
        hi = 0x8F;
    if ((size_t)(end - p) < n || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return n;
}

static void ref_fail(ref *r, unsigned long line, size_t col)
{
    r->failed = 1;
    r->fail_line = line;
    r->fail_col = col;
}

static int is_crlf(const unsigned char *p, const unsigned char *end)
{
    return p < end && p[0] == '\r' && end - p > 1 && p[1] == '\n';
}

static void ref_read(ref *r, const unsigned char *d, size_t size)
{
    const unsigned char *p = d, *end = d + size;
    unsigned long line = 1;

    if (size >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
        p += 3;
    for (;;) {
        ref_record rec;

        while (p < end && (*p == '\n' || is_crlf(p, end))) {
            p += *p == '\n' ? 1 : 2;
            line++;
        }
        if (p == end)
            return;
        rec.first = r->n_fields;
        rec.n = 0;
        rec.line = line;
        for (;;) {
            ref_field f;
            size_t col = rec.n + 1;

            if (rec.n == REF_MAX_FIELDS) {
                ref_fail(r, line, REF_MAX_FIELDS + 1);
                return;
            }
            f.off = r->text_len;
            f.quoted = p < end && *p == '"';
            if (f.quoted) {
                unsigned long open_line = line;
                p++;
                for (;;) {
                    size_t n;
                    if (p == end) {
                        ref_fail(r, open_line, col);
                        return;
                    }
                    if (*p == '"') {
                        if (end - p > 1 && p[1] == '"') {
                            put_bytes(r, p, 1);
                            p += 2;
                            continue;
                        }
                        p++;
                        break;
                    }
                    if (*p == '\0') {
                        ref_fail(r, line, col);
                        return;
                    }
                    n = *p < 0x80 ? 1 : utf8_len(p, end);
                    if (n == 0) {
                        ref_fail(r, line, col);
                        return;
                    }
                    line += *p == '\n';
                    put_bytes(r, p, n);
                    p += n;
                }
                if (!(p == end || *p == ',' || *p == '\n' || is_crlf(p, end))) {
                    ref_fail(r, line, col);
                    return;
                }
            } else {
                while (p < end && *p != ',' && *p != '\n' && !is_crlf(p, end)) {
                    size_t n = *p < 0x80 ? 1 : utf8_len(p, end);
                    if (*p == '"' || *p == '\0' || n == 0) {
                        ref_fail(r, line, col);
                        return;
                    }
                    put_bytes(r, p, n);
                    p += n;
                }
            }
            f.len = r->text_len - f.off;
            r->fields = grow(r->fields, &r->fields_cap, r->n_fields + 1, sizeof *r->fields);
            r->fields[r->n_fields++] = f;
            rec.n++;
            if (p < end && *p == ',') {
                p++;
                continue;
            }
            if (p < end) {
                p += *p == '\n' ? 1 : 2;
                line++;
            }
            break;
        }
        r->records = grow(r->records, &r->records_cap, r->n_records + 1, sizeof *r->records);
        r->records[r->n_records++] = rec;
    }
}

static void ref_free(ref *r)
{
    free(r->text);
    free(r->fields);
    free(r->records);
}

static int valid_text(const ri_csv_field *f)
{
    const unsigned char *p = (const unsigned char *)f->ptr, *end = p + f->len;
    while (p < end) {
        size_t n = *p < 0x80 ? 1 : utf8_len(p, end);
        if (*p == '\0' || n == 0)
            return 0;
        p += n;
    }
    return 1;
}

/* One pass of the real reader, compared record by record with the reference. */
static void compare_pass(ri_csv *csv, const ref *r, int pass)
{
    ri_csv_record rec;
    ri_error err;
    size_t k = 0;
    int got;

    memset(&err, 0, sizeof err);
    while ((got = ri_csv_next(csv, &rec, &err)) > 0) {
        const ref_record *want;
        if (k == r->n_records)
            ri_fuzz_fail("pass %d: record %zu read, the reference %s", pass, k + 1,
                         r->failed ? "fails there" : "ends before it");
        want = &r->records[k];
        if (rec.n_fields != want->n || rec.line != want->line)
            ri_fuzz_fail("pass %d: record %zu has %zu fields on line %lu; the reference %zu on line %lu",
                         pass, k + 1, rec.n_fields, rec.line, want->n, want->line);
        for (size_t i = 0; i < rec.n_fields; i++) {
            const ri_csv_field *f = &rec.fields[i];
            const ref_field *w = &r->fields[want->first + i];
            if (f->len != w->len || f->quoted != w->quoted ||
                (f->len && memcmp(f->ptr, r->text + w->off, f->len) != 0))
                ri_fuzz_fail("pass %d: record %zu field %zu differs from the reference", pass, k + 1,
                             i + 1);
            if (!valid_text(f))
                ri_fuzz_fail("pass %d: record %zu field %zu holds NUL or invalid UTF-8", pass,
                             k + 1, i + 1);
        }
        k++;
    }
    if (got == 0 && (r->failed || k != r->n_records))
        ri_fuzz_fail("pass %d: end after %zu records; the reference %s after %zu", pass, k,
                     r->failed ? "fails" : "ends", r->n_records);
    if (got < 0) {
        char where[64];
        if (!r->failed || k != r->n_records)
            ri_fuzz_fail("pass %d: error after %zu records (%s); the reference reads %zu%s", pass,
                         k, err.msg, r->n_records, r->failed ? " then fails" : "");
        snprintf(where, sizeof where, "fuzz.csv:%lu:%zu: ", r->fail_line, r->fail_col);
        if (strncmp(err.msg, where, strlen(where)) != 0 || err.code != RI_RC_DATA)
            ri_fuzz_fail("pass %d: error \"%s\"; expected it located at %s", pass, err.msg, where);
        /* A failed reader stays failed. */
        if (ri_csv_next(csv, &rec, &err) != -1)
            ri_fuzz_fail("pass %d: reading on after an error did not fail", pass);
    }
    if (got == 0 && ri_csv_next(csv, &rec, &err) != 0)
        ri_fuzz_fail("pass %d: reading past the end did not stay at the end", pass);
}

int ri_fuzz_csv(const uint8_t *data, size_t size)
{
    ri_csv *csv;
    ri_error err;
    ref r;

    memset(&r, 0, sizeof r);
    ref_read(&r, data, size);
    if (ri_csv_open_mem("fuzz.csv", (const char *)data, size, &csv, &err) != RI_RC_OK)
        ri_fuzz_fail("ri_csv_open_mem failed: %s", err.msg);
    if (ri_csv_size(csv) != size || strcmp(ri_csv_name(csv), "fuzz.csv") != 0)
        ri_fuzz_fail("size or name not kept");
    compare_pass(csv, &r, 1);
    ri_csv_rewind(csv);
    compare_pass(csv, &r, 2);
    ri_csv_close(csv);
    ref_free(&r);
    return 0;
}

RI_FUZZ_ENTRY(ri_fuzz_csv)
