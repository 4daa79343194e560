#!/bin/sh
# End to end: `regind compare` on the bundled ONS data, in all three formats.
. "$SRCDIR/tests/lib.sh"

run -c "$CFG" -P "$PLUGIN_DIR" compare
expect_status "compare (table)" 0
expect_out "table names the benchmark" "E92000001"
expect_out "table ranks London first, at the 100th percentile" "     1  100  London"
expect_out "table has the units legend" "gva_per_head = GBP per head"
# 38 LEPs + the benchmark row.
rows=$(grep -c ' E37000' "$WORK/out")
if [ "$rows" -eq 38 ]; then ok "table lists all 38 LEPs"; else not_ok "table lists $rows LEPs, expected 38"; fi

# Without COLUMNS the table fits 100 characters: the first outputs, and a line naming the rest.
width=$(wc -L < "$WORK/out")
if [ "$width" -le 100 ]; then ok "table fits 100 columns ($width)"; else not_ok "table is $width characters wide"; fi
expect_out "outputs left out are named" "Not shown, to fit 100 columns: gap_total_gbp_m,target_gbp_m"
# One precision per column: gap_pct to 1 dp (Oxfordshire 9.0 beside 4.4), GBP as whole pounds.
expect_out "index and percentage points to one decimal" "Oxfordshire                   E37000053        32,961  109.0     -9.0            -2,721"
COLUMNS=120 run -c "$CFG" -P "$PLUGIN_DIR" compare
width=$(wc -L < "$WORK/out")
if [ "$width" -le 120 ]; then ok "COLUMNS=120: table fits ($width)"; else not_ok "COLUMNS=120: table is $width characters wide"; fi
COLUMNS=200 run -c "$CFG" -P "$PLUGIN_DIR" compare
# South East Midlands 2019: gap 51.4 GBP m, target half of it, 25.7, shown whole like the rest of the column.
expect_out "wide terminal shows every output, GBP million as whole numbers" "0.1                30               51            26"
if grep -q 'Not shown' "$WORK/out"; then not_ok "nothing left out at 200 columns"; else ok "nothing left out at 200 columns"; fi
run -c "$CFG" -P "$PLUGIN_DIR" compare --outputs target_gbp_m,index --top 1
expect_status "compare --outputs" 0
expect_out "--outputs picks the columns in the indicator's order" "index  target_gbp_m"
if grep -q 'gva_per_head  ' "$WORK/out"; then not_ok "--outputs leaves the others out"; else ok "--outputs leaves the others out"; fi
run -c "$CFG" -P "$PLUGIN_DIR" compare --outputs taget_gbp_m
expect_status "compare --outputs with a typo" 2
expect_err "--outputs suggests the nearest output" 'did you mean "target_gbp_m"?'
run -c "$CFG" -P "$PLUGIN_DIR" compare -i prodctivity
expect_status "compare -i with a typo" 2
expect_err "-i suggests the nearest indicator" 'did you mean "productivity"?'
# Each indicator in its own latest period: GVA per head ends in 2019, productivity in 2022.
run -c "$CFG" -P "$PLUGIN_DIR" compare -i gap -i productivity --top 1
expect_out "gap in its latest period" "gap (plugin gva_gap), 2019:"
expect_out "productivity in its latest period" "productivity (plugin productivity), 2022:"

run -c "$CFG" -P "$PLUGIN_DIR" compare --format csv
expect_status "compare --format csv" 0
cp "$WORK/out" "$WORK/gap.csv"
expect_out "csv header" "area_code,area_name,period,industry,indicator,output,value,unit"
# ONS enterprise regions (May 2021), 2019: Black Country GVA 22,282 / population 1,198,881 = 18,585.66;
# London 2019 GVA per head about 52,239 (the figure the issue quotes from the same release).
expect_value "Black Country GVA per head 2019" "$WORK/gap.csv" E37000001 2019 gva_per_head 18585.66 0.01
expect_value "London GVA per head 2019" "$WORK/gap.csv" E37000051 2019 gva_per_head 52239 1
# England = the 309 unique English districts: GVA 1,702,090 (£m), population 56,286,961 -> 30,239.51.
expect_value "England (unique districts) GVA per head 2019" "$WORK/gap.csv" E92000001 2019 gva_per_head 30239.51 0.01
expect_value "Black Country index 2019" "$WORK/gap.csv" E37000001 2019 index 61.4615 0.001
expect_value "Black Country gap per head 2019" "$WORK/gap.csv" E37000001 2019 gap_per_head_gbp 11653.84 0.01
if grep -q '^E37000001,Black Country,2019,,gap,gva_per_head,' "$WORK/gap.csv"; then ok "csv row layout"; else not_ok "csv row layout"; fi

