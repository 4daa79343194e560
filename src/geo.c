/* geo.c — area types, lookups and aggregation (see geo.h). */
#include "geo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "strtab.h"

const char *ri_geo_type_from_code(const char *code)
{
    static const struct {
        const char *prefix, *type;
    } gss[] = {
        {"E06", "LAD"}, {"E07", "LAD"}, {"E08", "LAD"}, {"E09", "LAD"}, {"W06", "LAD"},
        {"S12", "LAD"}, {"N09", "LAD"}, {"E10", "County"}, {"E37", "LEP"}, {"E47", "CA"},
        {"E12", "Region"}, {"E92", "Country"}, {"W92", "Country"}, {"S92", "Country"},
        {"N92", "Country"}, {"K02", "UK"}, {"K03", "Country"}, {"K04", "Country"},
    };
    size_t len = strlen(code);

    if (strcmp(code, "UK") == 0 || strcmp(code, "UKX") == 0)
        return "UK";
    /* ITL tables carry England and Extra-Regio with three-letter codes like ITL1 regions. */
    if (strcmp(code, "TLB") == 0)
        return "Country";
    if (strcmp(code, "TLZ") == 0)
        return "Extra-Regio";
    if (len >= 3 && len <= 5 && code[0] == 'T' && code[1] == 'L') {
        static const char *itl[] = {"ITL1", "ITL2", "ITL3"};
        return itl[len - 3];
    }
    if (len == 9)
        for (size_t i = 0; i < sizeof gss / sizeof gss[0]; i++)
            if (strncmp(code, gss[i].prefix, 3) == 0)
                return gss[i].type;
    return "Other";
}

const char *ri_geo_area_type(const ri_dataset *ds, size_t a)
{
    if (ds->area_types && ds->area_types[a])
        return ds->area_types[a];
    return ri_geo_type_from_code(ri_strtab_get(ds->areas, a));
}

static char *field_dup(const ri_csv_field *f)
{
    const char *s = f->ptr;
    size_t len = f->len;
    char *out;
    ri_csv_trim(&s, &len);
    if (!(out = malloc(len + 1)))
        return NULL;
    memcpy(out, s, len);
    out[len] = '\0';
    return out;
}

static long column_of(const ri_csv_record *hdr, const char *name)
{
    for (size_t i = 0; i < hdr->n_fields; i++) {
        const ri_csv_field *f = &hdr->fields[i];
        if (strlen(name) == f->len && memcmp(f->ptr, name, f->len) == 0)
            return (long)i;
    }
    return -1;
}

static int lookup_push(ri_lookup *lk, size_t *cap, char *child, char *parent, char *name,
                       unsigned long line)
{
    if (lk->n == *cap) {
        size_t c = *cap ? *cap * 2 : 256;
        unsigned long *l;
        char **a = realloc(lk->child, c * sizeof *a);
        if (!a)
            return -1;
        lk->child = a;
        if (!(a = realloc(lk->parent, c * sizeof *a)))
            return -1;
        lk->parent = a;
        if (!(a = realloc(lk->parent_name, c * sizeof *a)))
            return -1;
        lk->parent_name = a;
        if (!(l = realloc(lk->line, c * sizeof *l)))
            return -1;
        lk->line = l;
        *cap = c;
    }
    lk->child[lk->n] = child;
    lk->parent[lk->n] = parent;
    lk->parent_name[lk->n] = name;
    lk->line[lk->n] = line;
    lk->n++;
    return 0;
}

/* Whether child -> parent was seen before; pairs holds "child\0parent" keys, hashed. */
static int pair_seen(ri_strtab *pairs, const char *child, const char *parent, int *seen)
{
    size_t lc = strlen(child), lp = strlen(parent), before = ri_strtab_count(pairs);
    char *key = malloc(lc + lp + 1);

    if (!key)
        return -1;
    memcpy(key, child, lc + 1);
    memcpy(key + lc + 1, parent, lp);
    if (ri_strtab_intern(pairs, key, lc + 1 + lp) < 0) {
        free(key);
        return -1;
    }
    free(key);
    *seen = ri_strtab_count(pairs) == before;
    return 0;
}

