#!/bin/sh
# End to end: the wide CSV shape holds the tidy output's values, cell for cell,
# from compare and from run, outputs by industry included.
. "$SRCDIR/tests/lib.sh"

command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 reads the outputs back"; exit 77; }
READ_BACK="python3 $SRCDIR/tests/read_back.py"

run -c "$CFG" -P "$PLUGIN_DIR" compare --format csv
cp "$WORK/out" "$WORK/tidy.csv"
run -c "$CFG" -P "$PLUGIN_DIR" compare --format csv --wide
expect_status "compare --format csv --wide" 0
expect_out "one column per output, units in the header" "area_code,area_name,period,gap.gva_per_head (GBP per head),gap.index (index (benchmark = 100)),"
# ONS enterprise regions (May 2021), 2019: Black Country GVA 22,282 / population 1,198,881 = 18,585.66.
expect_out "Black Country's row" "E37000001,Black Country,2019,18585.66"
rows=$(grep -c '^E37' "$WORK/out")
if [ "$rows" -eq 38 ]; then ok "one row per LEP"; else not_ok "$rows LEP rows, expected 38"; fi
if $READ_BACK wide "$WORK/tidy.csv" "$WORK/out" >"$WORK/rb" 2>&1; then ok "$(cat "$WORK/rb")"; else not_ok "$(cat "$WORK/rb")"; fi

run -c "$CFG" -P "$PLUGIN_DIR" compare -i gap -i lq --since 2015 --format csv
cp "$WORK/out" "$WORK/tidy.csv"
run -c "$CFG" -P "$PLUGIN_DIR" compare -i gap -i lq --since 2015 --format csv --wide
expect_out "a second block for outputs by industry" "area_code,area_name,period,industry,lq.lq (ratio (benchmark share = 1)),lq.share_pct (%)"
if $READ_BACK wide "$WORK/tidy.csv" "$WORK/out" >"$WORK/rb" 2>&1; then ok "series with industries: $(cat "$WORK/rb")"; else not_ok "$(cat "$WORK/rb")"; fi

run -c "$CFG" -P "$PLUGIN_DIR" compare --wide
expect_status "--wide without --format csv" 2
expect_err "says what it needs" "compare: --wide is for --format csv"

# run: a job writing both shapes of every indicator.
sed -e "s|\"\\.\\./data/|\"$SRCDIR/data/|" \
    -e 's|{ file = "../out/lep-indicators.csv"; format = "csv"; }|{ file = "tidy.csv"; format = "csv"; }, { file = "wide.csv"; shape = "wide"; }|' \
    "$CFG" >"$WORK/shapes.cfg"
mkdir -p "$WORK/o"
run -c "$WORK/shapes.cfg" -P "$PLUGIN_DIR" run -q -o "$WORK/o"
expect_status "run with a wide output" 0
if $READ_BACK wide "$WORK/o/tidy.csv" "$WORK/o/wide.csv" >"$WORK/rb" 2>&1; then ok "run, every indicator: $(cat "$WORK/rb")"; else not_ok "$(cat "$WORK/rb")"; fi

sed 's|{ file = "wide.csv"; shape = "wide"; }|{ file = "wide.json"; shape = "wide"; }|' "$WORK/shapes.cfg" >"$WORK/bad.cfg"
run -c "$WORK/bad.cfg" -P "$PLUGIN_DIR" check
expect_status "shape = wide on a JSON output" 2
expect_err "is refused" "shape = \"wide\" is for CSV outputs (this one is JSON); remove it or write CSV"

finish
