#!/bin/sh
# End to end: `regind report`, the self-contained HTML page (tests/e2e_browser.sh renders it).
. "$SRCDIR/tests/lib.sh"

run -c "$CFG" -P "$PLUGIN_DIR" report -o "$WORK/report.html" "Black Country"
expect_status "report -o" 0
cp "$WORK/report.html" "$WORK/out"
expect_out "an HTML document" "<!DOCTYPE html>"
expect_out "CSS inline, with print rules for A4" "@page{size:A4"
expect_out "the chart inline" '<svg xmlns="http://www.w3.org/2000/svg"'
# ONS enterprise regions, May 2021, 2019: London 52,239 highest, Black Country 18,586 lowest of 38;
# England (unique districts) 30,240.
expect_out "headline: highest, lowest and the benchmark" "the highest was London (52,239) and the lowest Black Country (18,586); the benchmark, England (unique districts), was 30,240."
expect_out "headline: the named area's rank" "Black Country (18,586) ranks 38th of 38."
expect_out "the named area's row stands out" '<tr class="named"><td class="n">38</td><td class="area">Black Country</td>'
expect_out "the sorted column is marked" 'aria-sort="descending"'
expect_out "Sources and method" '<h2>Sources and method</h2>'
# sha256sum of data/ons-lep-gva-2021/enterprise_regions_T1_GVA_current_basic_prices_GBP_million.csv
expect_out "inputs with their SHA-256" "e5c096f278318364ef959b8d4c02c389b9f5b6f26db619474ab43f4ab13e24d3"
expect_out "plugin versions" "<tr><td>gva_gap</td><td>1.1.0</td><td>1.1</td>"
expect_out "units" "<code>gap.gva_per_head</code>: GBP per head"
rows=$(grep -c '<td class="area">[^<]*</td><td>E37000' "$WORK/report.html")
if [ "$rows" -eq 38 ]; then ok "the table lists all 38 LEPs"; else not_ok "the table lists $rows LEPs, expected 38"; fi
# Nothing to fetch: no script, stylesheet link, image, frame or CSS url(); the only address is the SVG namespace.
if grep -Eqi '<script|<link|<img|<iframe|<object|url\(|@import' "$WORK/report.html"; then
    not_ok "the page loads nothing"
else
    ok "the page loads nothing"
fi
addresses=$(grep -Eo 'https?://[^" ]*' "$WORK/report.html" | sort -u)
if [ "$addresses" = "http://www.w3.org/2000/svg" ]; then ok "no address but the SVG namespace"; else not_ok "addresses in the page: $addresses"; fi
leftovers=$(ls "$WORK" | grep -c 'report.html.tmp' || true)
if [ "$leftovers" -eq 0 ]; then ok "no temporary file left"; else not_ok "a temporary file was left"; fi

# Warnings logged while computing are listed; productivity has districts without hours.
run -c "$CFG" -P "$PLUGIN_DIR" report -i productivity --period 2022
expect_status "report to standard output" 0
expect_out "warnings listed" "<li>indicator productivity (plugin productivity): productivity: "
expect_out "the period asked" "<h2>productivity: gva_per_hour, 2022</h2>"

run -c "$CFG" -P "$PLUGIN_DIR" report --period 1850
expect_status "report of an unknown period" 2
expect_err "the message names the period" "--period 1850: no such period in the data"
run -c "$CFG" -P "$PLUGIN_DIR" report -o "$WORK/no/such/dir/r.html"
expect_status "report to an unwritable place" 1
expect_err "the message names the file" "no/such/dir/r.html: cannot write"
run -c "$CFG" -P "$PLUGIN_DIR" report Atlantis
expect_status "report of an unknown area" 2
expect_err "unknown area" 'no area matches "Atlantis"'

finish