ri_rc ri_lookup_load(const ri_lookup_cfg *cfg, ri_lookup **out, ri_error *err)
{
    ri_lookup *lk = calloc(1, sizeof *lk);
    ri_strtab *pairs = ri_strtab_new(1024);
    ri_csv *csv = NULL;
    ri_csv_record rec;
    long c_child, c_parent, c_name = -1, *c_filter = NULL;
    size_t cap = 0, n_header;
    unsigned long header_line;
    ri_rc rc = RI_RC_OK;
    int got;

    *out = NULL;
    if (!lk || !pairs) {
        free(lk);
        ri_strtab_free(pairs);
        return ri_oom(err);
    }
    lk->cfg = cfg;
    if ((rc = ri_csv_open(cfg->path, &csv, err)))
        goto done;
    got = ri_csv_next(csv, &rec, err);
    if (got <= 0) {
        rc = got < 0 ? err->code : ri_fail(err, RI_RC_DATA, "%s: empty lookup; expected a header row", cfg->path);
        goto done;
    }
    n_header = rec.n_fields;
    header_line = rec.line;
    c_child = column_of(&rec, cfg->child_col);
    c_parent = column_of(&rec, cfg->parent_col);
    if (cfg->parent_name_col)
        c_name = column_of(&rec, cfg->parent_name_col);
    if (c_child < 0 || c_parent < 0 || (cfg->parent_name_col && c_name < 0)) {
        const char *missing = c_child < 0 ? cfg->child_col : c_parent < 0 ? cfg->parent_col : cfg->parent_name_col;
        rc = ri_fail(err, RI_RC_DATA, "%s:%lu: no column \"%s\" in lookup \"%s\"; expected the header to name it",
                     cfg->path, header_line, missing, cfg->id);
        goto done;
    }
    if (cfg->n_filters && !(c_filter = calloc(cfg->n_filters, sizeof *c_filter))) {
        rc = ri_oom(err);
        goto done;
    }
    for (size_t f = 0; f < cfg->n_filters; f++)
        if ((c_filter[f] = column_of(&rec, cfg->filters[f].column)) < 0) {
            rc = ri_fail(err, RI_RC_DATA, "%s:%lu: no column \"%s\" (a filter of lookup \"%s\"); expected the header to name it",
                         cfg->path, header_line, cfg->filters[f].column, cfg->id);
            goto done;
        }
    while ((got = ri_csv_next(csv, &rec, err)) > 0) {
        int keep = 1;
        if (rec.n_fields != n_header) {
            rc = ri_fail(err, RI_RC_DATA, "%s:%lu: row has %zu fields; expected %zu like the header",
                         cfg->path, rec.line, rec.n_fields, n_header);
            goto done;
        }
        for (size_t f = 0; f < cfg->n_filters && keep; f++) {
            char *cell = field_dup(&rec.fields[c_filter[f]]);
            if (!cell) {
                rc = ri_oom(err);
                goto done;
            }
            keep = 0;
            for (size_t v = 0; v < cfg->filters[f].n_values; v++)
                keep |= strcmp(cell, cfg->filters[f].values[v]) == 0;
            free(cell);
        }
        if (!keep)
            continue;
        char *child = field_dup(&rec.fields[c_child]);
        char *parent = field_dup(&rec.fields[c_parent]);
        char *name = c_name >= 0 ? field_dup(&rec.fields[c_name]) : strdup("");
        int seen = 0;
        if (!child || !parent || !name || lookup_push(lk, &cap, child, parent, name, rec.line) != 0) {
            free(child);
            free(parent);
            free(name);
            rc = ri_oom(err);
            goto done;
        }
        if (!*child || !*parent) {
            rc = ri_fail(err, RI_RC_DATA, "%s:%lu: empty %s code; expected child and parent codes",
                         cfg->path, rec.line, !*child ? "child" : "parent");
            goto done;
        }
        /* A repeated pair would count the child twice in its parent's sums. */
        if (pair_seen(pairs, child, parent, &seen) != 0) {
            rc = ri_oom(err);
            goto done;
        }
        if (seen) {
            rc = ri_fail(err, RI_RC_DATA, "%s:%lu: %s -> %s is listed twice; expected each child -> parent pair once",
                         cfg->path, rec.line, child, parent);
            goto done;
        }
    }
    if (got < 0)
        rc = err->code;
    else if (lk->n == 0)
        rc = ri_fail(err, RI_RC_DATA, "%s: lookup \"%s\" has no rows%s; expected child -> parent pairs",
                     cfg->path, cfg->id, cfg->n_filters ? " that pass the filter" : "");
done:
    free(c_filter);
    ri_strtab_free(pairs);
    if (csv)
        ri_csv_close(csv);
    if (rc) {
        ri_lookup_free(lk);
        return rc;
    }
    *out = lk;
    return RI_RC_OK;
}

