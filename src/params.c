/* params.c — checking configured plugin parameters against the plugin's schema (see params.h). */
#include "params.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suggest.h"

static const char *type_name(ri_param_type t)
{
    switch (t) {
    case RI_PARAM_DOUBLE: return "a number";
    case RI_PARAM_INT: return "an integer";
    case RI_PARAM_BOOL: return "true or false";
    case RI_PARAM_STRING: return "a string";
    case RI_PARAM_CHOICE: return "one of the listed strings";
    }
    return "a value";
}

static ri_rc check_range(const ri_param_spec *s, double x, ri_error *err)
{
    if (s->min <= s->max && (x < s->min || x > s->max))
        return ri_fail(err, RI_RC_USAGE, "parameter \"%s\" = %g is out of range; expected %g to %g",
                       s->name, x, s->min, s->max);
    return RI_RC_OK;
}

static ri_rc check_choice(const ri_param_spec *s, const char *text, ri_value *v, ri_error *err)
{
    char list[512] = "";
    for (size_t i = 0; s->choices[i]; i++) {
        size_t used = strlen(list);
        if (strcmp(s->choices[i], text) == 0) {
            v->s = s->choices[i];
            v->i = (long)i;
            return RI_RC_OK;
        }
        snprintf(list + used, sizeof list - used, "%s\"%s\"", i ? ", " : "", s->choices[i]);
    }
    return ri_fail(err, RI_RC_USAGE, "parameter \"%s\" = \"%s\" is not allowed; expected one of %s",
                   s->name, text, list);
}

ri_rc ri_param_default(const ri_param_spec *s, ri_value *v, ri_error *err)
{
    const char *t = s->default_value;
    char *end = NULL;

    memset(v, 0, sizeof *v);
    switch (s->type) {
    case RI_PARAM_DOUBLE:
        v->d = strtod(t, &end);
        if (end == t || *end || !isfinite(v->d))
            break;
        return check_range(s, v->d, err);
    case RI_PARAM_INT:
        errno = 0;
        v->i = strtol(t, &end, 10);
        if (end == t || *end || errno == ERANGE)
            break;
        v->d = (double)v->i;
        return check_range(s, v->d, err);
    case RI_PARAM_BOOL:
        if (strcmp(t, "true") != 0 && strcmp(t, "false") != 0)
            break;
        v->i = strcmp(t, "true") == 0;
        return RI_RC_OK;
    case RI_PARAM_STRING:
        v->s = t;
        return RI_RC_OK;
    case RI_PARAM_CHOICE:
        return check_choice(s, t, v, err);
    }
    return ri_fail(err, RI_RC_USAGE, "parameter \"%s\": default \"%s\" is not %s", s->name, t,
                   type_name(s->type));
}

static ri_rc bind_one(const ri_param_spec *s, const ri_raw_param *raw, ri_value *v, ri_error *err)
{
    memset(v, 0, sizeof *v);
    switch (s->type) {
    case RI_PARAM_DOUBLE:
        if (raw->type != RI_RAW_FLOAT && raw->type != RI_RAW_INT)
            break;
        v->d = raw->type == RI_RAW_FLOAT ? raw->d : (double)raw->i;
        return check_range(s, v->d, err);
    case RI_PARAM_INT:
        if (raw->type != RI_RAW_INT)
            break;
        if (raw->i < LONG_MIN || raw->i > LONG_MAX)
            return ri_fail(err, RI_RC_USAGE, "parameter \"%s\" = %lld does not fit a long integer", s->name, raw->i);
        v->i = (long)raw->i;
        v->d = (double)raw->i;
        return check_range(s, v->d, err);
    case RI_PARAM_BOOL:
        if (raw->type != RI_RAW_BOOL)
            break;
        v->i = raw->i != 0;
        return RI_RC_OK;
    case RI_PARAM_STRING:
        if (raw->type != RI_RAW_STRING)
            break;
        v->s = raw->s;
        return RI_RC_OK;
    case RI_PARAM_CHOICE:
        if (raw->type != RI_RAW_STRING)
            break;
        return check_choice(s, raw->s, v, err);
    }
    return ri_fail(err, RI_RC_USAGE, "parameter \"%s\" has the wrong type; expected %s", s->name,
                   type_name(s->type));
}

static ri_rc located(ri_rc rc, const ri_loc *loc, const ri_indicator_cfg *ind, ri_error *err)
{
    /* Line 0: a value from the command line (--param), named by the option itself. */
    if (rc && loc->line == 0)
        ri_error_prefix(err, "%s: indicator \"%s\": ", ri_loc_file(loc), ind->id);
    else if (rc)
        ri_error_prefix(err, "%s:%d: indicator \"%s\": ", ri_loc_file(loc), loc->line, ind->id);
    return rc;
}

ri_rc ri_params_bind(const ri_plugin *d, const ri_indicator_cfg *ind, ri_value **out, ri_error *err)
{
    ri_value *v = calloc(d->n_params ? d->n_params : 1, sizeof *v);
    const char **names = calloc(d->n_params ? d->n_params : 1, sizeof *names);
    ri_rc rc = RI_RC_OK;

    *out = NULL;
    if (!v || !names) {
        free(v);
        free(names);
        return ri_oom(err);
    }
    for (size_t k = 0; k < d->n_params; k++)
        names[k] = d->params[k].name;
    for (size_t r = 0; r < ind->n_params && !rc; r++) {
        const ri_raw_param *raw = &ind->params[r];
        size_t k = 0;
        while (k < d->n_params && strcmp(names[k], raw->name) != 0)
            k++;
        if (k == d->n_params) {
            const char *near = ri_suggest(raw->name, names, d->n_params);
            rc = ri_fail(err, RI_RC_USAGE, "plugin %s has no parameter \"%s\"%s%s%s; see `regind describe %s`",
                         d->name, raw->name, near ? "; did you mean \"" : "", near ? near : "",
                         near ? "\"?" : "", d->name);
            rc = located(rc, &raw->loc, ind, err);
        }
    }
    for (size_t k = 0; k < d->n_params && !rc; k++) {
        const ri_param_spec *s = &d->params[k];
        const ri_raw_param *raw = NULL;
        for (size_t r = 0; r < ind->n_params; r++)
            if (strcmp(ind->params[r].name, s->name) == 0)
                raw = &ind->params[r];
        if (raw)
            rc = located(bind_one(s, raw, &v[k], err), &raw->loc, ind, err);
        else if (s->default_value)
            rc = ri_param_default(s, &v[k], err);
        else
            rc = located(ri_fail(err, RI_RC_USAGE, "plugin %s needs parameter \"%s\" (%s); expected it in params",
                                 d->name, s->name, type_name(s->type)),
                         &ind->loc, ind, err);
    }
    free(names);
    if (rc) {
        free(v);
        return rc;
    }
    *out = v;
    return RI_RC_OK;
}