# Every dataset read in two halves on two threads (done for large files only) gives the same table.
REGIND_TEST_HALVES_MIN_BYTES=0
export REGIND_TEST_HALVES_MIN_BYTES
run -c "$CFG" -P "$PLUGIN_DIR" compare --format csv
unset REGIND_TEST_HALVES_MIN_BYTES
expect_status "compare --format csv, datasets read in halves" 0
if cmp -s "$WORK/out" "$WORK/gap.csv"; then ok "halves give the same csv byte for byte"; else not_ok "halves change the csv"; fi

# The bundled job's output formatted in pieces of two cells on two threads (done for large
# outputs only) is the same file, byte for byte, as when one thread writes it.
mkdir -p "$WORK/one" "$WORK/pieces"
run -c "$CFG" -P "$PLUGIN_DIR" run -q -o "$WORK/one"
expect_status "run, one thread formatting" 0
REGIND_TEST_SMALL_PIECES=1
export REGIND_TEST_SMALL_PIECES
run -c "$CFG" -P "$PLUGIN_DIR" run -q -o "$WORK/pieces"
unset REGIND_TEST_SMALL_PIECES
expect_status "run, formatting in pieces" 0
if cmp -s "$WORK/one/lep-indicators.csv" "$WORK/pieces/lep-indicators.csv"; then
    ok "pieces give the same output byte for byte"
else
    not_ok "pieces change the output"
fi

run -c "$CFG" -P "$PLUGIN_DIR" compare --format json "Black Country"
expect_status "compare --format json" 0
expect_out "json has Black Country" '"area_code":"E37000001","area_name":"Black Country"'
expect_out "json has the benchmark" '"area_code":"E92000001"'
if grep -q 'E37000051' "$WORK/out"; then not_ok "json selects only Black Country and the benchmark"; else ok "json selects only Black Country and the benchmark"; fi

run -c "$CFG" -P "$PLUGIN_DIR" compare --top -1
expect_status "compare --top -1" 2
expect_err "--top -1 refused" "compare: --top '-1': expected a positive whole number"

# Names come from data files: control characters in them (an escape sequence that would
# recolour the terminal or set its title, a C1 CSI) are shown as text, never sent raw.
printf 'code,name,period,gva,pop\nE1,Bench,2019,100,10\nE2,Evil\033]0;pwned\007\033[31mRed\302\233x,2019,50,5\n' > "$WORK/names.csv"
cat > "$WORK/names.cfg" <<'JOB'
datasets = ( { id = "d"; file = "names.csv"; area = "code"; area_name = "name"; period = "period";
               measures = { gva = "gva"; pop = "pop"; }; } );
indicators = ( { id = "gap"; plugin = "gva_gap"; inputs = { gva = "gva"; denominator = "pop"; }; benchmark = "E1"; } );
JOB
COLUMNS=200 run -c "$WORK/names.cfg" -P "$PLUGIN_DIR" compare E1 E2
expect_status "compare with control characters in a name" 0
expect_out "control characters shown as text" 'Evil\x1b]0;pwned\x07\x1b[31mRed\x9bx'
if LC_ALL=C grep -q "$(printf '[\033\007]')" "$WORK/out"; then not_ok "a raw control character reached the table"; else ok "no raw control character in the table"; fi

