/* needs.c — the datasets, derived measures and lookup sums some indicators need (see needs.h). */
#include "needs.h"

#include <stdlib.h>
#include <string.h>

#include "derive.h"
#include "engine.h"

/* A set of measure names, owned. */
typedef struct names {
    char **v;
    size_t n, cap;
    int oom;
} names;

static int has(const names *s, const char *x, size_t len)
{
    for (size_t i = 0; i < s->n; i++)
        if (strlen(s->v[i]) == len && strncmp(s->v[i], x, len) == 0)
            return 1;
    return 0;
}

/* Add x[0..len); 1 when it was new. */
static int add(names *s, const char *x, size_t len)
{
    if (has(s, x, len))
        return 0;
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        char **v = realloc(s->v, cap * sizeof *v);
        if (!v) {
            s->oom = 1;
            return 0;
        }
        s->v = v;
        s->cap = cap;
    }
    if (!(s->v[s->n] = malloc(len + 1))) {
        s->oom = 1;
        return 0;
    }
    memcpy(s->v[s->n], x, len);
    s->v[s->n++][len] = '\0';
    return 1;
}

static int has_name(const names *s, const char *x)
{
    return x && has(s, x, strlen(x));
}

static void names_free(names *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
}

/* The derive lookup that only collects the names an expression reads ("total(x)" reads x). */
static const double *collect(void *user, const char *name)
{
    static const double any = 0.0;
    size_t len = strlen(name);

    if (strncmp(name, "total(", 6) == 0 && len > 7)
        add(user, name + 6, len - 7);
    else
        add(user, name, len);
    return &any;
}

/* The measures the selected indicators read, the extras, and what needed derived measures read. */
static ri_rc needed(const ri_job *job, const unsigned char *run, const char *const *extra, size_t n_extra,
                    names *need, ri_error *err)
{
    int grew = 1;

    for (size_t k = 0; k < job->n_indicators; k++)
        for (size_t b = 0; run[k] && b < job->indicators[k].n_inputs; b++)
            if (!strchr(job->indicators[k].inputs[b].value, '.'))
                add(need, job->indicators[k].inputs[b].value, strlen(job->indicators[k].inputs[b].value));
    for (size_t i = 0; i < n_extra; i++)
        add(need, extra[i], strlen(extra[i]));
    /* A derived measure may read one defined before it: repeat until nothing is added. */
    while (grew && !need->oom) {
        size_t before = need->n;
        for (size_t d = 0; d < job->n_derived; d++) {
            ri_error ignored;
            if (has_name(need, job->derived[d].name))
                ri_derive_eval(job->derived[d].expr, collect, need, 0, NULL, &ignored);
        }
        grew = need->n != before;
    }
    return need->oom ? ri_oom(err) : RI_RC_OK;
}

static int provides(const ri_dataset_cfg *ds, const names *need)
{
    if (ds->layout == RI_LAYOUT_WIDE)
        return has_name(need, ds->measure);
    for (size_t m = 0; m < ds->n_measures; m++)
        if (has_name(need, ds->measures[m].name))
            return 1;
    return 0;
}

void ri_job_view_free(ri_job *view)
{
    if (!view)
        return;
    for (size_t l = 0; view->lookups && l < view->n_lookups; l++)
        free(view->lookups[l].aggregate);
    free(view->datasets);
    free(view->derived);
    free(view->lookups);
    free(view);
}

ri_rc ri_job_view(const ri_job *job, const char *const *only, size_t n_only, const char *const *extra,
                  size_t n_extra, const char *members_of, ri_job **out, ri_error *err)
{
    unsigned char *run = ri_engine_select(job, only, n_only);
    names need = {NULL, 0, 0, 0};
    ri_job *v = calloc(1, sizeof *v);
    ri_rc rc;

    *out = NULL;
    if (!run || !v) {
        free(run);
        free(v);
        return ri_oom(err);
    }
    *v = *job;
    v->datasets = NULL;
    v->derived = NULL;
    v->lookups = NULL;
    v->n_datasets = v->n_derived = v->n_lookups = 0;
    rc = needed(job, run, extra, n_extra, &need, err);
    free(run);
    if (!rc && (!(v->datasets = calloc(job->n_datasets ? job->n_datasets : 1, sizeof *v->datasets))
                || !(v->derived = calloc(job->n_derived ? job->n_derived : 1, sizeof *v->derived))
                || !(v->lookups = calloc(job->n_lookups ? job->n_lookups : 1, sizeof *v->lookups))))
        rc = ri_oom(err);
    for (size_t d = 0; !rc && d < job->n_datasets; d++)
        if (provides(&job->datasets[d], &need))
            v->datasets[v->n_datasets++] = job->datasets[d];
    for (size_t d = 0; !rc && d < job->n_derived; d++)
        if (has_name(&need, job->derived[d].name))
            v->derived[v->n_derived++] = job->derived[d];
    /* A lookup matters for the sums it makes and, when asked, for memberships; one that gives
       neither is not read. */
    for (size_t l = 0; !rc && l < job->n_lookups; l++) {
        const ri_lookup_cfg *lk = &job->lookups[l];
        ri_lookup_cfg *to = &v->lookups[v->n_lookups];
        *to = *lk;
        to->n_aggregate = 0;
        if (!(to->aggregate = malloc((lk->n_aggregate ? lk->n_aggregate : 1) * sizeof *to->aggregate))) {
            rc = ri_oom(err);
            break;
        }
        for (size_t m = 0; m < lk->n_aggregate; m++)
            if (has_name(&need, lk->aggregate[m]))
                to->aggregate[to->n_aggregate++] = lk->aggregate[m];
        if (to->n_aggregate || (members_of && lk->parent_type && strcmp(lk->parent_type, members_of) == 0))
            v->n_lookups++;
        else
            free(to->aggregate);
    }
    names_free(&need);
    if (rc) {
        ri_job_view_free(v);
        return rc;
    }
    *out = v;
    return RI_RC_OK;
}
