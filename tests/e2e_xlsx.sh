#!/bin/sh
# End to end: the bundled job reading GVA (Table 1) and population (Table 6)
# straight from ONS's workbook gives the CSV job's outputs byte for byte.
. "$SRCDIR/tests/lib.sh"

BOOK=regionalgrossdomesticproductenterpriseregions25052021131635.xlsx
DATA="$SRCDIR/data/ons-lep-gva-2021"

# The default job with data paths made absolute (the jobs below live in $WORK).
sed "s|\"\\.\\./data/|\"$SRCDIR/data/|" "$CFG" >"$WORK/csv.cfg"

# The same job whose er_gva dataset block reads the workbook's sheet instead
# of the CSV copy: another file, a sheet, and the workbook's own headers.
# Only the two enterprise-region blocks use these column names.
to_sheet() { # CSV-FILE SHEET
    sed -e "/$1/,/};/{
s|area = \"geo_code\";|area = \"Geo code\";|
s|area_name = \"area_name\";|area_name = \"Area name\";|
s|filter = { area_type = \\[ \"LEP\", \"LA\" \\]; };|filter = ( { column = \"Area type\"; values = [ \"LEP\", \"LA\" ]; } );|
}" -e "s|$1\";|$BOOK\"; sheet = \"$2\";|"
}
to_sheet enterprise_regions_T1_GVA_current_basic_prices_GBP_million.csv "Table 1" <"$WORK/csv.cfg" >"$WORK/t1.cfg"
to_sheet enterprise_regions_T6_resident_population_persons.csv "Table 6" <"$WORK/t1.cfg" >"$WORK/t1t6.cfg"
run -c "$WORK/t1.cfg" -P "$PLUGIN_DIR" compare
expect_out "the table from the workbook ranks London first" "     1  100  London"
changed=$(diff "$WORK/csv.cfg" "$WORK/t1.cfg" | grep -c '^>')
if [ "$changed" -eq 4 ] && grep -q 'sheet = "Table 1"' "$WORK/t1.cfg" && grep -q 'column = "Area type"' "$WORK/t1.cfg"; then
    ok "the workbook job differs in er_gva's file, sheet, area, area_name and filter only"
else
    not_ok "the workbook job changed $changed lines"; diff "$WORK/csv.cfg" "$WORK/t1.cfg"
fi

for args in "compare" "compare --format csv" "compare --format json" "compare --period 1998" \
    "compare -i gap --since 2010 Lancashire London"; do
    # shellcheck disable=SC2086
    run -c "$WORK/csv.cfg" -P "$PLUGIN_DIR" $args
    cp "$WORK/out" "$WORK/from-csv"
    for job in t1 t1t6; do
        # shellcheck disable=SC2086
        run -c "$WORK/$job.cfg" -P "$PLUGIN_DIR" $args
        expect_status "$job: $args" 0
        if [ -s "$WORK/out" ] && cmp -s "$WORK/out" "$WORK/from-csv"; then
            ok "$job: $args prints the same bytes as from the CSV files"
        else
            not_ok "$job: $args differs from the CSV job's"
        fi
    done
done

# A workbook is read by one reader, even where a CSV file that big would be read in halves.
REGIND_TEST_HALVES_MIN_BYTES=0
export REGIND_TEST_HALVES_MIN_BYTES
run -c "$WORK/t1t6.cfg" -P "$PLUGIN_DIR" compare --format csv
unset REGIND_TEST_HALVES_MIN_BYTES
run -c "$WORK/csv.cfg" -P "$PLUGIN_DIR" compare --format csv
cp "$WORK/out" "$WORK/from-csv"
run -c "$WORK/t1t6.cfg" -P "$PLUGIN_DIR" compare --format csv
if cmp -s "$WORK/out" "$WORK/from-csv"; then ok "the workbook job's csv with halves enabled"; else not_ok "halves enabled change the workbook job"; fi

# A run's outputs are the same, and the manifest records the workbook's digest and the sheet.
mkdir -p "$WORK/a" "$WORK/b"
run -c "$WORK/csv.cfg" -P "$PLUGIN_DIR" run -q -o "$WORK/a"
expect_status "run of the CSV job" 0
run -c "$WORK/t1t6.cfg" -P "$PLUGIN_DIR" run -q -o "$WORK/b"
expect_status "run of the workbook job" 0
if cmp -s "$WORK/a/lep-indicators.csv" "$WORK/b/lep-indicators.csv"; then
    ok "run writes the same lep-indicators.csv from the workbook"
else
    not_ok "run output differs from the workbook"
fi
sum=$(sha256sum "$DATA/$BOOK" 2>/dev/null | cut -d' ' -f1)
if grep -q "\"id\": \"er_gva\", \"sheet\": \"Table 1\", \"path\": \"[^\"]*$BOOK\", [^}]*\"sha256\": \"$sum\"" "$WORK/b/t1t6.manifest.json" &&
    grep -q '"id": "er_population", "sheet": "Table 6"' "$WORK/b/t1t6.manifest.json"; then
    ok "manifest records the sheet and the workbook's SHA-256"
else
    not_ok "manifest lacks the sheet or the digest"; grep er_ "$WORK/b/t1t6.manifest.json"
fi
if grep -q '"id": "er_gva", "path"' "$WORK/a/csv.manifest.json"; then ok "CSV datasets record no sheet"; else not_ok "CSV manifest"; fi

# Mistakes name what to do.
sed 's| sheet = "Table 1";||' "$WORK/t1.cfg" >"$WORK/nosheet.cfg"
run -c "$WORK/nosheet.cfg" -P "$PLUGIN_DIR" compare
expect_status "no sheet in a workbook of 15" 1
expect_err "the message lists the sheets" "the workbook has 15 sheets; name one with sheet = \"...\" (sheets: \"Information\", \"Table 1\", \"Table 2\""
sed 's|sheet = "Table 1"|sheet = "Table 99"|' "$WORK/t1.cfg" >"$WORK/badsheet.cfg"
run -c "$WORK/badsheet.cfg" -P "$PLUGIN_DIR" compare
expect_status "a sheet the workbook lacks" 1
expect_err "the message names it and lists the sheets" "$BOOK: no sheet \"Table 99\"; expected one of \"Information\", \"Table 1\""
sed 's|sheet = "Table 1"|sheet = "Information"|' "$WORK/t1.cfg" >"$WORK/info.cfg"
run -c "$WORK/info.cfg" -P "$PLUGIN_DIR" compare
expect_status "a sheet without the table" 1
expect_err "no header row found" "$BOOK[Information]: no row holds every column header the dataset names (\"Geo code\", \"Area name\", \"Area type\"); expected such a header row, or set skip_rows"
sed 's|sheet = "Table 1";|sheet = "Table 1"; skip_rows = 0;|' "$WORK/t1.cfg" >"$WORK/skip0.cfg"
run -c "$WORK/skip0.cfg" -P "$PLUGIN_DIR" compare
expect_status "skip_rows = 0 takes the title row as the header" 1
expect_err "and says where, in a spreadsheet's terms" "$BOOK[Table 1]:row 1: no column \"Geo code\" (bound to area in dataset \"er_gva\")"
sed 's|sheet = "Table 1";|sheet = "Table 1"; skip_rows = 1;|' "$WORK/t1.cfg" >"$WORK/skip1.cfg"
run -c "$WORK/skip1.cfg" -P "$PLUGIN_DIR" compare --format csv
cp "$WORK/out" "$WORK/skip1"
run -c "$WORK/t1.cfg" -P "$PLUGIN_DIR" compare --format csv
if cmp -s "$WORK/out" "$WORK/skip1"; then ok "skip_rows = 1 finds the same header"; else not_ok "skip_rows = 1"; fi
sed 's|enterprise_regions_T6_resident_population_persons.csv";|& sheet = "Table 6";|' "$WORK/csv.cfg" >"$WORK/csvsheet.cfg"
run -c "$WORK/csvsheet.cfg" -P "$PLUGIN_DIR" check
expect_status "sheet on a CSV dataset" 2
expect_err "is refused" "\"sheet\" is for .xlsx workbooks (dataset \"er_population\" reads a CSV file); remove it"

finish
