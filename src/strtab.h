/*
 * strtab.h — string interning: each distinct string gets a dense index.
 *
 * Owns copies of the strings it is given (NUL-terminated) and an
 * open-addressing hash over them, keyed per run (siphash.h). Used for area codes, periods and
 * industries so datasets store small integers instead of text.
 */
#ifndef RI_STRTAB_H
#define RI_STRTAB_H

#include <stddef.h>
#include <string.h>

typedef struct ri_strtab ri_strtab;

/* Whether a[0..n) and b[0..n) are equal. Keys are a few bytes: compared
   inline, since a library memcmp call costs more than the comparison. */
static inline int ri_same_bytes(const char *a, const char *b, size_t n)
{
    if (n > 16)
        return memcmp(a, b, n) == 0;
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

ri_strtab *ri_strtab_new(size_t expected);

/* Index of s[0..len), adding it when absent; -1 when out of memory (or past 2^31 strings). */
long ri_strtab_intern(ri_strtab *t, const char *s, size_t len);

/* Index of s[0..len), or -1 when absent. */
long ri_strtab_find(const ri_strtab *t, const char *s, size_t len);

const char *ri_strtab_get(const ri_strtab *t, size_t index);
size_t ri_strtab_count(const ri_strtab *t);
void ri_strtab_free(ri_strtab *t);

#endif
