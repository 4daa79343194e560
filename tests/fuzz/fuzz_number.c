/*
 * fuzz_number.c — one cell through ri_parse_cell, against number.h's grammar
 * written out again here and against strtod().
 *
 * The first byte picks the quoting and whether the job adds markers of its
 * own; the rest is the cell. Promises checked: a missing marker is exactly
 * a marker's text; a number is finite, follows the grammar and has the
 * value strtod() gives the same digits (number.c's fast path must round
 * exactly like it); every cell the grammar accepts within the length limit
 * with a finite value (and not a nonzero one that rounds to 0) is a number;
 * anything else leaves NaN.
 */
#include "fuzz.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"

/* Mirrors CELL_MAX in number.c: longer cells are refused whatever they hold. */
#define CELL_LIMIT 300

static const char *const builtin[] = {"", "..", ":", "-", "x", "c", "[u]", "[c]", "[x]", "[low]"};
static const char *const extra[] = {"n/a", "NA", "999", "-"};

static int digit(char c)
{
    return c >= '0' && c <= '9';
}

/* number.h's grammar, independently: [+-] (digits | d{1,3}(,ddd)+ when quoted) [. digits] [(e|E) [+-] digits],
 * or [+-] . digits [exponent]; at least one digit in the mantissa. */
static int grammar(const char *s, size_t len, int quoted)
{
    size_t i = 0, lead = 0, frac = 0;

    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    while (i < len && digit(s[i])) {
        i++;
        lead++;
    }
    if (quoted && i < len && s[i] == ',') {
        if (lead < 1 || lead > 3)
            return 0;
        while (i < len && s[i] == ',') {
            if (len - i < 4 || !digit(s[i + 1]) || !digit(s[i + 2]) || !digit(s[i + 3]))
                return 0;
            i += 4;
            lead += 3;
        }
        if (i < len && digit(s[i]))
            return 0;
    }
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && digit(s[i])) {
            i++;
            frac++;
        }
    }
    if (lead + frac == 0)
        return 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t start;
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        start = i;
        while (i < len && digit(s[i]))
            i++;
        if (i == start)
            return 0;
    }
    return i == len;
}

/* strtod() of the cell with its grouping commas removed; the C locale is in force. */
static double reference_value(const char *s, size_t len, int *finite)
{
    char *copy = malloc(len + 1), *endp;
    size_t n = 0;
    int nonzero = 0, in_exponent = 0;
    double v;

    if (!copy)
        ri_fuzz_fail("out of memory");
    for (size_t i = 0; i < len; i++) {
        in_exponent |= s[i] == 'e' || s[i] == 'E';
        nonzero |= !in_exponent && s[i] >= '1' && s[i] <= '9';
        if (s[i] != ',')
            copy[n++] = s[i];
    }
    copy[n] = '\0';
    v = strtod(copy, &endp);
    if (*endp != '\0')
        ri_fuzz_fail("strtod did not take all of \"%s\", which the grammar accepts", copy);
    free(copy);
    /* Within the double range both ways: a nonzero number that rounds to 0 is out too. */
    *finite = isfinite(v) && !(v == 0 && nonzero);
    return v;
}

int ri_fuzz_number(const uint8_t *data, size_t size)
{
    ri_markers markers = {extra, sizeof extra / sizeof extra[0]};
    const ri_markers *use;
    const char *s, *t;
    size_t len, tlen;
    int quoted, marker = -2, finite;
    double v = 0.0, want;
    ri_cell_kind kind;

    if (size == 0)
        return 0;
    quoted = data[0] & 1;
    use = data[0] & 2 ? &markers : NULL;
    s = (const char *)data + 1;
    len = size - 1;
    kind = ri_parse_cell(s, len, quoted, use, &v, &marker);

    t = s;
    tlen = len;
    while (tlen && t[0] == ' ') {
        t++;
        tlen--;
    }
    while (tlen && t[tlen - 1] == ' ')
        tlen--;

    if (kind != RI_CELL_NUMBER && !isnan(v))
        ri_fuzz_fail("kind %d with value %g; expected NaN", (int)kind, v);
    if ((kind == RI_CELL_MISSING) != (marker >= 0))
        ri_fuzz_fail("kind %d with marker %d", (int)kind, marker);
    if (kind == RI_CELL_MISSING) {
        const char *name = marker == 0 ? "" : ri_marker_name(use, marker);
        if (!name || strlen(name) != tlen || memcmp(name, t, tlen) != 0)
            ri_fuzz_fail("marker %d does not match the cell", marker);
        return 0;
    }
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
        if (strlen(builtin[i]) == tlen && memcmp(builtin[i], t, tlen) == 0)
            ri_fuzz_fail("built-in marker \"%s\" not recognised", builtin[i]);
    for (size_t i = 0; use && i < use->n_extra; i++)
        if (strlen(extra[i]) == tlen && memcmp(extra[i], t, tlen) == 0)
            ri_fuzz_fail("job marker \"%s\" not recognised", extra[i]);

    if (kind == RI_CELL_NUMBER) {
        if (!isfinite(v))
            ri_fuzz_fail("number %g is not finite", v);
        if (!grammar(t, tlen, quoted))
            ri_fuzz_fail("\"%.*s\" read as a number outside the grammar", (int)tlen, t);
        want = reference_value(t, tlen, &finite);
        if (memcmp(&want, &v, sizeof v) != 0)
            ri_fuzz_fail("\"%.*s\" read as %.17g; strtod gives %.17g", (int)tlen, t, v, want);
        return 0;
    }
    if (tlen <= CELL_LIMIT && grammar(t, tlen, quoted)) {
        reference_value(t, tlen, &finite);
        if (finite)
            ri_fuzz_fail("\"%.*s\" follows the grammar with a finite value but was refused",
                         (int)tlen, t);
    }
    return 0;
}

RI_FUZZ_ENTRY(ri_fuzz_number)
