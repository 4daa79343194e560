/* geo.c — area types, lookups and aggregation (see geo.h). */
#include "geo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

static const char *const rule_names[] = {"strict", "complete_members", "present_members"};

const char *ri_geo_rule_name(ri_members_rule rule)
{
    return rule_names[rule];
}

/* The members of one sum: those in the measure's data (panel indices), and the codes of those not. */
typedef struct member_set {
    const size_t *in;
    size_t n_in;
    char *const *absent;
    size_t n_absent;
} member_set;

/* Who asks for a sum, for its coverage record and messages. */
typedef struct sum_owner {
    const char *source;          /* "aggregate" or "lookup ID" */
    const char *what;            /* "aggregate" or "lookup \"ID\": parent", for messages */
    const ri_members_policy *pol;
    const ri_loc *loc;
} sum_owner;

/* The industry of c holding each area's total ("Total"), or -1 when c has none; 0 when c is not by industry. */
static long total_industry(const ri_panel *p, const ri_column *c)
{
    if (!c->by_industry)
        return 0;
    for (size_t i = 0; i < c->n_ind; i++)
        if (strcasecmp(p->industries[c->ind[i]], "Total") == 0)
            return (long)i;
    return -1;
}

/* Area a's total of c in period t: its Total cell, else the sum of its industries; NaN when missing. */
static double area_total(const ri_panel *p, const ri_column *c, long ti, size_t a, size_t t)
{
    const double *cell = c->v + (a * p->n_periods + t) * c->n_ind;
    double s = 0.0;
    if (ti >= 0)
        return cell[ti];
    for (size_t i = 0; i < c->n_ind; i++)
        s += cell[i];
    return s;
}

/* "CODE Name, CODE Name, ... and N more" of the first few codes into buf. */
static void name_areas(const ri_panel *p, char *const *codes, size_t n, char *buf, size_t size)
{
    enum { SHOWN = 6 };
    size_t len = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < n && k < SHOWN && len < size; k++) {
        size_t a = ri_panel_area(p, codes[k]);
        const char *name = a != (size_t)-1 ? p->area_names[a] : "";
        int w = snprintf(buf + len, size - len, "%s%s%s%s", k ? ", " : "", codes[k], *name ? " " : "", name);
        len += w > 0 ? (size_t)w : 0;
    }
    if (n > SHOWN && len < size)
        snprintf(buf + len, size - len, " and %zu more", n - SHOWN);
}

