/* derive.c — evaluation of derived-measure expressions (see derive.h). */
#include "derive.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct operand {
    const double *col; /* NULL for a constant */
    double k;
} operand;

static const char *skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* Parse one operand at *s; advances *s. */
static ri_rc parse_operand(const char **s, const char *expr, ri_derive_lookup lookup,
                           void *user, operand *op, ri_error *err)
{
    const char *p = skip_space(*s);
    if (isalpha((unsigned char)*p) || *p == '_') {
        char name[128];
        size_t len = 0;
        while (isalnum((unsigned char)p[len]) || p[len] == '_')
            len++;
        if (len >= sizeof name)
            return ri_fail(err, RI_RC_USAGE, "\"%s\": measure name too long", expr);
        memcpy(name, p, len);
        name[len] = '\0';
        /* total(measure): the lookup sums a measure by industry over its industries. */
        if (p[len] == '(' && strcmp(name, "total") == 0) {
            const char *inner = p + len + 1, *close = strchr(inner, ')');
            if (!close || (size_t)(close - inner) + 7 >= sizeof name)
                return ri_fail(err, RI_RC_USAGE, "\"%s\": expected total(measure)", expr);
            snprintf(name, sizeof name, "total(%.*s)", (int)(close - inner), inner);
            len = (size_t)(close - p) + 1;
        }
        op->col = lookup(user, name);
        if (!op->col)
            return ri_fail(err, RI_RC_USAGE,
                           "\"%s\": unknown measure \"%s\"; expected a measure of this dataset",
                           expr, name);
        *s = p + len;
        return RI_RC_OK;
    }
    if (isdigit((unsigned char)*p) || *p == '.') {
        char *end;
        op->col = NULL;
        op->k = strtod(p, &end);
        if (end == p || !isfinite(op->k))
            return ri_fail(err, RI_RC_USAGE, "\"%s\": bad number at \"%s\"", expr, p);
        *s = end;
        return RI_RC_OK;
    }
    return ri_fail(err, RI_RC_USAGE,
                   "\"%s\": expected a measure name or a number at \"%s\"", expr, p);
}

static double value(const operand *op, size_t i)
{
    return op->col ? op->col[i] : op->k;
}

ri_rc ri_derive_eval(const char *expr, ri_derive_lookup lookup, void *user,
                     size_t n, double *out, ri_error *err)
{
    const char *s = expr;
    operand op;
    ri_rc rc = parse_operand(&s, expr, lookup, user, &op, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++)
        out[i] = value(&op, i);
    for (;;) {
        char sym;
        s = skip_space(s);
        if (*s == '\0')
            return RI_RC_OK;
        if (*s != '*' && *s != '/')
            return ri_fail(err, RI_RC_USAGE,
                           "\"%s\": expected '*' or '/' at \"%s\"", expr, s);
        sym = *s++;
        rc = parse_operand(&s, expr, lookup, user, &op, err);
        if (rc)
            return rc;
        for (size_t i = 0; i < n; i++) {
            double b = value(&op, i);
            if (sym == '*')
                out[i] *= b;
            else
                out[i] = b == 0.0 ? NAN : out[i] / b;
        }
    }
}