# Without -i, the compared indicators are all the job's: their common group_type sets the
# type compared (regind(1)), here regions rather than the default LEPs.
printf 'code,period,gva,pop\nE12000001,2019,100,10\nE12000002,2019,50,5\nE37000001,2019,70,7\n' > "$WORK/regions.csv"
cat > "$WORK/regions.cfg" <<'JOB'
datasets = ( { id = "d"; file = "regions.csv"; area = "code"; period = "period"; measures = { gva = "gva"; pop = "pop"; }; } );
indicators = ( { id = "gap"; plugin = "gva_gap"; inputs = { gva = "gva"; denominator = "pop"; }; benchmark = "E12000001";
                 group_type = "Region"; } );
JOB
run -c "$WORK/regions.cfg" -P "$PLUGIN_DIR" compare
expect_status "compare without -i" 0
expect_out "the indicators' group_type is compared" "gap (plugin gva_gap), 2019: Region areas ranked by gva_per_head"
if grep -q E37000001 "$WORK/out"; then not_ok "a LEP listed among regions"; else ok "only regions listed"; fi

run -c "$CFG" -P "$PLUGIN_DIR" compare --period 2010 --top 3
expect_status "compare --period --top" 0
expect_out "period shown" "2010"
rows=$(grep -c ' E37000' "$WORK/out")
if [ "$rows" -eq 3 ]; then ok "--top 3 shows 3 areas"; else not_ok "--top 3 shows $rows areas"; fi

run -c "$CFG" -P "$PLUGIN_DIR" compare --since 2017 lancashire
expect_status "compare --since" 0
expect_out "series header" "2017"
expect_out "name fragment matches case-insensitively" "Lancashire"

COLUMNS=200 run -c "$CFG" -P "$PLUGIN_DIR" compare --stats --weight population
expect_status "compare --stats --weight" 0
# Mean of the 38 published LEP GVA-per-head figures for 2019, and the same weighted by population
# (LEPs overlap, so shared districts weigh twice), from the enterprise regions tables T1 and T6.
expect_out "stats line" "gva_per_head [GBP per head]: n 38; mean 27,251; population-weighted mean 30,165; median 25,085"
expect_out "stats extremes" "min 18,586 (Black Country); max 52,239 (London)"

run -c "$CFG" -P "$PLUGIN_DIR" compare -i productivity --since 2015 "Black Country"
expect_status "compare --since with trend" 0
# ONS June 2024: Black Country GVA per hour 2015..2022 rebuilt from its districts; slope by least squares.
expect_out "series row with trend" "Black Country"
expect_out "trend column" "trend/year"

# Productivity 2022 from the June 2024 district data, aggregated to the LEP as a ratio of sums:
# Black Country = sum(GVA per hour x weekly hours) / sum(weekly hours) over Dudley, Sandwell, Walsall
# and Wolverhampton = 31.8627 GBP per hour; UK less Extra-Regio published 39.7 -> index 80.259;
# England (296 unique English LAD-2023 districts, rebuilt the same way) = 40.3829 -> index 78.902.
run -c "$CFG" -P "$PLUGIN_DIR" compare -i productivity -i productivity_england --format csv --period 2022 "Black Country"
expect_status "compare productivity csv" 0
cp "$WORK/out" "$WORK/prod.csv"
value_of() { awk -F, -v i="$1" -v o="$2" '$1 == "E37000001" && $5 == i && $6 == o { print $7 }' "$WORK/prod.csv"; }
near() { awk -v g="$1" -v e="$2" -v t="$3" 'BEGIN { d = g - e; if (d < 0) d = -d; exit !(g != "" && d <= t) }'; }
for check in "productivity gva_per_hour 31.8627" "productivity index_per_hour 80.2587" \
             "productivity_england index_per_hour 78.9015"; do
    set -- $check
    got=$(value_of "$1" "$2")
    if near "$got" "$3" 0.0001; then ok "Black Country 2022 $1 $2 = $got"; else not_ok "Black Country 2022 $1 $2 = '$got', expected $3"; fi
done

