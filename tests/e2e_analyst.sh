#!/bin/sh
# End to end: the analyst's one-command variations of the default job —
# parameter overrides with --param.
. "$SRCDIR/tests/lib.sh"

# An @include file that only sets missing markers is part of the fingerprint as well.
mkdir -p "$WORK/inc/out"
printf 'code,year,v\nE06000001,2019,10\nE06000001,2020,n/k\n' > "$WORK/inc/d.csv"
printf 'missing = [ "n/k" ];\n' > "$WORK/inc/markers.cfg"
cat > "$WORK/inc/job.cfg" <<'CFG'
@include "markers.cfg"
datasets = ( { id = "d"; file = "d.csv"; area = "code"; period = "year"; measures = { v = "v"; }; } );
indicators = ( { id = "g"; plugin = "growth"; inputs = { value = "v"; }; params = { prices = "none"; }; } );
outputs = ( { file = "out/g.csv"; } );
run = { skip_if_unchanged = true; };
CFG
run -c "$WORK/inc/job.cfg" -P "$PLUGIN_DIR" run
expect_status "a job with an @include" 0
run -c "$WORK/inc/job.cfg" -P "$PLUGIN_DIR" run
expect_err "unchanged: nothing to do" "nothing to do"
printf 'missing = [ "n/k", "-" ];\n' > "$WORK/inc/markers.cfg"
run -c "$WORK/inc/job.cfg" -P "$PLUGIN_DIR" run
if grep -q "nothing to do" "$WORK/err"; then not_ok "a changed @include file recomputes"; else ok "a changed @include file recomputes"; fi

# ---------------------------------------------------------------- statistics that mean something

run -c "$CFG" -P "$PLUGIN_DIR" compare --stats --weight population
expect_status "compare --stats --weight population" 0
# A coefficient of variation for ratios of positive quantities only; no weighted mean of a total.
expect_out "cv of GVA per head" "cv 0.276"
if grep -A1 'gap_pct \[' "$WORK/out" | grep -q 'cv '; then not_ok "no cv of a gap"; else ok "no cv of a gap"; fi
if grep -A1 'gap_total_gbp_m \[' "$WORK/out" | grep -q 'weighted'; then
    not_ok "no population-weighted mean of a total"
else
    ok "no population-weighted mean of a total"
fi
# Each indicator is weighted in its own period: productivity (2022) has no 2022 population in the
# 2021 release, so its weighted mean is n/a rather than one weighted by 2019's population.
run -c "$CFG" -P "$PLUGIN_DIR" compare -i gap -i productivity --stats --weight population
expect_out "weights of the indicator's own period" "gva_per_hour [GBP per hour]: n 38; mean 38.0; population-weighted mean n/a"
run -c "$CFG" -P "$PLUGIN_DIR" compare -i real_growth
expect_status "compare real growth" 0
if grep -q "coefficient of variation" "$WORK/out"; then not_ok "no cv of growth rates"; else ok "no cv of growth rates"; fi
# A negative "target" would read as money to take away: areas ahead of England have none.
run -c "$CFG" -P "$PLUGIN_DIR" compare --format csv London
expect_out "London's target is n/a" "E37000051,London,2019,,gap,target_gbp_m,,"

# ---------------------------------------------------------------- a breakdown named for what it is

run -c "$SRCDIR/conf/investment.cfg" -P "$PLUGIN_DIR" compare --format csv
expect_status "investment job, csv" 0
expect_out "the scope column is named scope" "area_code,area_name,period,scope,indicator,output,value,unit"
run -c "$SRCDIR/conf/investment.cfg" -P "$PLUGIN_DIR" compare --format json
expect_out "and so is its JSON key" '"period":"2013","scope":"City Deal'
run -c "$SRCDIR/conf/investment.cfg" -P "$PLUGIN_DIR" compare --top 3
expect_out "and the table's column" "leverage    jobs  scope"

# ---------------------------------------------------------------- peer groups

