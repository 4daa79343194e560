#!/bin/sh
# End to end: `regind compare --format svg|png|pdf`, the charts of a comparison.
. "$SRCDIR/tests/lib.sh"

# The default job: one bar per LEP (38), ranked, and England as a dashed reference line.
run -c "$CFG" -P "$PLUGIN_DIR" compare --format svg
expect_status "compare --format svg" 0
cp "$WORK/out" "$WORK/gap.svg"
if head -1 "$WORK/gap.svg" | grep -q '^<svg xmlns="http://www.w3.org/2000/svg"' && tail -1 "$WORK/gap.svg" | grep -qx '</svg>'; then
    ok "an SVG document"
else
    not_ok "not an SVG document"
fi
bars=$(grep -c '<rect .* fill="#6d8db3"/>' "$WORK/gap.svg")
if [ "$bars" -eq 38 ]; then ok "one bar per LEP"; else not_ok "$bars bars, expected 38"; fi
expect_out "benchmark line is dashed" 'stroke="#1a1a1a" stroke-width="1.5" stroke-dasharray="5 3"'
# ONS enterprise regions, May 2021: England (unique districts) 2019 GVA per head 30,239.51.
expect_out "benchmark labelled with its value" '>England (unique districts) 30,240</text>'
expect_out "London's bar labelled" '>52,239</text>'
expect_out "source line" '>Source: ons-lep-gva-2021; regind '
if command -v xmllint >/dev/null 2>&1; then
    if xmllint --noout "$WORK/gap.svg" 2>"$WORK/err"; then ok "well-formed XML"; else not_ok "xmllint rejects the SVG"; fi
fi
run -c "$CFG" -P "$PLUGIN_DIR" compare --format svg
if cmp -s "$WORK/out" "$WORK/gap.svg"; then ok "same inputs, same SVG bytes"; else not_ok "two runs give different SVG"; fi

# Named areas are highlighted among all the others, in bold and the dark colour.
run -c "$CFG" -P "$PLUGIN_DIR" compare --format svg "Black Country"
n=$(grep -c 'fill="#12355b"/>' "$WORK/out")
if [ "$n" -eq 1 ]; then ok "the named area's bar is highlighted"; else not_ok "$n highlighted bars, expected 1"; fi
bars=$(grep -c '<rect .* fill="#6d8db3"/>' "$WORK/out")
if [ "$bars" -eq 37 ]; then ok "the other 37 LEPs stay for context"; else not_ok "$bars other bars, expected 37"; fi

# PNG and PDF from the same drawing, to a file with -o.
run -c "$CFG" -P "$PLUGIN_DIR" compare --format png -o "$WORK/gap.png"
expect_status "compare --format png -o" 0
if [ "$(head -c 8 "$WORK/gap.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then ok "a PNG file"; else not_ok "not a PNG file"; fi
run -c "$CFG" -P "$PLUGIN_DIR" compare --format pdf -o "$WORK/gap.pdf" --since 2010 Lancashire
expect_status "compare --format pdf --since" 0
if head -c 5 "$WORK/gap.pdf" | grep -q '%PDF-'; then ok "a PDF file"; else not_ok "not a PDF file"; fi
if command -v pdftoppm >/dev/null 2>&1; then
    if pdftoppm -r 20 -png "$WORK/gap.pdf" "$WORK/page" && [ -s "$WORK/page-1.png" ]; then ok "the PDF renders"; else not_ok "pdftoppm cannot render the PDF"; fi
fi
# A failed compare keeps the file -o names as it was.
echo yesterday >"$WORK/keep.svg"
run -c "$CFG" -P "$PLUGIN_DIR" compare --format svg -o "$WORK/keep.svg" --period 1850
expect_status "compare -o with a bad period" 2
if [ "$(cat "$WORK/keep.svg")" = yesterday ] && [ "$(ls "$WORK" | grep -c 'keep.svg.tmp')" -eq 0 ]; then
    ok "the old file stands, no temporary file left"
else
    not_ok "a failed compare changed $WORK/keep.svg or left a temporary file"
fi
run -c "$CFG" -P "$PLUGIN_DIR" compare --format png -o "$WORK/no/such/dir/gap.png"
expect_status "an unwritable -o" 1
expect_err "the message names the file" "no/such/dir/gap.png: cannot write"
run -c "$SRCDIR/conf/investment.cfg" -P "$PLUGIN_DIR" compare --format svg
expect_status "no chart of outputs by breakdown" 2
expect_err "the message says what to use" "expected --format table, csv or json"

# Byte for byte against checked-in charts of a small job: a missing value is a gap ("n/a" beside
# the bar's place, no bar; in lines, Beta's two values stand as dots), a negative bar goes left of
# zero, markup in names is escaped. Positions come from DejaVu Sans metrics, so this needs that face.
if fc-match "DejaVu Sans" 2>/dev/null | grep -q '^DejaVuSans\.ttf'; then
    for chart in "bars --period 2019" "lines --since 2018"; do
        set -- $chart
        ${REGIND_WRAPPER:-} "$REGIND" -c "$SRCDIR/tests/charts/small.cfg" -P "$PLUGIN_DIR" compare --format svg "$2" "$3" Beta \
            2>"$WORK/err" | sed 's/; regind [^<]*</; regind VERSION</' >"$WORK/$1.svg"
        if cmp -s "$WORK/$1.svg" "$SRCDIR/tests/charts/$1.svg"; then
            ok "$1 chart as expected"
        else
            not_ok "$1 chart differs from tests/charts/$1.svg"
            diff "$SRCDIR/tests/charts/$1.svg" "$WORK/$1.svg" | head -20
        fi
    done
else
    echo "# skipped the byte-for-byte charts: fontconfig finds no DejaVu Sans (Debian: fonts-dejavu-core)"
fi

finish
