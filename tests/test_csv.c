/* test_csv.c — the RFC 4180 reader (src/csv.c), in memory and on files. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cmocka.h>

#include "csv.h"

/* ------------------------------------------------------------------ helpers */

/*
 * Read everything in buf[0..len) and describe it: each record as
 * "LINE:" followed by its fields, [text] when unquoted and {text} when
 * quoted, records separated by '|'. Returns the last ri_csv_next() result;
 * on -1 the message is left in err.
 */
static int describe(const char *buf, size_t len, char *out, size_t cap, ri_error *err)
{
    ri_csv *csv = NULL;
    ri_csv_record rec;
    size_t n = 0;
    int got;

    ri_error_clear(err);
    assert_int_equal(ri_csv_open_mem("mem.csv", buf, len, &csv, err), RI_RC_OK);
    out[0] = '\0';
    while ((got = ri_csv_next(csv, &rec, err)) == 1) {
        size_t i;

        n += (size_t)snprintf(out + n, cap - n, "%s%lu:", n ? "|" : "", rec.line);
        assert_true(n < cap);
        for (i = 0; i < rec.n_fields; i++) {
            const ri_csv_field *f = &rec.fields[i];
            n += (size_t)snprintf(out + n, cap - n, "%c%.*s%c", f->quoted ? '{' : '[',
                                  (int)f->len, f->ptr, f->quoted ? '}' : ']');
            assert_true(n < cap);
        }
    }
    ri_csv_close(csv);
    return got;
}

static void expect_records(const char *buf, size_t len, const char *want)
{
    char out[4096];
    ri_error err;

    if (describe(buf, len, out, sizeof out, &err) != 0)
        fail_msg("unexpected error: %s", err.msg);
    assert_string_equal(out, want);
}

#define EXPECT(lit, want) expect_records(lit, sizeof(lit) - 1, want)

/* The reading fails, and the message contains want. */
static void expect_error(const char *buf, size_t len, const char *want)
{
    char out[4096];
    ri_error err;

    if (describe(buf, len, out, sizeof out, &err) != -1)
        fail_msg("no error for input; read \"%s\"", out);
    assert_int_equal(err.code, RI_RC_DATA);
    if (!strstr(err.msg, want))
        fail_msg("message \"%s\" does not contain \"%s\"", err.msg, want);
}

#define EXPECT_ERROR(lit, want) expect_error(lit, sizeof(lit) - 1, want)

static char *path_in_srcdir(const char *rel)
{
    const char *dir = getenv("SRCDIR");
    size_t n;
    char *p;

    if (!dir || !*dir)
        dir = ".";
    n = strlen(dir) + strlen(rel) + 2;
    p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", dir, rel);
    return p;
}

/* ------------------------------------------------------------------ RFC 4180 */

static void test_simple(void **state)
{
    (void)state;
    EXPECT("a,b,c\n1,2,3\n", "1:[a][b][c]|2:[1][2][3]");
    EXPECT("one\n", "1:[one]");
    EXPECT("  spaced  , kept \n", "1:[  spaced  ][ kept ]");
}

static void test_quoted_commas(void **state)
{
    (void)state;
    EXPECT("\"Bristol, City of\",E06000023\n", "1:{Bristol, City of}[E06000023]");
    EXPECT("x,\"a,b,c\",y\n", "1:[x]{a,b,c}[y]");
    EXPECT("\",\",\",,\"\n", "1:{,}{,,}");
}

static void test_doubled_quotes(void **state)
{
    (void)state;
    EXPECT("\"say \"\"hi\"\"\",x\n", "1:{say \"hi\"}[x]");
    EXPECT("\"\"\"\"\n", "1:{\"}");
    EXPECT("\"\"\"\"\"\"\n", "1:{\"\"}");
    EXPECT("\"a\"\"\",\"\"\"b\"\n", "1:{a\"}{\"b}");
    /* Quoted empty field, and one whose only content is a doubled quote. */
    EXPECT("\"\",\"\"\"\"\n", "1:{}{\"}");
}

static void test_newline_in_quotes(void **state)
{
    (void)state;
    /* The record starting on line 2 spans lines 2-3, so the next starts on 4. */
    EXPECT("h1,h2\na,\"l1\nl2\"\nb,c\n", "1:[h1][h2]|2:[a]{l1\nl2}|4:[b][c]");
    /* Three line ends inside one field: lines 1-4, the next record is on 5. */
    EXPECT("\"\n\n\n\",x\ny\n", "1:{\n\n\n}[x]|5:[y]");
    /* CR LF inside quotes is kept as data. */
    EXPECT("\"a\r\nb\"\r\nc\r\n", "1:{a\r\nb}|3:[c]");
    /* Line ends and doubled quotes in the same field. */
    EXPECT("\"x\"\"\ny\"\"\"\nz\n", "1:{x\"\ny\"}|3:[z]");
}

static void test_crlf(void **state)
{
    (void)state;
    EXPECT("a,b\r\nc,d\r\n", "1:[a][b]|2:[c][d]");
    EXPECT("\"q\"\r\n\"r\",s\r\n", "1:{q}|2:{r}[s]");
    /* Mixed line ends in one file. */
    EXPECT("a\nb\r\nc\n", "1:[a]|2:[b]|3:[c]");
}

