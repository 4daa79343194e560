#!/bin/sh
# End to end: the wide CSV shape and the Excel workbook hold the tidy output's
# values, cell for cell, from compare and from run, outputs by industry included.
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

# Workbooks: compare -o FILE, and a run's xlsx output beside its tidy CSV.
run -c "$CFG" -P "$PLUGIN_DIR" compare -i gap -i lq --since 2015 --format csv
cp "$WORK/out" "$WORK/tidy.csv"
echo "stale" >"$WORK/cmp.xlsx"
run -c "$CFG" -P "$PLUGIN_DIR" compare -i gap -i lq --since 2015 --format xlsx -o "$WORK/cmp.xlsx"
expect_status "compare --format xlsx -o FILE" 0
if [ ! -s "$WORK/out" ] && ! ls -a "$WORK" | grep -q '^\.regind-tmp'; then ok "nothing printed, no temporary file left"; else not_ok "compare -o left output or a temporary file"; fi
# The Sources sheet lists the inputs compare read, with their digests.
printf '{"inputs": [{"id": "er_gva", "sha256": "%s"}, {"id": "er_population", "sha256": "%s"}, {"id": "lad_gva_industry", "sha256": "%s"}]}\n' \
    "$(sha256sum "$SRCDIR/data/ons-lep-gva-2021/enterprise_regions_T1_GVA_current_basic_prices_GBP_million.csv" | cut -d' ' -f1)" \
    "$(sha256sum "$SRCDIR/data/ons-lep-gva-2021/enterprise_regions_T6_resident_population_persons.csv" | cut -d' ' -f1)" \
    "$(sha256sum "$SRCDIR/data/ons-lad-gva-by-industry-2025/lad_gva_by_section_current_prices_gbp_m.csv" | cut -d' ' -f1)" \
    >"$WORK/inputs.json"
if $READ_BACK xlsx "$WORK/tidy.csv" "$WORK/cmp.xlsx" "$WORK/inputs.json" >"$WORK/rb" 2>&1; then ok "compare workbook: $(cat "$WORK/rb")"; else not_ok "$(cat "$WORK/rb")"; fi
sleep 1
run -c "$CFG" -P "$PLUGIN_DIR" compare -i gap -i lq --since 2015 --format xlsx -o "$WORK/again.xlsx"
if cmp -s "$WORK/cmp.xlsx" "$WORK/again.xlsx"; then ok "the same inputs give the same workbook, byte for byte"; else not_ok "workbook bytes change from run to run"; fi
# ITL population has 55 suppressed cells, so gap_itl warns; the Sources sheet holds the warning in full.
run -c "$CFG" -P "$PLUGIN_DIR" compare -i gap_itl --format xlsx -o "$WORK/itl.xlsx"
expect_err "gap_itl warns" "gva_gap: outputs are NaN in 55 cells"
if python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); sys.exit(b"indicator gap_itl (plugin gva_gap): gva_gap: outputs are NaN in 55 cells: 0 with a zero or negative denominator, 55 with a missing gva or denominator" not in z.read("xl/worksheets/sheet3.xml"))' "$WORK/itl.xlsx"; then
    ok "the Sources sheet holds the warning"
else
    not_ok "the Sources sheet lacks the warning"
fi
run -c "$CFG" -P "$PLUGIN_DIR" compare
cp "$WORK/out" "$WORK/table.txt"
run -c "$CFG" -P "$PLUGIN_DIR" compare -o "$WORK/table-o.txt"
if cmp -s "$WORK/table.txt" "$WORK/table-o.txt"; then ok "compare -o FILE writes what compare prints"; else not_ok "compare -o FILE differs from stdout"; fi
run -c "$CFG" -P "$PLUGIN_DIR" compare --format xlsx
expect_status "--format xlsx without -o" 2
expect_err "says to name the file" "compare: --format xlsx writes a workbook; name its file with -o FILE"

sed -e "s|\"\\.\\./data/|\"$SRCDIR/data/|" \
    -e 's|{ file = "../out/lep-indicators.csv"; format = "csv"; }|{ file = "tidy.csv"; indicators = [ "gap", "productivity" ]; }, { file = "book.xlsx"; indicators = [ "gap", "productivity" ]; }|' \
    "$CFG" >"$WORK/book.cfg"
mkdir -p "$WORK/b"
run -c "$WORK/book.cfg" -P "$PLUGIN_DIR" run -q -o "$WORK/b"
expect_status "run with an xlsx output" 0
if $READ_BACK xlsx "$WORK/b/tidy.csv" "$WORK/b/book.xlsx" "$WORK/b/book.manifest.json" >"$WORK/rb" 2>&1; then ok "run workbook: $(cat "$WORK/rb")"; else not_ok "$(cat "$WORK/rb")"; fi
if grep -q "\"path\": \"$WORK/b/book.xlsx\"" "$WORK/b/book.manifest.json"; then ok "the manifest lists the workbook"; else not_ok "manifest lacks book.xlsx"; fi

sed 's|{ file = "book.xlsx";|{ file = "book.xlsx"; shape = "wide";|' "$WORK/book.cfg" >"$WORK/bad.cfg"
run -c "$WORK/bad.cfg" -P "$PLUGIN_DIR" check
expect_status "shape on a workbook output" 2
expect_err "is refused" "shape = \"wide\" is for CSV outputs (this one is a workbook, wide already)"

finish
