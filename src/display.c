/* display.c — numbers and names for people (see display.h). */
#include "display.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Units whose values are amounts of money or counts of things, unless they are
   counted per pound (a ratio such as jobs per GBP 1m). */
static int money_or_count(const char *unit)
{
    static const char *const first[] = {"GBP", "jobs", "persons", "people", "count", "number", "hours"};
    if (strstr(unit, "per GBP"))
        return 0;
    for (size_t k = 0; k < sizeof first / sizeof *first; k++) {
        size_t n = strlen(first[k]);
        if (strncasecmp(unit, first[k], n) == 0 && (unit[n] == '\0' || unit[n] == ' '))
            return 1;
    }
    return 0;
}

static int index_or_percent(const char *unit)
{
    return strncasecmp(unit, "index (benchmark", 16) == 0 || strchr(unit, '%') ||
           strncasecmp(unit, "percent", 7) == 0;
}

int ri_display_decimals(const char *unit, double max_abs)
{
    if (!unit)
        unit = "";
    if (index_or_percent(unit))
        return 1;
    if (isnan(max_abs) || max_abs == 0)
        return 0;
    if (money_or_count(unit) && max_abs >= 100)
        return 0;
    /* Three significant digits in the largest value. */
    int d = 2 - (int)floor(log10(max_abs));
    return d < 0 ? 0 : d > 6 ? 6 : d;
}

int ri_display_decimals_of(const char *unit, const double *v, size_t n, size_t stride)
{
    double m = NAN;
    for (size_t i = 0; i < n; i++) {
        double x = fabs(v[i * stride]);
        if (isfinite(x) && (isnan(m) || x > m))
            m = x;
    }
    return ri_display_decimals(unit, m);
}

void ri_display_number(double v, int decimals, char buf[RI_DISPLAY_NUM_MAX])
{
    char raw[RI_DISPLAY_NUM_MAX], *out = buf;
    size_t len, int_len, i = 0;

    if (isnan(v)) {
        strcpy(buf, "n/a");
        return;
    }
    if (!isfinite(v)) {
        snprintf(buf, RI_DISPLAY_NUM_MAX, "%.3g", v);
        return;
    }
    snprintf(raw, sizeof raw, "%.*f", decimals, v);
    /* A value that rounds to zero is shown without its sign. */
    if (raw[0] == '-' && strspn(raw + 1, "0.") == strlen(raw + 1))
        memmove(raw, raw + 1, strlen(raw));
    len = strlen(raw);
    int_len = strcspn(raw, ".");
    if (raw[0] == '-') {
        *out++ = '-';
        i = 1;
    }
    for (; i < len; i++) {
        *out++ = raw[i];
        if (i < int_len - 1 && (int_len - 1 - i) % 3 == 0)
            *out++ = ',';
    }
    *out = '\0';
}

/* The length of the UTF-8 sequence at s, or 0 when it is not valid UTF-8. */
static size_t utf8_len(const unsigned char *s)
{
    size_t n;
    unsigned cp;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        n = 2, cp = s[0] & 0x1f;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        n = 3, cp = s[0] & 0x0f;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        n = 4, cp = s[0] & 0x07;
    else
        return 0;
    for (size_t k = 1; k < n; k++) {
        if ((s[k] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[k] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

size_t ri_display_width(const char *text)
{
    size_t w = 0;
    for (const unsigned char *s = (const unsigned char *)text; *s; w++) {
        size_t n = utf8_len(s);
        s += n ? n : 1;
    }
    return w;
}

char *ri_display_safe(const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    char *out = malloc(strlen(text) * 4 + 1), *o = out;
    if (!out)
        return NULL;
    while (*s) {
        size_t n = utf8_len(s);
        int control = n == 1 ? (*s < 0x20 || *s == 0x7f) : n == 2 && s[0] == 0xc2 && s[1] < 0xa0;
        if (n == 0 || control) {
            /* A C1 control is escaped as its code point, an invalid byte as itself. */
            unsigned code = n == 2 ? s[1] : *s;
            o += sprintf(o, "\\x%02x", code);
            s += n ? n : 1;
            continue;
        }
        memcpy(o, s, n);
        o += n;
        s += n;
    }
    *o = '\0';
    return out;
}

void ri_display_xml(FILE *f, const char *text)
{
    char *safe = ri_display_safe(text);
    for (const char *p = safe ? safe : ""; *p; p++)
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*p, f);
        }
    free(safe);
}

void ri_display_cell(FILE *f, const char *text, size_t width, int right)
{
    size_t w = ri_display_width(text);
    if (w > width) {
        /* Keep width - 1 characters, then the ellipsis. */
        const unsigned char *s = (const unsigned char *)text;
        for (size_t k = 0; k + 1 < width; k++) {
            size_t n = utf8_len(s);
            fwrite(s, 1, n ? n : 1, f);
            s += n ? n : 1;
        }
        if (width)
            fputs("\xe2\x80\xa6", f);
        return;
    }
    if (right)
        fprintf(f, "%*s%s", (int)(width - w), "", text);
    else
        fprintf(f, "%s%*s", text, (int)(width - w), "");
}

void ri_display_wrap(FILE *f, const char *text, size_t indent, size_t width)
{
    size_t used = 0;
    const char *s = text;
    while (*s) {
        size_t n = strcspn(s, " "), w;
        char *word = malloc(n + 1);
        if (!word)
            return;
        memcpy(word, s, n);
        word[n] = '\0';
        w = ri_display_width(word);
        if (used && used + 1 + w > width) {
            fputc('\n', f);
            used = 0;
        }
        if (!used) {
            fprintf(f, "%*s", (int)indent, "");
            used = indent;
        } else {
            fputc(' ', f);
            used++;
        }
        fputs(word, f);
        used += w;
        free(word);
        s += n;
        while (*s == ' ')
            s++;
    }
    fputc('\n', f);
}

size_t ri_display_columns(void)
{
    const char *c = getenv("COLUMNS");
    char *end;
    unsigned long n;
    if (c && isdigit((unsigned char)*c)) {
        n = strtoul(c, &end, 10);
        if (!*end && n >= 40 && n <= 1000)
            return (size_t)n;
    }
    return 100;
}