/* Append the coverage of one sum to the panel and warn about it once. */
static ri_rc record_coverage(ri_panel *p, const ri_column *c, size_t target, const sum_owner *o,
                             const member_set *m, const unsigned char *complete, size_t n_used,
                             double share, size_t share_t, size_t nan_cells, ri_error *err)
{
    ri_coverage *grown = realloc(p->coverage, (p->n_coverage + 1) * sizeof *grown), *cv;
    char who[256], names[1024], share_text[96];
    size_t n_members = m->n_in + m->n_absent;

    if (!grown)
        return ri_oom(err);
    p->coverage = grown;
    cv = memset(&p->coverage[p->n_coverage++], 0, sizeof *cv);
    cv->rule = o->pol->rule;
    cv->n_members = n_members;
    cv->n_used = n_used;
    cv->share = share;
    cv->nan_cells = nan_cells;
    cv->loc = *o->loc;
    if (!(cv->source = strdup(o->source)) || !(cv->area = strdup(p->area_codes[target])) ||
        !(cv->measure = strdup(c->name)) || !(cv->left_out = calloc(n_members - n_used, sizeof *cv->left_out)) ||
        (!isnan(share) && !(cv->share_period = strdup(p->periods[share_t]))))
        return ri_oom(err);
    /* Counted as they are stored, so that the panel frees what a failure leaves. */
    for (size_t j = 0; j < m->n_in; j++)
        if (!complete[j] && !(cv->left_out[cv->n_left_out++] = strdup(p->area_codes[m->in[j]])))
            return ri_oom(err);
    for (size_t j = 0; j < m->n_absent; j++)
        if (!(cv->left_out[cv->n_left_out++] = strdup(m->absent[j])))
            return ri_oom(err);

    snprintf(who, sizeof who, "%s:%d: %s %s %s", ri_loc_file(o->loc), o->loc->line, o->what, cv->area,
             p->area_names[target]);
    name_areas(p, cv->left_out, cv->n_left_out, names, sizeof names);
    if (isnan(share))
        snprintf(share_text, sizeof share_text, "share of their total unknown");
    else
        snprintf(share_text, sizeof share_text, "%.1f %% of their total (lowest in %s)", share, cv->share_period);
    if (o->pol->rule != RI_MEMBERS_STRICT && (n_used == 0 || (!isnan(share) && share < o->pol->min_coverage)))
        return ri_fail(err, RI_RC_DATA,
                       "%s: \"%s\" has complete data for %zu of %zu members, %s, below min_coverage %g %%; members without it: %s",
                       who, c->name, n_used, n_members, share_text, o->pol->min_coverage, names);
    switch (o->pol->rule) {
    case RI_MEMBERS_STRICT:
        /* A benchmark over the complete members is often what is wanted; a parent without some
           of its own members is better left missing, so only aggregates suggest the rule. */
        return ri_panel_warn(p, "%s: \"%s\" is missing in %zu cells: %zu of its %zu members lack cells of it (%s)%s",
                             who, c->name, nan_cells, cv->n_left_out, n_members, names,
                             strcmp(o->source, "aggregate") == 0
                                 ? "; members_rule = \"complete_members\" sums the complete members instead"
                                 : "")
                   ? ri_oom(err) : RI_RC_OK;
    case RI_MEMBERS_COMPLETE:
        return ri_panel_warn(p, "%s: \"%s\" is the sum of the %zu of %zu members with complete data, %s; left out: %s",
                             who, c->name, n_used, n_members, share_text, names)
                   ? ri_oom(err) : RI_RC_OK;
    case RI_MEMBERS_PRESENT:
        break;
    }
    return ri_panel_warn(p,
                         "%s: \"%s\" sums, cell by cell, the members that have the cell; %zu of %zu members lack cells (%s); the complete members hold %s",
                         who, c->name, cv->n_left_out, n_members, names, share_text)
               ? ri_oom(err) : RI_RC_OK;
}

/*
 * Sum the members of column c into area target under the owner's rule.
 * Periods in which no member has a cell are left out of every test: a
 * measure published from 2004 does not make members incomplete in 1998.
 * Sums use Neumaier's compensated summation, members in the outer loop so
 * that each member's row is read once, in order: a total over thousands of
 * areas keeps its last digits, so ratios of sums match what spreadsheets
 * and statistics packages print.
 */
