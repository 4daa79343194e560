#!/bin/sh
# End to end: help, version, list, describe, check, areas and run of the real binary.
. "$SRCDIR/tests/lib.sh"

run --help
expect_status "--help" 0
expect_out "--help lists commands" "compare [AREA...]"

run --version
expect_status "--version" 0
expect_out "--version shows the ABI" "plugin ABI 1.1"

run compare --version
expect_status "compare --version" 0
expect_out "--version after a command" "plugin ABI 1.1"

# Each plugin module exports its entry point and nothing else.
if command -v nm >/dev/null 2>&1; then
    for so in "$PLUGIN_DIR"/.libs/*.so; do
        exported=$(nm -D --defined-only "$so" | awk '$2 == "T" { print $3 }' | tr '\n' ' ')
        if [ "$exported" = "ri_plugin_entry " ]; then ok "$(basename "$so") exports only ri_plugin_entry"; else not_ok "$(basename "$so") exports: $exported"; fi
    done
fi

run compare --help
expect_status "compare --help" 0
expect_out "compare --help lists --since" "--since P"

run -P "$PLUGIN_DIR" list
expect_status "list" 0
expect_out "list shows gva_gap" "gva_gap"
expect_out "list shows productivity" "productivity"

run -P "$PLUGIN_DIR" describe gva_gap
expect_status "describe" 0
expect_out "describe shows a parameter with its range" "target_share"
expect_out "describe shows choices" "one of head, hour, job"
expect_out "describe shows units" "[index (benchmark = 100)]"

run -P "$PLUGIN_DIR" describe no_such_plugin
expect_status "describe unknown plugin" 2
expect_err "unknown plugin message" 'unknown plugin "no_such_plugin"'

run -P "$PLUGIN_DIR" describe ../plugins/gva_gap
expect_status "a path is not a plugin name" 2
expect_err "path refused" "not a plugin name"

run -c "$CFG" -P "$PLUGIN_DIR" check
expect_status "check" 0
expect_out "check reports the job OK" "OK ("

run -c "$CFG" areas --type LEP
expect_status "areas --type LEP" 0
n=$(wc -l < "$WORK/out")
if [ "$n" -eq 38 ]; then ok "38 LEPs"; else not_ok "$n LEP lines, expected 38"; fi

# Tamworth sits in two LEPs: Greater Birmingham and Solihull, and Stoke-on-Trent and Staffordshire.
run -c "$CFG" areas tamworth
expect_status "areas PATTERN" 0
expect_out "Tamworth has two parents" "E37000012,E37000032"

run -c "$CFG" -P "$PLUGIN_DIR" run --output-dir "$WORK"
expect_status "run" 0
if [ -s "$WORK/lep-indicators.csv" ]; then ok "run wrote the output"; else not_ok "run wrote no output"; fi
expect_value "run output: Black Country GVA per head 2019" "$WORK/lep-indicators.csv" E37000001 2019 gva_per_head 18585.66 0.01
if ls -a "$WORK" | grep -q '^\.regind-tmp-'; then not_ok "run left temporary files"; else ok "no temporary files left"; fi

# Shift-share adds up to Lancashire's actual change in its Total row, 2013-2023
# (GBP million: 43,074 - 27,815, its districts' Total cells summed), and
# England's own industry mix is 0.
expect_value "Lancashire shift-share total change 2013-2023" "$WORK/lep-indicators.csv" E37000019 2023 total_change 15259 0.5
sum=$(awk -F, '$1 == "E37000019" && $3 == 2023 && $5 == "shift_share" &&
               ($6 == "national_share" || $6 == "industry_mix" || $6 == "competitive_shift" || $6 == "unallocated") { s += $7; n++ }
               END { if (n == 4) printf "%.6f", s }' "$WORK/lep-indicators.csv")
if [ -n "$sum" ] && awk -v s="$sum" 'BEGIN { exit !(s > 15258.999 && s < 15259.001) }'; then
    ok "Lancashire's four components add up to 15,259: $sum"
else
    not_ok "Lancashire's components sum to '$sum', expected 15259"
fi
expect_value "England's own industry mix is 0" "$WORK/lep-indicators.csv" E92000001 2023 industry_mix 0 0.000001
# The toolbox's headline outputs are in the default run.
for cell in "E37000019 2023 krugman" "E37000019 2023 hhi" "E37000019 2023 entropy" \
            "UKX 2019 theil_l" "UKX 2019 atkinson" "UKX 2019 theil_between" "UKX 2019 gini_lo" \
            "UKX 2023 beta_p_value" "UKX 2023 beta_ci_hi" "UKX 2023 beta_se_hc1" "UKX 2023 sigma_boot_hi"; do
    set -- $cell
    got=$(awk -F, -v a="$1" -v p="$2" -v o="$3" '$1 == a && $3 == p && $6 == o { print $7; exit }' "$WORK/lep-indicators.csv")
    if [ -n "$got" ]; then ok "default run writes $3 ($1, $2): $got"; else not_ok "default run lacks $3 of $1 in $2"; fi
done

run frobnicate
expect_status "unknown command" 2
expect_err "unknown command message" "unknown command 'frobnicate'"

export REGIND_CONFIG="$WORK/none.cfg"
run -P "$PLUGIN_DIR" check
expect_status "REGIND_CONFIG naming a missing job file" 2
expect_err "missing job file named" "none.cfg"
unset REGIND_CONFIG

finish