void ri_lookup_free(ri_lookup *lk)
{
    if (!lk)
        return;
    for (size_t i = 0; i < lk->n; i++) {
        free(lk->child[i]);
        free(lk->parent[i]);
        free(lk->parent_name[i]);
    }
    free(lk->child);
    free(lk->parent);
    free(lk->parent_name);
    free(lk->line);
    free(lk);
}

/* Sum members[] of column c into area `target`; NaN where any member is missing. */
static ri_rc sum_into(const ri_panel *p, ri_column *c, size_t target, const size_t *members,
                      size_t n_members, ri_error *err)
{
    size_t stride = ri_column_stride(p, c);
    double *sums = malloc(2 * (stride ? stride : 1) * sizeof *sums), *comps = sums + stride;

    if (!sums)
        return ri_oom(err);
    /* Neumaier's compensated sum: a total over thousands of areas keeps its last digits, so
       ratios of sums match what spreadsheets and statistics packages print. Members are the
       outer loop so that each member's row is read once, in order: the same additions, in the
       same order per cell, as a loop over cells would make, without striding through memory. */
    for (size_t k = 0; k < stride; k++)
        sums[k] = comps[k] = 0.0;
    for (size_t m = 0; m < n_members; m++) {
        const double *row = c->v + members[m] * stride;
        for (size_t k = 0; k < stride; k++) {
            double s = sums[k], x = row[k], t = s + x;
            comps[k] += fabs(s) >= fabs(x) ? (s - t) + x : (x - t) + s;
            sums[k] = t;
        }
    }
    for (size_t k = 0; k < stride; k++)
        c->v[target * stride + k] = isnan(sums[k]) ? sums[k] : sums[k] + comps[k];
    c->present[target] = 1;
    free(sums);
    return RI_RC_OK;
}

/* A pair of the lookup by parent, then by its place in the file (which keeps the order of sums). */
typedef struct by_parent {
    size_t parent, pair;
} by_parent;

static int cmp_by_parent(const void *x, const void *y)
{
    const by_parent *a = x, *b = y;
    if (a->parent != b->parent)
        return a->parent < b->parent ? -1 : 1;
    return a->pair < b->pair ? -1 : a->pair > b->pair;
}

ri_rc ri_geo_aggregate_lookup(ri_panel *p, const ri_lookup *lk, ri_error *err)
{
    const ri_lookup_cfg *cfg = lk->cfg;
    size_t n = lk->n ? lk->n : 1;
    size_t *parent_of = calloc(n, sizeof *parent_of);
    size_t *child_of = calloc(n, sizeof *child_of);
    size_t *members = calloc(n, sizeof *members);
    by_parent *order = calloc(n, sizeof *order);
    ri_rc rc = RI_RC_OK;

    if (!parent_of || !child_of || !members || !order) {
        rc = ri_oom(err);
        goto done;
    }
    if (cfg->n_aggregate == 0)
        goto done;
    for (size_t i = 0; i < lk->n && !rc; i++) {
        const char *type = cfg->parent_type ? cfg->parent_type : ri_geo_type_from_code(lk->parent[i]);
        child_of[i] = ri_panel_area(p, lk->child[i]);
        parent_of[i] = ri_panel_add_area(p, lk->parent[i], lk->parent_name[i], type);
        if (parent_of[i] == (size_t)-1)
            rc = ri_oom(err);
        order[i].parent = parent_of[i];
        order[i].pair = i;
    }
    /* Grouping the pairs by parent once keeps a large lookup linear in its size per measure. */
    qsort(order, lk->n, sizeof *order, cmp_by_parent);
    for (size_t m = 0; m < cfg->n_aggregate && !rc; m++) {
        ri_column *c = (ri_column *)ri_panel_column(p, cfg->aggregate[m]);
        if (!c) {
            rc = ri_fail(err, RI_RC_USAGE, "%s:%d: lookup \"%s\": aggregate measure \"%s\" is not a measure of any dataset",
                         ri_loc_file(&cfg->loc), cfg->loc.line, cfg->id, cfg->aggregate[m]);
            break;
        }
        for (size_t i = 0; i < lk->n && !rc; i++) {
            if (child_of[i] == (size_t)-1 || !c->present[child_of[i]])
                rc = ri_fail(err, RI_RC_DATA,
                             "%s:%lu: child area %s (of %s) has no \"%s\" data (dataset \"%s\"); expected the lookup and the data to use the same vintage of codes",
                             cfg->path, lk->line[i], lk->child[i], lk->parent[i], c->name, c->dataset);
            else if (c->present[parent_of[i]])
                rc = ri_fail(err, RI_RC_USAGE,
                             "%s:%d: lookup \"%s\": area %s already has \"%s\" in dataset \"%s\"; expected one source (filter it out of the data or drop \"%s\" from aggregate)",
                             ri_loc_file(&cfg->loc), cfg->loc.line, cfg->id, lk->parent[i], c->name,
                             c->dataset, c->name);
        }
        for (size_t g = 0; g < lk->n && !rc;) {
            size_t n_members = 0, parent = order[g].parent;
            while (g < lk->n && order[g].parent == parent)
                members[n_members++] = child_of[order[g++].pair];
            rc = sum_into(p, c, parent, members, n_members, err);
        }
    }
done:
    free(parent_of);
    free(child_of);
    free(members);
    free(order);
    return rc;
}