# ONS enterprise regions, 2019 (Tables 1 and 6), GVA / population:
#   Lancashire 34,393 / 1,508,941 = 22,792.806; Cumbria 12,203 / 500,012 = 24,405.414;
#   Tees Valley 13,950 / 675,944 = 20,637.804; North East 41,389 / 1,993,997 = 20,756.802.
# Their unweighted mean is 22,148.2066; weighted by population 21,786.1315.
run -c "$CFG" -P "$PLUGIN_DIR" compare --peers northern_peers --format csv
expect_status "compare --peers GROUP" 0
expect_value "the mean of the four peers" "$WORK/out" PEERS 2019 gva_per_head 22148.2066 1e-4
expect_out "named after the group" "PEERS,Mean of northern_peers (4 LEP areas),2019"
if grep -q "^E37000051," "$WORK/out"; then not_ok "only the peers are listed"; else ok "only the peers are listed"; fi
run -c "$CFG" -P "$PLUGIN_DIR" compare --peers "Lancashire,Cumbria,E37000034,North East" --stats --weight population
expect_status "compare --peers A,B,C,D --stats --weight" 0
expect_out "ranks within the group: Cumbria first of four" "     1  100  Cumbria"
expect_out "Tees Valley last" "     4    0  Tees Valley"
expect_out "their mean as the last row" "Mean of the peers (4 … [mean] PEERS            22,148"
expect_out "the weighted mean of the peers" "population-weighted mean 21,786"
run -c "$CFG" -P "$PLUGIN_DIR" report --peers northern_peers
expect_status "report --peers" 0
expect_out "the report ranks the peers against their mean" "the benchmark, Mean of northern_peers (4 LEP areas), was 22,148"
if grep -q "E37000051" "$WORK/out"; then not_ok "the report lists only the peers"; else ok "the report lists only the peers"; fi
run -c "$CFG" -P "$PLUGIN_DIR" compare --peers "Lancashire,E08000001"
expect_status "peers of two types" 2
expect_err "mixed types are refused" "is of type LAD and E37000019 (Lancashire) of type LEP; expected areas of one type"
run -c "$CFG" -P "$PLUGIN_DIR" compare --peers "Lancashire,Nowhereshire"
expect_status "an unknown peer" 2
expect_err "an unknown peer is named" "--peers: "

# ---------------------------------------------------------------- own data beside the default job

# An ONS-style table (areas down, years across, a ".." marker, a row of an area with every value
# missing, a notes row at the bottom) in a second job file that adds a dataset and an indicator.
# The counts are illustrative. Black Country 2021 on 2020: 6,500 / 5,800 - 1 = 12.0690 %.
mkdir -p "$WORK/mine"
cat > "$WORK/mine/births.csv" <<'CSV'
code,name,2019,2020,2021
E37000001,Black Country,6200,5800,6500
E37000019,Lancashire,5100,..,5600
E37000051,London,68000,63000,70000
E37000099,,,,
Source: illustrative counts of business births,,,,
CSV
cat > "$WORK/mine/mine.cfg" <<'CFG'
datasets = (
  { id = "births"; file = "births.csv"; layout = "wide"; area = "code"; area_name = "name";
    measure = "business_births"; }
);
indicators = (
  { id = "births_growth"; plugin = "growth"; inputs = { value = "business_births"; };
    params = { prices = "none"; years = 2; }; }
);
CFG
run -c "$CFG" -c "$WORK/mine/mine.cfg" -P "$PLUGIN_DIR" compare -i births_growth --format csv
expect_status "two job files" 0
expect_value "the second file's indicator on its own data" "$WORK/out" E37000001 2021 growth_pct 12.068965517241379 1e-12
expect_value "Lancashire, 2021 against 2019" "$WORK/out" E37000019 2021 cagr_pct 4.787366399116766 1e-12
expect_out "a row with every value missing is data" "E37000099,,2021,,births_growth,growth_pct,,"
if grep -q "illustrative" "$WORK/out" "$WORK/err"; then not_ok "the notes row is no area"; else ok "the notes row is no area"; fi

# -m shows the measure itself, for the bundled LEPs and the new table alike.
run -c "$CFG" -c "$WORK/mine/mine.cfg" -P "$PLUGIN_DIR" compare -m business_births -m population --period 2019 --format csv "Black Country"
expect_status "compare -m" 0
expect_out "the user's measure" "E37000001,Black Country,2019,,measure,business_births,6200,as in the data"
# ONS Table 6: the Black Country's population in 2019 was 1,198,881.
expect_out "a bundled measure" "E37000001,Black Country,2019,,measure,population,1198881,as in the data"
run -c "$CFG" -P "$PLUGIN_DIR" compare -m gva_per_hour --period 2022
expect_status "compare -m of a rate" 0
expect_err "a rate is never summed" "-m gva_per_hour: not additive (a rate or ratio), so it is never summed"
run -c "$CFG" -P "$PLUGIN_DIR" compare -m populaton
expect_status "an unknown measure" 2
expect_err "the nearest measure" '-m populaton: no dataset or derived measure of the job has that name; did you mean "population"?'