static void test_bare_cr(void **state)
{
    (void)state;
    /* A CR not followed by LF is part of the field (see csv.c). */
    EXPECT("a\rb,c\n", "1:[a\rb][c]");
    EXPECT("a\r", "1:[a\r]");
    EXPECT("a,\r\r\n", "1:[a][\r]");
    EXPECT("\r\r\n", "1:[\r]");
}

static void test_bom(void **state)
{
    (void)state;
    EXPECT("\xEF\xBB\xBFh1,h2\n1,2\n", "1:[h1][h2]|2:[1][2]");
    EXPECT("\xEF\xBB\xBF\"q\"\n", "1:{q}");
    EXPECT("\xEF\xBB\xBF", "");
    /* Only a leading BOM is skipped; elsewhere U+FEFF is ordinary text. */
    EXPECT("a,\xEF\xBB\xBF" "b\n", "1:[a][\xEF\xBB\xBF" "b]");
    /* Two BOMs: the second is data. */
    EXPECT("\xEF\xBB\xBF\xEF\xBB\xBFx\n", "1:[\xEF\xBB\xBFx]");
}

static void test_blank_lines(void **state)
{
    (void)state;
    EXPECT("\n\na,b\n\n\r\nc,d\n\n\n", "3:[a][b]|6:[c][d]");
    EXPECT("a\n\n\n", "1:[a]");
    EXPECT("\n", "");
    EXPECT("\r\n\r\n", "");
    /* A line of spaces is not blank: it is one field of spaces. */
    EXPECT("a\n  \nb\n", "1:[a]|2:[  ]|3:[b]");
    /* A line with only a comma is two empty fields. */
    EXPECT(",\n", "1:[][]");
}

static void test_no_final_newline(void **state)
{
    (void)state;
    EXPECT("a,b\nc,d", "1:[a][b]|2:[c][d]");
    EXPECT("a,\"b\"", "1:[a]{b}");
    EXPECT("x", "1:[x]");
    EXPECT("a,", "1:[a][]");
}

static void test_empty_fields(void **state)
{
    (void)state;
    EXPECT(",,\n", "1:[][][]");
    EXPECT("a,\n", "1:[a][]");
    EXPECT(",a\n", "1:[][a]");
    EXPECT("\"\"\n", "1:{}");
    EXPECT("a,,b\n", "1:[a][][b]");
}

static void test_empty_input(void **state)
{
    ri_csv *csv;
    ri_csv_record rec;
    ri_error err;

    (void)state;
    EXPECT("", "");
    assert_int_equal(ri_csv_open_mem("none", NULL, 0, &csv, &err), RI_RC_OK);
    assert_int_equal(ri_csv_next(csv, &rec, &err), 0);
    assert_int_equal(ri_csv_next(csv, &rec, &err), 0);
    assert_int_equal(ri_csv_size(csv), 0);
    ri_csv_close(csv);
    ri_csv_close(NULL);
}

static void test_valid_utf8(void **state)
{
    (void)state;
    /* The boundaries of each encoding length (Unicode 15, Table 3-7):
     * U+0080 C2 80, U+07FF DF BF, U+0800 E0 A0 80, U+D7FF ED 9F BF,
     * U+E000 EE 80 80, U+FFFF EF BF BF, U+10000 F0 90 80 80,
     * U+10FFFF F4 8F BF BF. */
    EXPECT("\xC2\x80,\xDF\xBF,\xE0\xA0\x80,\xED\x9F\xBF\n",
           "1:[\xC2\x80][\xDF\xBF][\xE0\xA0\x80][\xED\x9F\xBF]");
    EXPECT("\xEE\x80\x80,\"\xEF\xBF\xBF\",\xF0\x90\x80\x80,\xF4\x8F\xBF\xBF",
           "1:[\xEE\x80\x80]{\xEF\xBF\xBF}[\xF0\x90\x80\x80][\xF4\x8F\xBF\xBF]");
    /* "Ynys Môn" (ô is C3 B4). */
    EXPECT("W06000001,Ynys M\xC3\xB4n\n", "1:[W06000001][Ynys M\xC3\xB4n]");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    /* Overlong encodings of '/' and NUL. */
    EXPECT_ERROR("a,\xC0\xAF\n", "mem.csv:1:2: invalid UTF-8 in field; expected UTF-8 text");
    EXPECT_ERROR("\xC1\xBF\n", "mem.csv:1:1: invalid UTF-8");
    EXPECT_ERROR("\xE0\x9F\xBF\n", "mem.csv:1:1: invalid UTF-8");
    EXPECT_ERROR("\xF0\x8F\xBF\xBF\n", "mem.csv:1:1: invalid UTF-8");
    /* Surrogates U+D800 and U+DFFF. */
    EXPECT_ERROR("x\n\xED\xA0\x80\n", "mem.csv:2:1: invalid UTF-8");
    EXPECT_ERROR("x,y,\"\xED\xBF\xBF\"\n", "mem.csv:1:3: invalid UTF-8");
    /* Above U+10FFFF, and bytes that never occur. */
    EXPECT_ERROR("\xF4\x90\x80\x80\n", "mem.csv:1:1: invalid UTF-8");
    EXPECT_ERROR("\xF5\x80\x80\x80\n", "mem.csv:1:1: invalid UTF-8");
    EXPECT_ERROR("a\xFF\n", "mem.csv:1:1: invalid UTF-8");
    /* A lone continuation byte. */
    EXPECT_ERROR("a,b,\x80\n", "mem.csv:1:3: invalid UTF-8");
    /* Truncated sequences: cut by a separator, by the end, inside quotes. */
    EXPECT_ERROR("\xE2\x82,x\n", "mem.csv:1:1: invalid UTF-8");
    EXPECT_ERROR("a,\xC3", "mem.csv:1:2: invalid UTF-8");
    EXPECT_ERROR("a,\xF0\x9F\x98", "mem.csv:1:2: invalid UTF-8");
    EXPECT_ERROR("\"\xC3\"\n", "mem.csv:1:1: invalid UTF-8");
    /* Latin-1 text, the usual real-world cause. */
    EXPECT_ERROR("W06000001,Ynys M\xF4n\n", "mem.csv:1:2: invalid UTF-8");
}