static ri_rc sum_members(ri_panel *p, ri_column *c, size_t target, const member_set *m, const sum_owner *o,
                         ri_error *err)
{
    size_t stride = ri_column_stride(p, c), ni = c->n_ind, nt = p->n_periods, n_used = 0, nan_cells = 0;
    size_t share_t = 0, cells = stride ? stride : 1;
    double *sums = malloc(2 * cells * sizeof *sums), *comps = sums ? sums + cells : NULL, share = NAN;
    size_t *added = calloc(cells, sizeof *added);
    unsigned char *live = calloc(nt ? nt : 1, 1), *complete = malloc(m->n_in ? m->n_in : 1);
    long ti = total_industry(p, c);
    ri_members_rule rule = o->pol->rule;
    ri_rc rc = RI_RC_OK;

    if (!sums || !added || !live || !complete) {
        rc = ri_oom(err);
        goto done;
    }
    /* By period, then industry: a division per cell to find its period took longer than the sums. */
    for (size_t j = 0; j < m->n_in; j++) {
        const double *row = c->v + m->in[j] * stride;
        for (size_t t = 0; t < nt; t++)
            for (size_t i = 0; i < ni && !live[t]; i++)
                live[t] = !isnan(row[t * ni + i]);
    }
    for (size_t j = 0; j < m->n_in; j++) {
        const double *row = c->v + m->in[j] * stride;
        complete[j] = 1;
        for (size_t t = 0; t < nt && complete[j]; t++)
            for (size_t i = 0; i < ni && live[t] && complete[j]; i++)
                complete[j] = !isnan(row[t * ni + i]);
        n_used += complete[j];
    }
    for (size_t k = 0; k < stride; k++)
        sums[k] = comps[k] = 0.0;
    for (size_t j = 0; j < m->n_in; j++) {
        const double *row = c->v + m->in[j] * stride;
        if (rule == RI_MEMBERS_COMPLETE && !complete[j])
            continue;
        for (size_t k = 0; k < stride; k++) {
            double s = sums[k], x = row[k], t = s + x;
            if (rule == RI_MEMBERS_PRESENT && isnan(x))
                continue;
            comps[k] += fabs(s) >= fabs(x) ? (s - t) + x : (x - t) + s;
            sums[k] = t;
            added[k]++;
        }
    }
    for (size_t k = 0; k < stride; k++) {
        double v = added[k] == 0 || isnan(sums[k]) ? NAN : sums[k] + comps[k];
        c->v[target * stride + k] = v;
        nan_cells += live[k / ni] && isnan(v);
    }
    c->present[target] = 1;
    if (n_used == m->n_in && m->n_absent == 0)
        goto done;
    /* Coverage: the share of the members' total held by the complete ones, in each period where
       every member's total is known; the lowest of those periods is the one reported. */
    for (size_t t = 0; t < nt; t++) {
        double all = 0.0, used = 0.0;
        int known = live[t];
        for (size_t j = 0; j < m->n_in && known; j++) {
            double x = area_total(p, c, ti, m->in[j], t);
            known = !isnan(x);
            all += x;
            used += complete[j] ? x : 0.0;
        }
        if (known && all > 0.0 && (isnan(share) || 100.0 * used / all < share)) {
            share = 100.0 * used / all;
            share_t = t;
        }
    }
    rc = record_coverage(p, c, target, o, m, complete, n_used, share, share_t, nan_cells, err);
done:
    free(sums);
    free(added);
    free(live);
    free(complete);
    return rc;
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
    size_t *in = calloc(n, sizeof *in);
    char **absent = calloc(n, sizeof *absent);
    by_parent *order = calloc(n, sizeof *order);
    char source[128], what[160];
    sum_owner owner = {source, what, &cfg->members, &cfg->loc};
    ri_rc rc = RI_RC_OK;

    if (!parent_of || !child_of || !in || !absent || !order) {
        rc = ri_oom(err);
        goto done;
    }
    if (cfg->n_aggregate == 0)
        goto done;
    snprintf(source, sizeof source, "lookup %s", cfg->id);
    snprintf(what, sizeof what, "lookup \"%s\": parent", cfg->id);
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
            int has_data = child_of[i] != (size_t)-1 && c->present[child_of[i]];
            if (!has_data && cfg->members.rule == RI_MEMBERS_STRICT)
                rc = ri_fail(err, RI_RC_DATA,
                             "%s:%lu: child area %s (of %s) has no \"%s\" data (dataset \"%s\"); expected the lookup and the data to use the same vintage of codes (or members_rule = \"complete_members\" to leave such children out)",
                             cfg->path, lk->line[i], lk->child[i], lk->parent[i], c->name, c->dataset);
            else if (c->present[parent_of[i]])
                rc = ri_fail(err, RI_RC_USAGE,
                             "%s:%d: lookup \"%s\": area %s already has \"%s\" in dataset \"%s\"; expected one source (filter it out of the data or drop \"%s\" from aggregate)",
                             ri_loc_file(&cfg->loc), cfg->loc.line, cfg->id, lk->parent[i], c->name,
                             c->dataset, c->name);
        }
        for (size_t g = 0; g < lk->n && !rc;) {
            member_set set = {in, 0, absent, 0};
            size_t parent = order[g].parent;
            for (; g < lk->n && order[g].parent == parent; g++) {
                size_t pair = order[g].pair, child = child_of[pair];
                if (child != (size_t)-1 && c->present[child])
                    in[set.n_in++] = child;
                else
                    absent[set.n_absent++] = lk->child[pair];
            }
            rc = sum_members(p, c, parent, &set, &owner, err);
        }
    }
