#!/bin/sh
# End to end: honest geography on the bundled ONS data and on small jobs —
# members rules and coverage, stable samples, overlapping LEPs, real and
# nominal growth, combined authorities.
. "$SRCDIR/tests/lib.sh"

J="$WORK/job"
mkdir -p "$J/out"

# ---------------------------------------------------------------- the default job

run -c "$CFG" -P "$PLUGIN_DIR" check
expect_status "check of the default job" 0
expect_err "England by industry: the complete districts, named" \
    'aggregate E92000001 England (unique districts): "gva_ind_gbp_m" is the sum of the 292 of 296 members with complete data, 98.9 % of their total (lowest in 2008); left out: E06000052 Cornwall, E06000053 Isles of Scilly, E07000095 Broxbourne, E07000243 Stevenage'
expect_err "a LEP without some sections says which districts lack them" \
    'parent E37000048 Hertfordshire: "gva_ind_gbp_m" is missing in 52 cells: 2 of its 10 members lack cells of it (E07000095 Broxbourne, E07000243 Stevenage)'

mkdir -p "$J/run"
run -c "$CFG" -P "$PLUGIN_DIR" run -q -o "$J/run"
expect_status "run of the default job" 0
M="$J/run/regind.manifest.json"
if grep -q '"source": "aggregate", "area": "E92000001", "measure": "gva_ind_gbp_m", "members_rule": "complete_members", "members": 296, "members_used": 292, "left_out": \["E06000052", "E06000053", "E07000095", "E07000243"\], "share_pct": 98.92445458812' "$M"; then
    ok "manifest: England's coverage"
else
    not_ok "manifest: England's coverage"
fi
if grep -q '"type": "LEP", "areas": 3, "extra_memberships": 7, "shared_members": \["E07000192", ' "$M"; then
    ok "manifest: seven districts in two LEPs"
else
    not_ok "manifest: seven districts in two LEPs"
fi
if grep -q '"conf/regind.cfg:[0-9]*: aggregate E92000001 England (unique districts): \\"gva_ind_gbp_m\\" is the sum of the 292 of 296' "$M" ||
   grep -q 'aggregate E92000001 England (unique districts): \\"gva_ind_gbp_m\\" is the sum of the 292 of 296' "$M"; then
    ok "manifest: the coverage warning's text"
else
    not_ok "manifest: the coverage warning's text"
fi
# -q silences the log, not the record: the plugins' warnings are in the manifest word for word.
if grep -q '"indicator productivity (plugin productivity): productivity: 834 values per hour or per job are NaN' "$M"; then
    ok "manifest: warnings' texts under -q"
else
    not_ok "manifest: warnings' texts under -q"
fi

# Location quotients of finance (K) in 2023 for every LEP but Cornwall and Isles of Scilly, whose
# districts' K is suppressed: England by industry now has all 18 sections.
run -c "$CFG" -P "$PLUGIN_DIR" compare -i lq --period 2023 --format csv
expect_status "compare lq" 0
n=$(grep -c '^E37.*,2023,K (64-66),lq,lq,[0-9]' "$WORK/out")
if [ "$n" -eq 37 ]; then ok "LQ of section K in 2023 for 37 of 38 LEPs"; else not_ok "LQ of section K for $n LEPs, expected 37"; fi
expect_out "England's LQ of K is 1" "E92000001,England (unique districts),2023,K (64-66),lq,lq,1,"

run -c "$CFG" -P "$PLUGIN_DIR" compare --stats --weight population
expect_status "compare --stats --weight" 0
expect_err "weighted means warn about districts in two LEPs" \
    "3 LEP areas share 7 members (E07000192 Cannock Chase, ...): statistics across the LEP areas count them 7 extra times; the weighted mean is not the mean of the population they cover"

# ONS Table 10 (chained volume measures, 2018 money): Black Country 2018 25,126, 2019 24,644;
# 2019 / 2018 - 1 = -1.9183 %. Table 1 (current prices): 21,999 and 22,282, +1.2864 %.
run -c "$CFG" -P "$PLUGIN_DIR" compare -i real_growth -i nominal_growth --format csv "Black Country"
expect_status "compare real and nominal growth" 0
expect_value "real growth of the Black Country, 2019" "$WORK/out" E37000001 2019 growth_pct -1.918331608692192 1e-12
expect_out "real growth says it is real" '"% on the previous year, real (chained volume measures, 2018 money)"'
expect_out "nominal growth says it is nominal" 'nominal_growth,growth_pct,1.2864221100959'
expect_out "nominal growth's unit" '"% on the previous year, nominal (current prices)"'

run -c "$CFG" -P "$PLUGIN_DIR" areas --type CA
expect_status "areas --type CA" 0
n=$(wc -l < "$WORK/out")
if [ "$n" -eq 16 ]; then ok "16 combined authorities (London included)"; else not_ok "$n areas of type CA, expected 16"; fi
expect_out "Greater Manchester" "E47000001  Greater Manchester"
expect_out "London as its own region" "E12000007  London (Greater London Authority)"

# South Yorkshire = Barnsley, Doncaster, Rotherham, Sheffield (2023 codes), whose weekly hours
# the panel sums: the table must list it with a value.
run -c "$CFG" -P "$PLUGIN_DIR" compare -i productivity --type CA --period 2022 --format csv "South Yorkshire"
expect_status "compare productivity of a combined authority" 0
expect_out "South Yorkshire's productivity" "E47000002,South Yorkshire,2022,,productivity,gva_per_hour,"