static void test_nul(void **state)
{
    (void)state;
    EXPECT_ERROR("a,b\x00" "c\n", "mem.csv:1:2: NUL byte in field; expected text");
    EXPECT_ERROR("a\n\"\x00\"\n", "mem.csv:2:1: NUL byte");
    EXPECT_ERROR("\x00", "mem.csv:1:1: NUL byte");
}

static void test_quote_errors(void **state)
{
    (void)state;
    EXPECT_ERROR("h\n\"ab\"c\n", "mem.csv:2:1: unexpected 'c' after the closing quote");
    EXPECT_ERROR("x,y,\"ab\"c\n", "mem.csv:1:3: unexpected 'c' after the closing quote; "
                                  "expected ',' or the end of the line");
    EXPECT_ERROR("\"a\" ,b\n", "mem.csv:1:1: unexpected ' ' after the closing quote");
    EXPECT_ERROR("\"a\"\"\"b\n", "mem.csv:1:1: unexpected 'b'");
    EXPECT_ERROR("\"a\"\rb\n", "mem.csv:1:1: unexpected byte 0x0D after the closing quote");
    EXPECT_ERROR("\"a\"\r", "mem.csv:1:1: unexpected byte 0x0D");
    /* The slow path (a field with a doubled quote) checks the same thing. */
    EXPECT_ERROR("\"a\"\"b\"c\n", "mem.csv:1:1: unexpected 'c'");
    /* After a multi-line field the error is on the line of the closing quote. */
    EXPECT_ERROR("\"a\nb\"c\n", "mem.csv:2:1: unexpected 'c'");
    EXPECT_ERROR("ab\"c\n", "mem.csv:1:1: '\"' inside an unquoted field");
    EXPECT_ERROR("a,b\nc,d\"\n", "mem.csv:2:2: '\"' inside an unquoted field; expected the "
                                 "whole field in quotes");
    EXPECT_ERROR(" \"a\"\n", "mem.csv:1:1: '\"' inside an unquoted field");
}

static void test_unterminated_quote(void **state)
{
    (void)state;
    /* Reported where the quote opened, not at the end of the file. */
    EXPECT_ERROR("a,b\nc,\"d\ne\nf\n", "mem.csv:2:2: quoted field opened here is never "
                                       "closed; expected a closing '\"' before the end of the "
                                       "file");
    EXPECT_ERROR("\"", "mem.csv:1:1: quoted field opened here is never closed");
    EXPECT_ERROR("\"abc\"\"", "mem.csv:1:1: quoted field opened here is never closed");
    EXPECT_ERROR("x\n\"\n\n\n", "mem.csv:2:1: quoted field opened here is never closed");
}

static void test_error_is_final(void **state)
{
    ri_csv *csv;
    ri_csv_record rec;
    ri_error err;
    const char text[] = "ok\nb\"ad\nfine\n";

    (void)state;
    assert_int_equal(ri_csv_open_mem("mem.csv", text, sizeof text - 1, &csv, &err), RI_RC_OK);
    assert_int_equal(ri_csv_next(csv, &rec, &err), 1);
    assert_int_equal(ri_csv_next(csv, &rec, &err), -1);
    assert_non_null(strstr(err.msg, "mem.csv:2:1:"));
    ri_error_clear(&err);
    assert_int_equal(ri_csv_next(csv, &rec, &err), -1);
    assert_int_equal(err.code, RI_RC_DATA);
    assert_non_null(strstr(err.msg, "mem.csv: cannot read further after an earlier error"));
    ri_csv_close(csv);
}

static void test_fields_point_into_input(void **state)
{
    const char text[] = "ab,\"cd\",\"e\"\"f\"\n";
    ri_csv *csv;
    ri_csv_record rec;
    ri_error err;

    (void)state;
    assert_int_equal(ri_csv_open_mem("mem.csv", text, sizeof text - 1, &csv, &err), RI_RC_OK);
    assert_int_equal(ri_csv_next(csv, &rec, &err), 1);
    assert_int_equal(rec.n_fields, 3);
    /* Unquoted and plain quoted fields are not copied ... */
    assert_ptr_equal(rec.fields[0].ptr, text);
    assert_ptr_equal(rec.fields[1].ptr, text + 4);
    /* ... a field with a doubled quote is unescaped elsewhere. */
    assert_true(rec.fields[2].ptr < text || rec.fields[2].ptr >= text + sizeof text);
    assert_memory_equal(rec.fields[2].ptr, "e\"f", 3);
    assert_int_equal(ri_csv_size(csv), sizeof text - 1);
    assert_string_equal(ri_csv_name(csv), "mem.csv");
    ri_csv_close(csv);
}