# The same, read as two halves on two threads (as files of 16 MiB and more are): notes end the
# table whichever half they fall in, and data below them is still refused. 1,000 rows of data,
# then a note row where the file is cut in two (the last row of the first half).
awk 'BEGIN { print "code,name,2019"; for (i = 0; i < 1000; i++) printf "E0%08d,,%d\n", i, i }' > "$WORK/mine/big.csv"
cat > "$WORK/mine/big.cfg" <<'CFG'
datasets = ( { id = "big"; file = "big.csv"; layout = "wide"; area = "code"; measure = "big_value"; } );
CFG
cp "$WORK/mine/big.csv" "$WORK/mine/big-data.csv"
printf 'Source: a note at the end\n' >> "$WORK/mine/big.csv"
REGIND_TEST_HALVES_MIN_BYTES=1
export REGIND_TEST_HALVES_MIN_BYTES
run -c "$CFG" -c "$WORK/mine/big.cfg" -P "$PLUGIN_DIR" compare -m big_value --type Other --format csv
expect_status "a notes row at the end, read in halves" 0
expect_out "every data row read" "E000000999,,2019,,measure,big_value,999,"
awk 'NR == 568 { print "Source: a note in the middle" } { print }' "$WORK/mine/big-data.csv" > "$WORK/mine/big.csv"
run -c "$CFG" -c "$WORK/mine/big.cfg" -P "$PLUGIN_DIR" compare -m big_value --type Other
expect_status "data below a note in the middle, read in halves" 1
expect_err "is refused as by one reader" "big.csv:569: a data row after the note on line 568 that ends the table"
unset REGIND_TEST_HALVES_MIN_BYTES

printf 'E37000048,Hertfordshire,1,2,3\n' >> "$WORK/mine/births.csv"
run -c "$CFG" -c "$WORK/mine/mine.cfg" -P "$PLUGIN_DIR" compare -i births_growth
expect_status "data below the notes" 1
expect_err "is never dropped" "births.csv:7: a data row after the note on line 6 that ends the table"

cat > "$WORK/mine/clash.cfg" <<'CFG'
datasets = ( { id = "er_gva"; file = "births.csv"; layout = "wide"; area = "code"; measure = "b"; } );
CFG
run -c "$CFG" -c "$WORK/mine/clash.cfg" -P "$PLUGIN_DIR" check
expect_status "an id in both files" 2
expect_err "names both files" "clash.cfg:1: dataset id \"er_gva\" is already used by the dataset at $CFG:"

cat > "$WORK/mine/outputs.cfg" <<'CFG'
outputs = ( { file = "x.csv"; } );
CFG
run -c "$CFG" -c "$WORK/mine/outputs.cfg" -P "$PLUGIN_DIR" check
expect_status "outputs in a later file" 2
expect_err "belong in the first" "outputs.cfg:1: \"outputs\" belongs in the first job file ($CFG)"

# ---------------------------------------------------------------- --param

# Lancashire's GVA per hour in 2010 and 2022 from the job as it is; with cagr_years = 12 the
# compound growth of 2022 must be (level 2022 / level 2010)^(1/12) - 1, recomputed here.
run -c "$CFG" -P "$PLUGIN_DIR" compare -i productivity --since 2010 --format csv Lancashire
expect_status "compare productivity since 2010" 0
l10=$(awk -F, '$1 == "E37000019" && $3 == "2010" && $6 == "gva_per_hour" { print $7 }' "$WORK/out")
l22=$(awk -F, '$1 == "E37000019" && $3 == "2022" && $6 == "gva_per_hour" { print $7 }' "$WORK/out")
want=$(awk -v a="$l10" -v b="$l22" 'BEGIN { printf "%.12f", ((b / a) ^ (1 / 12) - 1) * 100 }')

run -c "$CFG" -P "$PLUGIN_DIR" compare -i productivity --param productivity.cagr_years=12 --format csv Lancashire
expect_status "compare --param productivity.cagr_years=12" 0
expect_value "12-year compound growth of Lancashire, 2022" "$WORK/out" E37000019 2022 cagr_per_hour_pct "$want" 1e-9