# ---------------------------------------------------------------- members rules on a small job

# Three districts by industry; E06000002's K is suppressed. Complete members E06000001 and
# E06000003 hold (100 + 50) / 200 = 75 % of the Total.
cat > "$J/ind.csv" <<'CSV'
code,year,sic,gva
E06000001,2019,Total,100
E06000001,2019,A,60
E06000001,2019,K,40
E06000002,2019,Total,50
E06000002,2019,A,30
E06000002,2019,K,[c]
E06000003,2019,Total,50
E06000003,2019,A,20
E06000003,2019,K,30
CSV
rules_job() { # FILE MEMBERS-KEYS
    cat > "$J/$1" <<CFG
datasets = ( { id = "ind"; file = "ind.csv"; area = "code"; period = "year"; industry = "sic";
               measures = { gva = "gva"; }; additive = [ "gva" ]; } );
geography = { aggregates = ( { code = "E92000001"; name = "England"; type = "Country";
                               members_type = "LAD"; $2 } ); };
indicators = ( { id = "lq"; plugin = "location_quotient"; inputs = { value = "gva"; };
                 benchmark = "E92000001"; group_type = "LAD"; } );
CFG
}
rules_job complete.cfg 'members_rule = "complete_members";'
run -c "$J/complete.cfg" -P "$PLUGIN_DIR" check
expect_status "coverage below min_coverage" 1
expect_err "the error names the member and the share" \
    'has complete data for 2 of 3 members, 75.0 % of their total (lowest in 2019), below min_coverage 95 %; members without it: E06000002'

rules_job complete70.cfg 'members_rule = "complete_members"; min_coverage = 70;'
run -c "$J/complete70.cfg" -P "$PLUGIN_DIR" compare -i lq --type LAD --format csv
expect_status "complete members above min_coverage" 0
# E06000001's K share 40 / 100 against England's (40 + 30) / 150: 0.4 / 0.4667 = 0.857142...
expect_out "LQ against the complete members" "E06000001,,2019,K,lq,lq,0.857142857142857"

rules_job strict.cfg ''
run -c "$J/strict.cfg" -P "$PLUGIN_DIR" compare -i lq --type LAD --format csv
expect_status "strict members" 0
expect_err "strict suggests complete members" 'members_rule = "complete_members" sums the complete members instead'
if grep -q ',2019,K,lq,lq,[0-9]' "$WORK/out"; then not_ok "strict: no LQ of K without England's K"; else ok "strict: no LQ of K without England's K"; fi

# ---------------------------------------------------------------- stable samples

# Four ITL3 regions with equal population; TLC14 has no 2021 value. share_of_total_pct in
# 2020: all four 10, 20, 30, 40 of 100; balanced (TLC14 left out), TLC11 is 10 of 60.
# UKX is the benchmark, outside the group.
cat > "$J/itl.csv" <<'CSV'
code,name,2020,2021
UKX,All,100,63
TLC11,One,10,11
TLC12,Two,20,21
TLC13,Three,30,31
TLC14,Four,40,..
CSV
cat > "$J/pop.csv" <<'CSV'
code,name,2020,2021
UKX,All,4,3
TLC11,One,1,1
TLC12,Two,1,1
TLC13,Three,1,1
TLC14,Four,1,1
CSV
sample_job() { # FILE SAMPLE-KEY
    cat > "$J/$1" <<CFG
datasets = ( { id = "g"; file = "itl.csv"; layout = "wide"; area = "code"; area_name = "name"; measure = "g"; },
             { id = "p"; file = "pop.csv"; layout = "wide"; area = "code"; area_name = "name"; measure = "p"; } );
indicators = ( { id = "ineq"; plugin = "inequality"; inputs = { numerator = "g"; denominator = "p"; };
                 params = { scale = 1.0; }; benchmark = "UKX"; group_type = "ITL3"; $2 } );
CFG
}
sample_job all.cfg ''
run -c "$J/all.cfg" -P "$PLUGIN_DIR" compare -i ineq --period 2020 --format csv
expect_status "a drifting sample" 0
expect_err "the drift is named" 'the ITL3 areas with data change between periods: 4 in 2020, 3 in 2021; statistics across them compare different sets of areas (sample = "balanced" keeps the 3 with data in every period)'
expect_value "all four in 2020" "$WORK/out" TLC11 2020 share_of_total_pct 10 1e-12

sample_job balanced.cfg 'sample = "balanced";'
run -v -c "$J/balanced.cfg" -P "$PLUGIN_DIR" compare -i ineq --period 2020 --format csv
expect_status "a balanced sample" 0
expect_err "balanced says who is kept" 'sample = "balanced": 3 of the 4 ITL3 areas have data in every period 2020-2021; the other 1 are left out of the group'
expect_value "the same three in 2020" "$WORK/out" TLC11 2020 share_of_total_pct 16.666666666666668 1e-12

sample_job bad.cfg 'sample = "stable";'
run -c "$J/bad.cfg" -P "$PLUGIN_DIR" check
expect_status "an unknown sample" 2
expect_err "sample's choices" '"sample" must be "all" or "balanced"; got "stable"'

finish