/*
 * Many unescaped fields in one record make the scratch buffer grow several
 * times; every field must still read correctly (and ASan sees any pointer
 * left into a freed buffer).
 */
static void test_scratch_growth(void **state)
{
    enum { N = 400 };
    size_t cap = (size_t)N * 64, n = 0, i;
    char *text = malloc(cap);
    ri_csv *csv;
    ri_csv_record rec;
    ri_error err;

    (void)state;
    assert_non_null(text);
    for (i = 0; i < N; i++)
        n += (size_t)snprintf(text + n, cap - n, "%s\"f%zu \"\"q\"\" %0*zu\"", i ? "," : "", i,
                              (int)(i % 40), i);
    text[n++] = '\n';
    assert_int_equal(ri_csv_open_mem("mem.csv", text, n, &csv, &err), RI_RC_OK);
    assert_int_equal(ri_csv_next(csv, &rec, &err), 1);
    assert_int_equal(rec.n_fields, N);
    for (i = 0; i < N; i++) {
        char want[80];
        int len = snprintf(want, sizeof want, "f%zu \"q\" %0*zu", i, (int)(i % 40), i);
        assert_int_equal(rec.fields[i].len, (size_t)len);
        assert_memory_equal(rec.fields[i].ptr, want, (size_t)len);
        assert_int_equal(rec.fields[i].quoted, 1);
    }
    assert_int_equal(ri_csv_next(csv, &rec, &err), 0);
    ri_csv_close(csv);
    free(text);
}

/*
 * Random records, serialised by the rules of RFC 4180, read back field by
 * field. Field lengths up to 150 bytes put separators, quotes and UTF-8
 * sequences on every side of the reader's 64-byte windows.
 */
static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static unsigned rnd(unsigned n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((rng >> 33) % n);
}

typedef struct gen_field {
    size_t off, len; /* the expected text, in want[] */
    int quoted;
} gen_field;

static void test_random_roundtrip(void **state)
{
    static const char *const pieces[] = {"a", "Z", "0", " ", "\xC3\xB4", "\xE2\x80\x94",
                                         "\xF0\x9F\x98\x80", "\r", ",", "\"", "\n", "\r\n"};
    enum { ROUNDS = 300, MAX_REC = 30, MAX_FIELDS = 12 };
    int round;

    (void)state;
    for (round = 0; round < ROUNDS; round++) {
        size_t cap = 1 << 20, n = 0, wn = 0, nf_total = 0, k;
        char *text = malloc(cap), *want = malloc(cap);
        gen_field *gf = malloc(sizeof *gf * MAX_REC * MAX_FIELDS);
        size_t rec_fields[MAX_REC];
        unsigned long rec_line[MAX_REC], line = 1;
        unsigned r, n_rec = 1 + rnd(MAX_REC);
        ri_csv *csv;
        ri_csv_record rec;
        ri_error err;

        assert_true(text && want && gf);
        for (r = 0; r < n_rec; r++) {
            unsigned f, nf = 1 + rnd(MAX_FIELDS);

            while (rnd(6) == 0) { /* blank lines between records */
                const char *eol = rnd(2) ? "\n" : "\r\n";
                memcpy(text + n, eol, strlen(eol));
                n += strlen(eol);
                line++;
            }
            rec_line[r] = line;
            rec_fields[r] = nf;
            for (f = 0; f < nf; f++) {
                gen_field *g = &gf[nf_total++];
                unsigned p, len = rnd(5) == 0 ? rnd(150) : rnd(8);

                g->quoted = rnd(3) == 0;
                g->off = wn;
                if (f)
                    text[n++] = ',';
                if (g->quoted)
                    text[n++] = '"';
                for (p = 0; p < len; p++) {
                    /* Unquoted fields take only the first 8 pieces: no separators,
                     * no quotes, no LF. */
                    const char *s = pieces[rnd(g->quoted ? 12 : 8)];
                    size_t sl = strlen(s);

                    memcpy(want + wn, s, sl);
                    wn += sl;
                    if (g->quoted && s[0] == '"')
                        text[n++] = '"';
                    memcpy(text + n, s, sl);
                    n += sl;
                    if (g->quoted)
                        line += s[sl - 1] == '\n';
                }
                /* A CR ending an unquoted field would make a CR LF line end. */
                if (!g->quoted && wn > g->off && want[wn - 1] == '\r')
                    want[wn++] = text[n++] = 'a';
                if (g->quoted)
                    text[n++] = '"';
                g->len = wn - g->off;
                /* An unquoted record of one empty field would be a blank line. */
                if (nf == 1 && !g->quoted && g->len == 0)
                    g->quoted = 1, text[n++] = '"', text[n++] = '"';
                assert_true(n < cap - 1024 && wn < cap - 1024);
            }
            if (r + 1 < n_rec || rnd(2)) {
                const char *eol = rnd(2) ? "\n" : "\r\n";
                memcpy(text + n, eol, strlen(eol));
                n += strlen(eol);
                line++;
            }
        }

        assert_int_equal(ri_csv_open_mem("gen.csv", text, n, &csv, &err), RI_RC_OK);
        k = 0;
        for (r = 0; r < n_rec; r++) {
            size_t f;
            int got = ri_csv_next(csv, &rec, &err);
            if (got != 1)
                fail_msg("round %d record %u: got %d (%s)", round, r, got, err.msg);
            assert_int_equal(rec.line, rec_line[r]);
            assert_int_equal(rec.n_fields, rec_fields[r]);
            for (f = 0; f < rec.n_fields; f++, k++) {
                assert_int_equal(rec.fields[f].quoted, gf[k].quoted);
                assert_int_equal(rec.fields[f].len, gf[k].len);
                assert_memory_equal(rec.fields[f].ptr, want + gf[k].off, gf[k].len);
            }
        }
        assert_int_equal(ri_csv_next(csv, &rec, &err), 0);
        ri_csv_close(csv);
        free(text);
        free(want);
        free(gf);
    }
}