# Jobs per pound on the LEP investment figures (conf/investment.cfg). The Midlands LEPs reported
# GBP 4.1bn of Government investment, GBP 11.1bn of match funding and 75,000 jobs:
# 75,000 / 4,100 = 18.29 jobs per GBP 1m, 4.1e9 / 75,000 = GBP 54,666.67 per job, 11.1 / 4.1 = 2.707.
# Stoke-on-Trent and Staffordshire's 2021-22 review: 297 jobs and no public figure, so no ratio.
run -c "$SRCDIR/conf/investment.cfg" -P "$PLUGIN_DIR" compare --format csv PRG-MIDLANDS-LEPS Stoke
expect_status "jobs per pound compare" 0
cp "$WORK/out" "$WORK/jpp.csv"
# The scope may hold commas inside quotes; the value and unit are always the last two fields.
jpp() { awk -F, -v a="$1" -v o="$2" -v r="$3" '$1 == a && $(NF-2) == o && index($0, r) { print $(NF-1) }' "$WORK/jpp.csv"; }
got=$(jpp PRG-MIDLANDS-LEPS jobs_per_million "row 9")
if near "$got" 18.2927 0.0001; then ok "Midlands jobs per GBP 1m = $got"; else not_ok "Midlands jobs per GBP 1m = '$got'"; fi
got=$(jpp PRG-MIDLANDS-LEPS cost_per_job_gbp "row 9")
if near "$got" 54666.67 0.01; then ok "Midlands cost per job = $got"; else not_ok "Midlands cost per job = '$got'"; fi
got=$(jpp PRG-MIDLANDS-LEPS leverage "row 9")
if near "$got" 2.7073 0.0001; then ok "Midlands leverage = $got"; else not_ok "Midlands leverage = '$got'"; fi
got=$(jpp E37000032 jobs "row 47")
if [ "$got" = 297 ]; then ok "Stoke 2021-22 jobs = 297"; else not_ok "Stoke 2021-22 jobs = '$got'"; fi
got=$(jpp E37000032 jobs_per_million "row 47")
if [ -z "$got" ]; then ok "Stoke without public money: no jobs per pound"; else not_ok "Stoke jobs per pound = '$got'"; fi
expect_out "the kind of each figure stays visible" "public: delivered (Government investment) | jobs: actual"

# An indicator fed by another's output ("ID.OUTPUT"): compare runs the one it depends on too.
cat > "$WORK/chain.csv" <<'CSV'
area,year,gva,pop
A1,2020,10,1
A2,2020,20,1
A3,2020,30,1
A4,2020,40,1
CSV
cat > "$WORK/chain.cfg" <<'CFG'
datasets = ( { id = "d"; file = "chain.csv"; area = "area"; period = "year";
               measures = { gva = "gva"; pop = "pop"; }; additive = [ "gva", "pop" ]; } );
geography = { aggregates = ( { code = "ALL"; name = "All"; type = "Total"; members_type = "Other"; } ); };
indicators = (
  { id = "g"; plugin = "gva_gap"; inputs = { gva = "gva"; denominator = "pop"; }; params = { gva_scale = 1.0; };
    benchmark = "ALL"; group_type = "Other"; },
  { id = "dist"; plugin = "distribution"; inputs = { value = "g.gva_per_head"; }; benchmark = "ALL"; group_type = "Other"; }
);
CFG
run -c "$WORK/chain.cfg" -P "$PLUGIN_DIR" compare -i dist --format csv ALL
expect_status "compare an indicator fed by another's output" 0
# Per head 10, 20, 30, 40 (GBP 1 per unit): the median of the four is 25 (GSL: halfway between 20 and 30).
expect_out "median of the group on the benchmark row" "ALL,All,2020,,dist,p50,25,"
if grep -q ',g,gva_per_head,' "$WORK/out"; then not_ok "only the asked indicator is shown"; else ok "only the asked indicator is shown"; fi

# The deciles are statistics of the group (RI_BENCHMARK_ROW): on ALL's row only, while every
# area of the group has its rank. Four areas, one period: 9 deciles, 4 ranks.
run -c "$WORK/chain.cfg" -P "$PLUGIN_DIR" compare -i dist --format csv
expect_status "compare the distribution of every area" 0
n=$(grep -c ',dist,p[1-9]0,' "$WORK/out")
if [ "$n" -eq 9 ]; then ok "deciles only on the benchmark row"; else not_ok "$n decile rows, expected 9 (ALL's only)"; fi
n=$(grep -c ',dist,rank,[0-9]' "$WORK/out")
if [ "$n" -eq 4 ]; then ok "every member has a rank"; else not_ok "$n ranks, expected 4"; fi

