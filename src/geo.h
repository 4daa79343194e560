/*
 * geo.h — geography: area types, child -> parent lookups, and aggregates.
 *
 * Owns the rules of aggregation over a joined panel. A lookup maps child
 * areas to parents and one child may belong to several parents (districts
 * shared by two LEPs); it sums the measures listed in its `aggregate`
 * setting. An aggregate ("England = every English district once") sums
 * every additive measure over the member areas present in that measure's
 * data, so each district counts once and vintages of codes never mix.
 * Ratios are never summed or averaged: plugins recompute them from summed
 * numerators and denominators. What a sum does with members that lack
 * cells is the aggregate's or lookup's members_rule (strict: the cell is
 * NaN; complete_members: only members with every cell are summed;
 * present_members: each cell sums the members that have it); every sum
 * that leaves members out or keeps missing cells is recorded in the
 * panel's coverage (with the share of the members' total it holds) and
 * warned about once, and min_coverage turns too small a share into an
 * error. Memberships of every lookup are recorded in the panel's parents.
 */
#ifndef RI_GEO_H
#define RI_GEO_H

#include <stddef.h>

#include "config.h"
#include "dataset.h"
#include "error.h"
#include "panel.h"

typedef struct ri_lookup {
    const ri_lookup_cfg *cfg; /* borrowed */
    size_t n;                 /* child -> parent pairs */
    char **child, **parent, **parent_name;
    unsigned long *line;      /* [n] the file line of each pair, for messages */
} ri_lookup;

ri_rc ri_lookup_load(const ri_lookup_cfg *cfg, ri_lookup **out, ri_error *err);
void ri_lookup_free(ri_lookup *lk);

/* Sum the lookup's aggregate measures into its parents; fails when a child lacks a measure's data. */
ri_rc ri_geo_aggregate_lookup(ri_panel *p, const ri_lookup *lk, ri_error *err);

/* Add each configured aggregate for the additive measures whose data has its members. */
ri_rc ri_geo_add_aggregates(ri_panel *p, const ri_aggregate_cfg *aggs, size_t n, ri_error *err);

/* Record every lookup's child -> parent memberships between areas of the panel (first listing
   first) and the overlaps they make; warns when a lookup's parents are in no dataset while
   their children are. */
ri_rc ri_geo_record_parents(ri_panel *p, const ri_lookup *const *lookups, size_t n, ri_error *err);

/* "strict", "complete_members" or "present_members". */
const char *ri_geo_rule_name(ri_members_rule rule);

/* Area type of a GSS or ITL code ("LAD", "LEP", "ITL2", ...), "Other" when unknown. */
const char *ri_geo_type_from_code(const char *code);

/* The type of area a of ds: from the data when bound, else from its code. */
const char *ri_geo_area_type(const ri_dataset *ds, size_t a);

#endif