/* ------------------------------------------------------------------ hostile sizes */

static void test_megabyte_field(void **state)
{
    const size_t big = 1u << 20;
    size_t n = 0, i;
    char *text = malloc(3 * big + 16);
    ri_csv *csv;
    ri_csv_record rec;
    ri_error err;

    (void)state;
    assert_non_null(text);
    /* Record 1: one unquoted 1 MiB field of 'a'. */
    memset(text, 'a', big);
    n = big;
    text[n++] = '\n';
    /* Record 2: a quoted field of 2^19 doubled quotes, i.e. 2^19 quote
     * characters once unescaped, then ",z". */
    text[n++] = '"';
    for (i = 0; i < big / 2; i++) {
        text[n++] = '"';
        text[n++] = '"';
    }
    text[n++] = '"';
    memcpy(text + n, ",z\n", 3);
    n += 3;

    assert_int_equal(ri_csv_open_mem("big.csv", text, n, &csv, &err), RI_RC_OK);
    assert_int_equal(ri_csv_next(csv, &rec, &err), 1);
    assert_int_equal(rec.n_fields, 1);
    assert_int_equal(rec.fields[0].len, big);
    assert_int_equal(rec.fields[0].ptr[big - 1], 'a');
    assert_int_equal(ri_csv_next(csv, &rec, &err), 1);
    assert_int_equal(rec.line, 2);
    assert_int_equal(rec.n_fields, 2);
    assert_int_equal(rec.fields[0].len, big / 2);
    for (i = 0; i < big / 2; i++)
        if (rec.fields[0].ptr[i] != '"')
            fail_msg("byte %zu of the unescaped field is 0x%02x", i, rec.fields[0].ptr[i]);
    assert_memory_equal(rec.fields[1].ptr, "z", 1);
    assert_int_equal(ri_csv_next(csv, &rec, &err), 0);
    ri_csv_close(csv);
    free(text);
}

/* n empty fields: n - 1 commas and a newline. */
static char *commas(size_t n_fields, size_t *len)
{
    char *text = malloc(n_fields + 1);

    assert_non_null(text);
    memset(text, ',', n_fields - 1);
    text[n_fields - 1] = '\n';
    *len = n_fields;
    return text;
}

static void test_wide_records(void **state)
{
    enum { COLS = 100000 };
    size_t cap = (size_t)COLS * 8, n = 0, i, len;
    char *text = malloc(cap);
    ri_csv *csv;
    ri_csv_record rec;
    ri_error err;

    (void)state;
    assert_non_null(text);
    for (i = 0; i < COLS; i++)
        n += (size_t)snprintf(text + n, cap - n, "%s%zu", i ? "," : "", i);
    text[n++] = '\n';
    memcpy(text + n, "next\n", 5);
    n += 5;
    assert_int_equal(ri_csv_open_mem("wide.csv", text, n, &csv, &err), RI_RC_OK);
    assert_int_equal(ri_csv_next(csv, &rec, &err), 1);
    assert_int_equal(rec.n_fields, COLS);
    assert_memory_equal(rec.fields[0].ptr, "0", 1);
    assert_int_equal(rec.fields[12345].len, 5);
    assert_memory_equal(rec.fields[12345].ptr, "12345", 5);
    assert_memory_equal(rec.fields[COLS - 1].ptr, "99999", 5);
    assert_int_equal(ri_csv_next(csv, &rec, &err), 1);
    assert_int_equal(rec.line, 2);
    assert_int_equal(rec.n_fields, 1);
    ri_csv_close(csv);
    free(text);

    /* Exactly the cap of 1,000,000 fields is accepted. */
    text = commas(1000000, &len);
    assert_int_equal(ri_csv_open_mem("wide.csv", text, len, &csv, &err), RI_RC_OK);
    assert_int_equal(ri_csv_next(csv, &rec, &err), 1);
    assert_int_equal(rec.n_fields, 1000000);
    ri_csv_close(csv);
    free(text);
}