done:
    free(parent_of);
    free(child_of);
    free(in);
    free(absent);
    free(order);
    return rc;
}

/* The areas an aggregate names: panel indices of those in the panel, codes of the others. */
typedef struct candidates {
    size_t *in, n_in;
    char **absent;
    size_t n_absent;
} candidates;

static int find_candidates(const ri_panel *p, const ri_aggregate_cfg *ag, size_t target, candidates *cd)
{
    size_t cap = ag->members_type ? p->n_areas : ag->n_members;
    cd->n_in = cd->n_absent = 0;
    cd->in = malloc((cap ? cap : 1) * sizeof *cd->in);
    cd->absent = malloc((ag->n_members ? ag->n_members : 1) * sizeof *cd->absent);
    if (!cd->in || !cd->absent)
        return -1;
    if (ag->members_type) {
        size_t plen = strlen(ag->members_prefix);
        for (size_t a = 0; a < p->n_areas; a++)
            if (a != target && strcmp(p->area_types[a], ag->members_type) == 0 &&
                strncmp(p->area_codes[a], ag->members_prefix, plen) == 0)
                cd->in[cd->n_in++] = a;
        return 0;
    }
    for (size_t k = 0; k < ag->n_members; k++) {
        size_t a = ri_panel_area(p, ag->members[k]);
        if (a == (size_t)-1)
            cd->absent[cd->n_absent++] = ag->members[k];
        else if (a != target)
            cd->in[cd->n_in++] = a;
    }
    return 0;
}

