/*
 * csv.h — an RFC 4180 record reader over a memory-mapped file or a buffer.
 *
 * Owns tokenising: quoted fields (commas, doubled quotes, newlines inside
 * quotes), CRLF or LF line ends, a leading UTF-8 byte-order mark, blank
 * lines (skipped), and UTF-8 validation of every field. It knows nothing of
 * headers, layouts or numbers; dataset.c gives records their meaning.
 *
 * Fields point into the mapped file, or into the reader's scratch buffer for
 * quoted fields that needed unescaping; they stay valid until the next call
 * to ri_csv_next() or ri_csv_close(). Errors carry "FILE:LINE:COLUMN: ...".
 *
 * Other readers of tables (xlsx.c) hand their rows out through the same
 * reader as a record source, so dataset.c reads every format alike.
 */
#ifndef RI_CSV_H
#define RI_CSV_H

#include <stddef.h>

#include "error.h"

typedef struct ri_csv ri_csv;

typedef struct ri_csv_field {
    const char *ptr; /* not NUL-terminated */
    size_t len;
    int quoted;      /* 1 when the field was enclosed in double quotes */
} ri_csv_field;

typedef struct ri_csv_record {
    const ri_csv_field *fields;
    size_t n_fields;
    unsigned long line; /* 1-based physical line where the record starts */
} ri_csv_record;

/* Strip white space (isspace() in the C locale: space, \t \n \v \f \r) from both ends
   of a field. Inline and locale-free because readers trim every key of
   millions of rows. */
static inline void ri_csv_trim(const char **s, size_t *len)
{
    while (*len && (**s == ' ' || (**s >= '\t' && **s <= '\r'))) {
        (*s)++;
        (*len)--;
    }
    while (*len && ((*s)[*len - 1] == ' ' || ((*s)[*len - 1] >= '\t' && (*s)[*len - 1] <= '\r')))
        (*len)--;
}

/* Open and map a file. Refuses directories, FIFOs and other non-regular files. */
ri_rc ri_csv_open(const char *path, ri_csv **out, ri_error *err);

/* Read from a caller-owned buffer that must outlive the reader; name is used in messages. */
ri_rc ri_csv_open_mem(const char *name, const char *buf, size_t len, ri_csv **out,
                      ri_error *err);

/*
 * Records produced elsewhere: next() follows ri_csv_next()'s contract, rewind()
 * starts again from the first record, close() frees ctx. A source has no
 * byte offsets: ri_csv_size() is 0 and ri_csv_split() finds no split, so it
 * is read by one reader. The reader owns ctx from the call on, even when
 * the call fails.
 */
typedef struct ri_csv_source {
    int (*next)(void *ctx, ri_csv_record *rec, ri_error *err);
    void (*rewind)(void *ctx);
    void (*close)(void *ctx);
} ri_csv_source;

ri_rc ri_csv_open_source(const char *name, const ri_csv_source *src, void *ctx, ri_csv **out,
                         ri_error *err);

/* 1: *rec holds the next record; 0: end of input; -1: error in err. */
int ri_csv_next(ri_csv *csv, ri_csv_record *rec, ri_error *err);

/* Start again from the first record (for readers that make two passes). */
void ri_csv_rewind(ri_csv *csv);

/* Where a record starts: a byte offset and its physical line. */
typedef struct ri_csv_mark {
    size_t pos;
    unsigned long line;
} ri_csv_mark;

/* Where the record after the last one read starts. */
ri_csv_mark ri_csv_tell(const ri_csv *csv);

/*
 * A second reader over the records of csv's input from `from` (a mark from
 * ri_csv_tell) up to byte `to` (another mark's pos, or the size), with the
 * same name and line numbers, so that two threads can read two halves of a
 * file. It shares csv's input, which must outlive it; close it with
 * ri_csv_close().
 */
ri_rc ri_csv_section(const ri_csv *csv, ri_csv_mark from, size_t to, ri_csv **out, ri_error *err);

/*
 * A likely record start at or after byte `near`, for splitting the records
 * after `from` in two: just past the first LF from `near` on with an even
 * number of double quotes between `from` and it, which in RFC 4180 only a
 * record end can be. A stray quote inside an unquoted field can mislead the
 * count, so the caller must check that the records before the split end
 * exactly there (a reader of the section [from, split) ends without error).
 * 0 on success; -1 when there is no such LF or a NUL byte comes first.
 * The pages counted before `near` are handed back as it goes.
 */
int ri_csv_split(const ri_csv *csv, ri_csv_mark from, size_t near, ri_csv_mark *split);

const char *ri_csv_name(const ri_csv *csv);

/* Size of the input in bytes (for progress and manifests). */
size_t ri_csv_size(const ri_csv *csv);

void ri_csv_close(ri_csv *csv);

#endif