static void test_too_many_fields(void **state)
{
    size_t len;
    char *text = commas(1000001, &len);

    (void)state;
    expect_error(text, len, "mem.csv:1:1000001: more than 1000000 fields in one record; "
                            "expected at most 1000000");
    free(text);
}

/* ------------------------------------------------------------------ files */

typedef struct bad_file {
    const char *name;
    const char *message;
} bad_file;

static const bad_file bad_files[] = {
    {"csv_unterminated_quote.csv", "csv_unterminated_quote.csv:3:2: quoted field opened here "
                                   "is never closed"},
    {"csv_text_after_quote.csv", "csv_text_after_quote.csv:2:3: unexpected 'c' after the "
                                 "closing quote"},
    {"csv_quote_in_field.csv", "csv_quote_in_field.csv:4:2: '\"' inside an unquoted field"},
    {"csv_overlong.csv", "csv_overlong.csv:2:2: invalid UTF-8 in field; expected UTF-8 text"},
    {"csv_surrogate.csv", "csv_surrogate.csv:3:1: invalid UTF-8 in field"},
    {"csv_truncated_utf8.csv", "csv_truncated_utf8.csv:2:3: invalid UTF-8 in field"},
    {"csv_truncated_at_eof.csv", "csv_truncated_at_eof.csv:3:2: invalid UTF-8 in field"},
    {"csv_above_max.csv", "csv_above_max.csv:2:1: invalid UTF-8 in field"},
    {"csv_lone_continuation.csv", "csv_lone_continuation.csv:2:4: invalid UTF-8 in field"},
    {"csv_latin1.csv", "csv_latin1.csv:2:2: invalid UTF-8 in field"},
    {"csv_nul.csv", "csv_nul.csv:3:2: NUL byte in field; expected text"},
    {"csv_bad_utf8_in_quotes.csv", "csv_bad_utf8_in_quotes.csv:3:2: invalid UTF-8 in field"},
    {"csv_error_after_multiline.csv", "csv_error_after_multiline.csv:5:3: '\"' inside an "
                                      "unquoted field"},
    {"csv_cr_after_quote.csv", "csv_cr_after_quote.csv:2:1: unexpected byte 0x0D after the "
                               "closing quote"},
};

static void test_bad_corpus(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad_files / sizeof bad_files[0]; i++) {
        char rel[128], *path;
        ri_csv *csv;
        ri_csv_record rec;
        ri_error err;
        int got;

        snprintf(rel, sizeof rel, "tests/data/bad/%s", bad_files[i].name);
        path = path_in_srcdir(rel);
        if (ri_csv_open(path, &csv, &err) != RI_RC_OK)
            fail_msg("%s: %s", path, err.msg);
        while ((got = ri_csv_next(csv, &rec, &err)) == 1)
            ;
        if (got != -1)
            fail_msg("%s: read to the end without an error", path);
        assert_int_equal(err.code, RI_RC_DATA);
        if (!strstr(err.msg, bad_files[i].message))
            fail_msg("%s: message \"%s\" does not contain \"%s\"", bad_files[i].name, err.msg,
                     bad_files[i].message);
        /* The message names the file as it was opened. */
        assert_ptr_equal(strstr(err.msg, path), err.msg);
        ri_csv_close(csv);
        free(path);
    }
}

static void expect_file(const char *rel, const char *want)
{
    char *path = path_in_srcdir(rel), out[4096];
    size_t n = 0;
    ri_csv *csv;
    ri_csv_record rec;
    ri_error err;
    int got;

    if (ri_csv_open(path, &csv, &err) != RI_RC_OK)
        fail_msg("%s: %s", path, err.msg);
    out[0] = '\0';
    while ((got = ri_csv_next(csv, &rec, &err)) == 1) {
        size_t i;
        n += (size_t)snprintf(out + n, sizeof out - n, "%s%lu:", n ? "|" : "", rec.line);
        for (i = 0; i < rec.n_fields; i++)
            n += (size_t)snprintf(out + n, sizeof out - n, "%c%.*s%c",
                                  rec.fields[i].quoted ? '{' : '[', (int)rec.fields[i].len,
                                  rec.fields[i].ptr, rec.fields[i].quoted ? '}' : ']');
        assert_true(n < sizeof out);
    }
    if (got != 0)
        fail_msg("%s: %s", path, err.msg);
    assert_string_equal(out, want);
    assert_string_equal(ri_csv_name(csv), path);
    ri_csv_close(csv);
    free(path);
}

static void test_good_corpus(void **state)
{
    (void)state;
    /* BOM, CRLF, a quoted CRLF, trailing blank CRLF lines. */
    expect_file("tests/data/good/csv_bom_crlf.csv",
                "1:[area][name][value]|2:[E06000001]{Hartlepool, Borough}[1]"
                "|3:[E06000002]{two\r\nlines}[2]");
    /* Leading blank lines, doubled quotes, a three-line field, no final newline. */
    expect_file("tests/data/good/csv_multiline.csv",
                "3:[id][text]|4:[1]{He said \"hi\"}|6:[2]{a\nb\nc}|9:[3]{}|10:[4][last]");
    expect_file("tests/data/good/csv_utf8.csv",
                "1:[area][name]|2:[W06000001][Ynys M\xC3\xB4n]"
                "|3:[W06000016][Rhondda Cynon Taf \xE2\x80\x94 Rhondda Cynon Taff]"
                "|4:[X]{\xE2\x82\xAC \xE2\x98\x83 \xF0\x9D\x84\x9E \xF0\x9F\x98\x80}");
}