static int is_member(const ri_panel *p, const ri_aggregate_cfg *ag, size_t a)
{
    if (ag->members_type) {
        const char *prefix = ag->members_prefix ? ag->members_prefix : "";
        return strcmp(p->area_types[a], ag->members_type) == 0 &&
               strncmp(p->area_codes[a], prefix, strlen(prefix)) == 0;
    }
    for (size_t k = 0; k < ag->n_members; k++)
        if (strcmp(ag->members[k], p->area_codes[a]) == 0)
            return 1;
    return 0;
}

static ri_rc add_aggregate(ri_panel *p, const ri_aggregate_cfg *ag, ri_error *err)
{
    size_t target = ri_panel_area(p, ag->code), n_areas = p->n_areas;
    size_t *members = malloc((n_areas ? n_areas : 1) * sizeof *members);
    ri_rc rc = RI_RC_OK;

    if (!members)
        return ri_oom(err);
    for (size_t ci = 0; ci < p->n_cols && !rc; ci++) {
        ri_column *c = &p->cols[ci];
        size_t n_members = 0, listed_absent = 0;
        if (!c->additive)
            continue;
        for (size_t a = 0; a < n_areas; a++)
            if (a != target && is_member(p, ag, a)) {
                if (c->present[a])
                    members[n_members++] = a;
                else
                    listed_absent++;
            }
        if (!ag->members_type)
            listed_absent = ag->n_members - n_members;
        if (n_members == 0)
            continue;
        if (!ag->members_type && listed_absent) {
            rc = ri_fail(err, RI_RC_DATA,
                         "%s:%d: aggregate %s: %zu of its members have no \"%s\" data (dataset \"%s\"); expected all members or none",
                         ri_loc_file(&ag->loc), ag->loc.line, ag->code, listed_absent, c->name, c->dataset);
            break;
        }
        if (target == (size_t)-1 && (target = ri_panel_add_area(p, ag->code, ag->name, ag->type)) == (size_t)-1) {
            rc = ri_oom(err);
            break;
        }
        if (c->present[target]) {
            rc = ri_fail(err, RI_RC_USAGE,
                         "%s:%d: aggregate %s: the area already has \"%s\" in dataset \"%s\"; expected one source (use another code for the aggregate)",
                         ri_loc_file(&ag->loc), ag->loc.line, ag->code, c->name, c->dataset);
            break;
        }
        rc = sum_into(p, c, target, members, n_members, err);
    }
    free(members);
    return rc;
}

ri_rc ri_geo_add_aggregates(ri_panel *p, const ri_aggregate_cfg *aggs, size_t n, ri_error *err)
{
    ri_rc rc = RI_RC_OK;
    for (size_t g = 0; g < n && !rc; g++)
        rc = add_aggregate(p, &aggs[g], err);
    return rc;
}