# The window's own growth in a series: from 2010 to 2022 it is the same 12-year rate, 3.05 % a year.
run -c "$CFG" -P "$PLUGIN_DIR" compare -i productivity --since 2010 Lancashire
expect_status "compare --since 2010" 0
round=$(awk -v w="$want" 'BEGIN { printf "%.2f", w }')
expect_out "the window's compound growth" "  $round"
expect_out "labelled with the window" "CAGR %: compound annual growth from 2010 to 2022 in % a year (12 years)"

run -c "$CFG" -P "$PLUGIN_DIR" compare -i productivity --param productivity.cagr_yeras=12 Lancashire
expect_status "an unknown parameter" 2
expect_err "names the option and the nearest parameter" \
    '--param productivity.cagr_yeras=12: indicator "productivity": plugin productivity has no parameter "cagr_yeras"; did you mean "cagr_years"?'

run -c "$CFG" -P "$PLUGIN_DIR" compare --param productivty.cagr_years=12
expect_status "an unknown indicator" 2
expect_err "names the nearest indicator" '--param productivty.cagr_years=12: the job has no indicator "productivty"; did you mean "productivity"?'

run -c "$CFG" -P "$PLUGIN_DIR" check --param productivity.cagr_years=100
expect_status "a value out of range, at check" 2
expect_err "validated like the job file" '--param productivity.cagr_years=100: indicator "productivity": parameter "cagr_years" = 100 is out of range; expected 1 to 50'

run -c "$CFG" -P "$PLUGIN_DIR" compare --param gap.target_share
expect_status "no value" 2
expect_err "the expected form" '--param gap.target_share: expected ID.NAME=VALUE'

mkdir -p "$WORK/run"
run -c "$CFG" -P "$PLUGIN_DIR" run -q -o "$WORK/run" --param gap.target_share=0.25
expect_status "run --param" 0
# The Black Country's whole gap in 2019 is GBP 13,971.57m (tests/e2e_compare.sh); a quarter of it.
expect_value "a quarter of the Black Country's gap" "$WORK/run/lep-indicators.csv" E37000001 2019 target_gbp_m 3492.892858 1e-5
if grep -q '"params": \["--param gap.target_share=0.25"\]' "$WORK/run/regind.manifest.json"; then
    ok "the manifest records the override"
else
    not_ok "the manifest records the override"
fi

# skip_if_unchanged (the nightly job) never skips a run whose --param differs from the last one's.
mkdir -p "$WORK/nightly"
run -c "$SRCDIR/conf/nightly.cfg" -P "$PLUGIN_DIR" run -o "$WORK/nightly"
expect_status "nightly run" 0
run -c "$SRCDIR/conf/nightly.cfg" -P "$PLUGIN_DIR" run -o "$WORK/nightly"
expect_status "nightly run again" 0
expect_err "nothing changed: nothing to do" "nothing to do"
run -c "$SRCDIR/conf/nightly.cfg" -P "$PLUGIN_DIR" run -o "$WORK/nightly" --param gap.target_share=0.5
expect_status "nightly run with --param" 0
if grep -q "nothing to do" "$WORK/err"; then not_ok "a new --param recomputes"; else ok "a new --param recomputes"; fi
# A later job file that only adds missing markers is part of the fingerprint too.
printf 'missing = [ "n/k" ];\n' > "$WORK/nightly/extra.cfg"
run -c "$SRCDIR/conf/nightly.cfg" -c "$WORK/nightly/extra.cfg" -P "$PLUGIN_DIR" run -o "$WORK/nightly"
expect_status "nightly run with a second job file" 0
run -c "$SRCDIR/conf/nightly.cfg" -c "$WORK/nightly/extra.cfg" -P "$PLUGIN_DIR" run -o "$WORK/nightly"
expect_err "unchanged: nothing to do" "nothing to do"
printf 'missing = [ "n/k", "-1" ];\n' > "$WORK/nightly/extra.cfg"
run -c "$SRCDIR/conf/nightly.cfg" -c "$WORK/nightly/extra.cfg" -P "$PLUGIN_DIR" run -o "$WORK/nightly"
if grep -q "nothing to do" "$WORK/err"; then not_ok "a changed second job file recomputes"; else ok "a changed second job file recomputes"; fi

finish