static ri_rc add_aggregate(ri_panel *p, const ri_aggregate_cfg *ag, ri_error *err)
{
    size_t target = ri_panel_area(p, ag->code);
    candidates cd;
    size_t *in = NULL;
    char **absent = NULL;
    sum_owner owner = {"aggregate", "aggregate", &ag->policy, &ag->loc};
    ri_rc rc = RI_RC_OK;

    if (find_candidates(p, ag, target, &cd) != 0 ||
        !(in = malloc((cd.n_in ? cd.n_in : 1) * sizeof *in)) ||
        !(absent = malloc((cd.n_in + cd.n_absent ? cd.n_in + cd.n_absent : 1) * sizeof *absent))) {
        rc = ri_oom(err);
        goto done;
    }
    for (size_t ci = 0; ci < p->n_cols && !rc; ci++) {
        ri_column *c = &p->cols[ci];
        member_set set = {in, 0, absent, 0};
        if (!c->additive)
            continue;
        /* Areas of the members' type absent from a measure's data are another vintage of codes,
           not missing members; a listed member absent from it is missing. */
        for (size_t k = 0; k < cd.n_in; k++) {
            if (c->present[cd.in[k]])
                in[set.n_in++] = cd.in[k];
            else if (!ag->members_type)
                absent[set.n_absent++] = p->area_codes[cd.in[k]];
        }
        if (set.n_in == 0)
            continue;
        for (size_t k = 0; k < cd.n_absent; k++)
            absent[set.n_absent++] = cd.absent[k];
        if (set.n_absent && ag->policy.rule == RI_MEMBERS_STRICT) {
            char names[1024];
            name_areas(p, absent, set.n_absent, names, sizeof names);
            rc = ri_fail(err, RI_RC_DATA,
                         "%s:%d: aggregate %s: %zu of its %zu members have no \"%s\" data (dataset \"%s\"): %s; expected all members or none (or members_rule = \"complete_members\")",
                         ri_loc_file(&ag->loc), ag->loc.line, ag->code, set.n_absent, set.n_in + set.n_absent,
                         c->name, c->dataset, names);
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
        rc = sum_members(p, c, target, &set, &owner, err);
    }
done:
    free(cd.in);
    free(cd.absent);
    free(in);
    free(absent);
    return rc;
}

ri_rc ri_geo_add_aggregates(ri_panel *p, const ri_aggregate_cfg *aggs, size_t n, ri_error *err)
{
    ri_rc rc = RI_RC_OK;
    for (size_t g = 0; g < n && !rc; g++)
        rc = add_aggregate(p, &aggs[g], err);
    return rc;
}

/* A membership from a lookup, in the order lookups and their rows give them. */
typedef struct membership {
    size_t child, parent, seq;
} membership;

static int cmp_membership(const void *x, const void *y)
{
    const membership *a = x, *b = y;
    if (a->child != b->child)
        return a->child < b->child ? -1 : 1;
    if (a->parent != b->parent)
        return a->parent < b->parent ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int cmp_membership_seq(const void *x, const void *y)
{
    const membership *a = x, *b = y;
    if (a->child != b->child)
        return a->child < b->child ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Warn once per lookup whose parents are not areas of the panel while some of their children are. */
static ri_rc warn_lost_parents(ri_panel *p, const ri_lookup *lk, ri_error *err)
{
    ri_strtab *lost = ri_strtab_new(16);
    char **codes = NULL, names[1024];
    size_t n = 0;
    ri_rc rc = RI_RC_OK;

    if (!lost)
        return ri_oom(err);
    for (size_t i = 0; i < lk->n; i++)
        if (ri_panel_area(p, lk->parent[i]) == (size_t)-1 && ri_panel_area(p, lk->child[i]) != (size_t)-1 &&
            ri_strtab_intern(lost, lk->parent[i], strlen(lk->parent[i])) < 0) {
            rc = ri_oom(err);
            goto done;
        }
    if ((n = ri_strtab_count(lost)) == 0)
        goto done;
    if (!(codes = malloc(n * sizeof *codes))) {
        rc = ri_oom(err);
        goto done;
    }
    for (size_t k = 0; k < n; k++)
        codes[k] = (char *)ri_strtab_get(lost, k);
    name_areas(p, codes, n, names, sizeof names);
    if (ri_panel_warn(p,
                      "%s:%d: lookup \"%s\": %zu parent%s of areas in the data %s not in any dataset, so %s no members: %s; expected parents that a dataset has, or aggregate = [ ... ] to sum measures into them",
                      ri_loc_file(&lk->cfg->loc), lk->cfg->loc.line, lk->cfg->id, n, n == 1 ? "" : "s",
                      n == 1 ? "is" : "are", n == 1 ? "it has" : "they have", names) != 0)
        rc = ri_oom(err);
done:
    free(codes);
    ri_strtab_free(lost);
    return rc;
}

/* The overlap of type-t parents (adding it when new), or NULL when out of memory. */
static ri_overlap *overlap_of(ri_panel *p, const char *type)
{
    ri_overlap *o = (ri_overlap *)ri_panel_overlap(p, type), *grown;
    if (o)
        return o;
    if (!(grown = realloc(p->overlaps, (p->n_overlaps + 1) * sizeof *grown)))
        return NULL;
    p->overlaps = grown;
    o = memset(&p->overlaps[p->n_overlaps], 0, sizeof *o);
    if (!(o->type = strdup(type)))
        return NULL;
    p->n_overlaps++;
    return o;
}

/* qsort has no context in C11: the panel whose area types the comparison reads. */
static const ri_panel *types_of;

static int cmp_parent_type(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    int c = strcmp(types_of->area_types[a], types_of->area_types[b]);
    return c ? c : (a > b) - (a < b);
}

/* Members in several parents of one type: LEPs that share districts. A child's parents are
   sorted by type, so that each run of one type is counted once, in linear-logarithmic time
   however many parents it has. */
static ri_rc find_overlaps(ri_panel *p, ri_error *err)
{
    unsigned char *involved = calloc(p->n_areas ? p->n_areas : 1, 1);
    size_t *by_type = NULL, cap = 0;
    ri_rc rc = RI_RC_OK;

    if (!involved)
        return ri_oom(err);
    types_of = p;
    for (size_t c = 0; c < p->n_areas && !rc; c++) {
        size_t n = p->n_parents[c];
        if (n < 2)
            continue;
        if (n > cap) {
            size_t *grown = realloc(by_type, n * sizeof *grown);
            if (!grown) {
                rc = ri_oom(err);
                break;
            }
            by_type = grown;
            cap = n;
        }
        memcpy(by_type, p->parents[c], n * sizeof *by_type);
        qsort(by_type, n, sizeof *by_type, cmp_parent_type);
        for (size_t i = 0; i < n && !rc;) {
            const char *type = p->area_types[by_type[i]];
            size_t j = i + 1;
            ri_overlap *o = NULL;
            char **grown = NULL;
            while (j < n && strcmp(p->area_types[by_type[j]], type) == 0)
                j++;
            if (j - i > 1) {
                if (!(o = overlap_of(p, type)) || !(grown = realloc(o->shared, (o->n_shared + 1) * sizeof *grown)) ||
                    !(grown[o->n_shared] = strdup(p->area_codes[c]))) {
                    if (o && grown)
                        o->shared = grown;
                    rc = ri_oom(err);
                    break;
                }
                o->shared = grown;
                o->n_shared++;
                o->n_extra += j - i - 1;
                for (size_t k = i; k < j; k++)
                    if (!involved[by_type[k]]) {
                        involved[by_type[k]] = 1;
                        o->n_areas++;
                    }
            }
            i = j;
        }
    }
    types_of = NULL;
    free(by_type);
    free(involved);
    return rc;
}

ri_rc ri_geo_record_parents(ri_panel *p, const ri_lookup *const *lookups, size_t n_lookups, ri_error *err)
{
    size_t total = 0, n = 0;
    membership *ms;
    ri_rc rc = RI_RC_OK;

    for (size_t l = 0; l < n_lookups; l++)
        total += lookups[l]->n;
    if (!(ms = malloc((total ? total : 1) * sizeof *ms)))
        return ri_oom(err);
    for (size_t l = 0; l < n_lookups && !rc; l++) {
        rc = warn_lost_parents(p, lookups[l], err);
        for (size_t i = 0; i < lookups[l]->n; i++) {
            size_t c = ri_panel_area(p, lookups[l]->child[i]), par = ri_panel_area(p, lookups[l]->parent[i]);
            if (c != (size_t)-1 && par != (size_t)-1)
                ms[n] = (membership){c, par, n}, n++;
        }
    }
    /* Sorting, not a search per pair: one child may have hundreds of thousands of parents. The
       first listing of a pair wins, and each child keeps its parents in the order first listed. */
    qsort(ms, n, sizeof *ms, cmp_membership);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || ms[i].child != ms[i - 1].child || ms[i].parent != ms[i - 1].parent)
            ms[kept++] = ms[i];
    qsort(ms, kept, sizeof *ms, cmp_membership_seq);
    for (size_t i = 0; i < kept && !rc;) {
        size_t c = ms[i].child, j = i, *grown;
        while (j < kept && ms[j].child == c)
            j++;
        if (!(grown = realloc(p->parents[c], (p->n_parents[c] + (j - i)) * sizeof *grown))) {
            rc = ri_oom(err);
            break;
        }
        p->parents[c] = grown;
        for (; i < j; i++)
            grown[p->n_parents[c]++] = ms[i].parent;
    }
    free(ms);
    return rc ? rc : find_overlaps(p, err);
}