static void test_file_size_and_name(void **state)
{
    char *path = path_in_srcdir("tests/data/good/csv_multiline.csv");
    struct stat st;
    ri_csv *csv;
    ri_error err;

    (void)state;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(ri_csv_open(path, &csv, &err), RI_RC_OK);
    assert_int_equal(ri_csv_size(csv), (size_t)st.st_size);
    assert_string_equal(ri_csv_name(csv), path);
    ri_csv_close(csv);
    free(path);
}

/* A private directory under /tmp for files the tests create. */
static int make_tmpdir(void **state)
{
    char *dir = strdup("/tmp/ri_test_csv_XXXXXX");

    if (!dir || !mkdtemp(dir)) {
        free(dir);
        return -1;
    }
    *state = dir;
    return 0;
}

static int remove_tmpdir(void **state)
{
    char *dir = *state;
    int rc = rmdir(dir);

    free(dir);
    return rc;
}

/* A path inside the test's directory; paths longer than PATH_BUF are a test setup error. */
enum { PATH_BUF = 512 };

static void tmp_path(char *out, const char *dir, const char *name)
{
    int n = snprintf(out, PATH_BUF, "%s/%s", dir, name);

    assert_true(n > 0 && n < PATH_BUF);
}

static void expect_open_error(const char *path, const char *want)
{
    ri_csv *csv = (ri_csv *)&csv; /* any non-NULL value: a failed open must reset it */
    ri_error err;

    ri_error_clear(&err);
    assert_int_equal(ri_csv_open(path, &csv, &err), RI_RC_DATA);
    assert_null(csv);
    assert_int_equal(err.code, RI_RC_DATA);
    if (!strstr(err.msg, want))
        fail_msg("message \"%s\" does not contain \"%s\"", err.msg, want);
}

static void test_refuses_directory(void **state)
{
    const char *dir = *state;
    char want[512];

    snprintf(want, sizeof want, "%s: is a directory; expected a CSV file", dir);
    expect_open_error(dir, want);
}

static void test_refuses_fifo(void **state)
{
    char fifo[PATH_BUF], want[PATH_BUF + 64];

    tmp_path(fifo, *state, "pipe.csv");

    assert_int_equal(mkfifo(fifo, 0600), 0);
    /* Opening must not block waiting for a writer. */
    snprintf(want, sizeof want, "%s: is a FIFO (named pipe); expected a regular CSV file", fifo);
    expect_open_error(fifo, want);
    assert_int_equal(unlink(fifo), 0);
}

static void test_refuses_device(void **state)
{
    (void)state;
    expect_open_error("/dev/null", "/dev/null: is a device; expected a regular CSV file");
}

static void test_missing_file(void **state)
{
    char path[PATH_BUF], want[PATH_BUF + 32];

    tmp_path(path, *state, "absent.csv");
    snprintf(want, sizeof want, "%s: cannot open: ", path);
    expect_open_error(path, want);
    expect_open_error(path, "; expected a readable CSV file");
}

static void test_empty_file(void **state)
{
    char path[PATH_BUF];
    FILE *f;
    ri_csv *csv;
    ri_csv_record rec;
    ri_error err;

    tmp_path(path, *state, "empty.csv");
    f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(ri_csv_open(path, &csv, &err), RI_RC_OK);
    assert_int_equal(ri_csv_size(csv), 0);
    assert_int_equal(ri_csv_next(csv, &rec, &err), 0);
    ri_csv_close(csv);
    assert_int_equal(unlink(path), 0);
}

/*
 * A file cut short by another process while it is read: its vanished pages
 * would raise SIGBUS and kill the process (exit 135). 2 MB of rows, cut to
 * one page after the first record.
 */
static void test_file_truncated_while_read(void **state)
{
    char path[PATH_BUF], want[PATH_BUF + 128];
    FILE *f;
    ri_csv *csv;
    ri_csv_record rec;
    ri_error err;
    int got;

    tmp_path(path, *state, "shrinks.csv");
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("code,period,value\n", f);
    for (int i = 0; i < 100000; i++)
        fprintf(f, "E%08d,2019,%d\n", i, i);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(ri_csv_open(path, &csv, &err), RI_RC_OK);
    assert_int_equal(ri_csv_next(csv, &rec, &err), 1);
    assert_int_equal(truncate(path, 4096), 0);
    while ((got = ri_csv_next(csv, &rec, &err)) == 1)
        ;
    assert_int_equal(got, -1);
    assert_int_equal(err.code, RI_RC_DATA);
    snprintf(want, sizeof want, "%s: the file shrank while it was being read (it had %zu bytes when opened)", path,
             ri_csv_size(csv));
    if (!strstr(err.msg, want))
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, want);
    ri_csv_close(csv);
    assert_int_equal(unlink(path), 0);
}