# compare reads only the datasets its indicators need: a broken file that no compared indicator
# uses does not stop it (check, which reads everything, still refuses the job), and areas are
# listed by code whatever order the file gave them.
cat > "$WORK/good.csv" <<'CSV'
area,year,gva,pop
B2,2020,20,1
A1,2020,10,1
C3,2020,30,1
CSV
printf 'area,year,x\nA1,2020,1,extra\n' > "$WORK/broken.csv"
cat > "$WORK/view.cfg" <<'CFG'
datasets = ( { id = "good"; file = "good.csv"; area = "area"; period = "year"; measures = { gva = "gva"; pop = "pop"; }; },
             { id = "broken"; file = "broken.csv"; area = "area"; period = "year"; measures = { x = "x"; }; } );
indicators = (
  { id = "g"; plugin = "gva_gap"; inputs = { gva = "gva"; denominator = "pop"; }; params = { gva_scale = 1.0; benchmark_method = "group_mean"; }; group_type = "Other"; },
  { id = "b"; plugin = "gva_gap"; inputs = { gva = "x"; denominator = "x"; }; group_type = "Other"; }
);
CFG
run -c "$WORK/view.cfg" -P "$PLUGIN_DIR" compare -i g --format csv
expect_status "compare ignores a dataset it does not need" 0
rows=$(grep ',g,gva_per_head,' "$WORK/out" | cut -d, -f1 | tr '\n' ' ')
if [ "$rows" = "A1 B2 C3 " ]; then ok "areas listed by code"; else not_ok "areas listed as '$rows', expected 'A1 B2 C3 '"; fi
run -c "$WORK/view.cfg" -P "$PLUGIN_DIR" check
expect_status "check still reads every dataset" 1
expect_err "check names the broken file" "broken.csv:2: row has 4 fields"

run -c "$CFG" -P "$PLUGIN_DIR" compare "Black Country" --period 2015
expect_status "options after area names" 0
expect_out "period 2015 shown" "gap (plugin gva_gap), 2015"

run -c "$CFG" -P "$PLUGIN_DIR" compare "Atlantis"
expect_status "unknown area" 2
expect_err "unknown area message" 'no area matches "Atlantis"'

run -c "$CFG" -P "$PLUGIN_DIR" compare --period 1850
expect_status "unknown period" 2
expect_err "unknown period message" "--period 1850: no such period in the data; expected "

# Names from the data are shown with control characters escaped, never sent to the terminal:
# an OSC sequence that would retitle the window and a colour change.
printf 'area,name,year,gva,pop\nA1,\033]0;pwned\007Evil\033[31m,2020,10,1\nA2,Plain,2020,20,1\n' > "$WORK/esc.csv"
cat > "$WORK/esc.cfg" <<'CFG'
datasets = ( { id = "d"; file = "esc.csv"; area = "area"; area_name = "name"; period = "year";
               measures = { gva = "gva"; pop = "pop"; }; additive = [ "gva", "pop" ]; } );
geography = { aggregates = ( { code = "ALL"; name = "All"; type = "Total"; members_type = "Other"; } ); };
indicators = ( { id = "g"; plugin = "gva_gap"; inputs = { gva = "gva"; denominator = "pop"; };
                 params = { gva_scale = 1.0; }; benchmark = "ALL"; group_type = "Other"; } );
CFG
run -c "$WORK/esc.cfg" -P "$PLUGIN_DIR" compare -i g
expect_status "compare names with control characters" 0
if grep -q "$(printf '\033')" "$WORK/out"; then not_ok "no raw ESC reaches the terminal"; else ok "no raw ESC reaches the terminal"; fi
expect_out "the escape is shown" '\x1b]0;pwned\x07Evil\x1b[31m'

finish