/* A file whose size is an exact multiple of the reader's 64-byte window. */
static void test_file_of_window_size(void **state)
{
    char path[PATH_BUF], text[128];
    FILE *f;
    ri_csv *csv;
    ri_csv_record rec;
    ri_error err;

    tmp_path(path, *state, "w64.csv");
    memset(text, 'q', sizeof text);
    text[63] = ',';
    text[127] = '\n';
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, sizeof text, f), sizeof text);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(ri_csv_open(path, &csv, &err), RI_RC_OK);
    assert_int_equal(ri_csv_next(csv, &rec, &err), 1);
    assert_int_equal(rec.n_fields, 2);
    assert_int_equal(rec.fields[0].len, 63);
    assert_int_equal(rec.fields[1].len, 63);
    assert_int_equal(ri_csv_next(csv, &rec, &err), 0);
    ri_csv_close(csv);
    assert_int_equal(unlink(path), 0);
}

/* ------------------------------------------------------------------ halves */

/* The records of section [from, to) of csv, described as describe() does. */
static void describe_section(const ri_csv *csv, ri_csv_mark from, size_t to, char *out, size_t cap)
{
    ri_csv *s = NULL;
    ri_csv_record rec;
    ri_error err;
    size_t n = 0;
    int got;

    assert_int_equal(ri_csv_section(csv, from, to, &s, &err), RI_RC_OK);
    out[0] = '\0';
    while ((got = ri_csv_next(s, &rec, &err)) == 1) {
        n += (size_t)snprintf(out + n, cap - n, "%s%lu:", n ? "|" : "", rec.line);
        for (size_t i = 0; i < rec.n_fields; i++)
            n += (size_t)snprintf(out + n, cap - n, "%c%.*s%c", rec.fields[i].quoted ? '{' : '[',
                                  (int)rec.fields[i].len, rec.fields[i].ptr, rec.fields[i].quoted ? '}' : ']');
        assert_true(n < cap);
    }
    assert_int_equal(got, 0);
    ri_csv_close(s);
}

/*
 * The split lands after the first LF outside quotes from the given byte
 * on, and the two sections read the same records, with the same line
 * numbers, as one reader does.
 */
static void test_split_and_sections(void **state)
{
    /* Offsets: "h\n" 0-1; line 2 "a,\"x\ny\"\n" 2-9 (LF inside quotes at 5); line 4 "b,2\n" 10-13;
       line 5 "c,\"\"\"\"\n" 14-20; line 6 "d,4" 21-23. */
    static const char text[] = "h\na,\"x\ny\"\nb,2\nc,\"\"\"\"\nd,4";
    ri_csv *csv;
    ri_csv_record rec;
    ri_csv_mark start, split;
    ri_error err;
    char a[512], b[512];

    (void)state;
    assert_int_equal(ri_csv_open_mem("mem.csv", text, sizeof text - 1, &csv, &err), RI_RC_OK);
    assert_int_equal(ri_csv_next(csv, &rec, &err), 1);
    start = ri_csv_tell(csv);
    assert_int_equal(start.pos, 2);
    assert_int_equal(start.line, 2);

    /* From byte 4 the LF at 5 is inside quotes (one quote before it); the next, at 9, is not. */
    assert_int_equal(ri_csv_split(csv, start, 4, &split), 0);
    assert_int_equal(split.pos, 10);
    assert_int_equal(split.line, 4);
    describe_section(csv, start, split.pos, a, sizeof a);
    assert_string_equal(a, "2:[a]{x\ny}");
    describe_section(csv, split, sizeof text - 1, b, sizeof b);
    assert_string_equal(b, "4:[b][2]|5:[c]{\"}|6:[d][4]");

    /* Doubled quotes keep the count even: from byte 15 the split is after line 5. */
    assert_int_equal(ri_csv_split(csv, start, 15, &split), 0);
    assert_int_equal(split.pos, 21);
    assert_int_equal(split.line, 6);

    /* No LF after byte 21: no split. */
    assert_int_equal(ri_csv_split(csv, start, 21, &split), -1);
    ri_csv_close(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple),
        cmocka_unit_test(test_quoted_commas),
        cmocka_unit_test(test_doubled_quotes),
        cmocka_unit_test(test_newline_in_quotes),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_bare_cr),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_blank_lines),
        cmocka_unit_test(test_no_final_newline),
        cmocka_unit_test(test_empty_fields),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_valid_utf8),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_nul),
        cmocka_unit_test(test_split_and_sections),
        cmocka_unit_test(test_quote_errors),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_error_is_final),
        cmocka_unit_test(test_fields_point_into_input),
        cmocka_unit_test(test_scratch_growth),
        cmocka_unit_test(test_random_roundtrip),
        cmocka_unit_test(test_megabyte_field),
        cmocka_unit_test(test_wide_records),
        cmocka_unit_test(test_too_many_fields),
        cmocka_unit_test(test_bad_corpus),
        cmocka_unit_test(test_good_corpus),
        cmocka_unit_test(test_file_size_and_name),
        cmocka_unit_test_setup_teardown(test_refuses_directory, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_refuses_fifo, make_tmpdir, remove_tmpdir),
        cmocka_unit_test(test_refuses_device),
        cmocka_unit_test_setup_teardown(test_missing_file, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_empty_file, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_file_truncated_while_read, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_file_of_window_size, make_tmpdir, remove_tmpdir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
