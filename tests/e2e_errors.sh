#!/bin/sh
# End to end: broken plugins and broken jobs get located messages and the documented exit codes.
. "$SRCDIR/tests/lib.sh"

# A job over a tiny dataset, with one indicator per broken plugin.
cat > "$WORK/small.csv" <<'CSV'
area,year,x
E06000001,2019,1
E06000002,2019,2
CSV
job() { # ID PLUGIN
    cat > "$WORK/job.cfg" <<CFG
datasets = ( { id = "small"; file = "small.csv"; area = "area"; period = "year"; measures = { x = "x"; }; } );
indicators = ( { id = "$1"; plugin = "$2"; inputs = { x = "x"; }; } );
CFG
}

job bad bad_abi
run -c "$WORK/job.cfg" -P "$TEST_PLUGIN_DIR" check
expect_status "plugin with the wrong ABI major" 2
expect_err "ABI message names both versions" "plugin built for ABI 2.1, this regind has ABI 1.1"

job bad no_entry
run -c "$WORK/job.cfg" -P "$TEST_PLUGIN_DIR" check
expect_status "plugin without entry symbol" 2
expect_err "entry symbol message" "no symbol ri_plugin_entry"

job bad bad_descriptor
run -c "$WORK/job.cfg" -P "$TEST_PLUGIN_DIR" check
expect_status "descriptor with an empty unit" 2
expect_err "descriptor message names the output" 'has no unit'

job bad failing
run -c "$WORK/job.cfg" -P "$TEST_PLUGIN_DIR" check
expect_status "failing plugin passes check (check never computes)" 0
mkdir -p "$WORK/outputs"
cat >> "$WORK/job.cfg" <<CFG
outputs = ( { file = "outputs/result.csv"; } );
CFG
echo "yesterday" > "$WORK/outputs/result.csv"
run -c "$WORK/job.cfg" -P "$TEST_PLUGIN_DIR" run
expect_status "failing plugin fails the run" 1
expect_err "failure message from the plugin" "failing: deliberate failure for tests"
if [ "$(cat "$WORK/outputs/result.csv")" = "yesterday" ]; then ok "old output untouched"; else not_ok "old output replaced"; fi

run -P "$TEST_PLUGIN_DIR" list
expect_status "list with broken plugins present" 0
expect_err "list reports refused plugins" "refused"
expect_out "list still shows the valid test plugin" "failing"

# Configuration errors are located and exit 2.
cat > "$WORK/typo.cfg" <<'CFG'
datasets = ( { id = "small"; file = "small.csv"; area = "area"; period = "year"; measures = { x = "x"; }; } );
indicatros = ( );
CFG
run -c "$WORK/typo.cfg" check
expect_status "unknown key" 2
expect_err "unknown key located with a suggestion" 'typo.cfg:2'
expect_err "suggestion" 'did you mean "indicators"'

cat > "$WORK/param.cfg" <<'CFG'
datasets = ( { id = "small"; file = "small.csv"; area = "area"; period = "year"; measures = { x = "x"; pop = "x"; }; } );
indicators = ( { id = "g"; plugin = "gva_gap"; inputs = { gva = "x"; denominator = "pop"; };
                 params = { target_share = 2.0; }; benchmark = "E06000001"; } );
CFG
run -c "$WORK/param.cfg" -P "$PLUGIN_DIR" check
expect_status "parameter out of range" 2
expect_err "range message" 'param.cfg:3: indicator "g": parameter "target_share" = 2 is out of range; expected 0 to 1'

sed 's/target_share = 2.0/target_shar = 0.5/' "$WORK/param.cfg" > "$WORK/param2.cfg"
run -c "$WORK/param2.cfg" -P "$PLUGIN_DIR" check
expect_status "unknown parameter" 2
expect_err "unknown parameter suggestion" 'did you mean "target_share"'

sed 's/target_share = 2.0/target_share = "half"/' "$WORK/param.cfg" > "$WORK/param3.cfg"
run -c "$WORK/param3.cfg" -P "$PLUGIN_DIR" check
expect_status "parameter of the wrong type" 2
expect_err "type message" 'parameter "target_share" has the wrong type; expected a number'

sed 's/denominator = "pop"/denominator = "popn"/' "$WORK/param.cfg" | sed 's/target_share = 2.0/target_share = 0.5/' > "$WORK/input.cfg"
run -c "$WORK/input.cfg" -P "$PLUGIN_DIR" check
expect_status "unknown measure" 2
expect_err "unknown measure suggestion" 'did you mean "pop"'

sed 's/target_share = 2.0/target_share = 0.5/; s/E06000001/E99999999/' "$WORK/param.cfg" > "$WORK/bench.cfg"
run -c "$WORK/bench.cfg" -P "$PLUGIN_DIR" check
expect_status "unknown benchmark area" 2
expect_err "benchmark message" 'benchmark area "E99999999" is not in the data'

# Bad data: a located error and exit 1.
printf 'area,year,x\nE06000001,2019,abc\n' > "$WORK/small.csv"
job ok failing
run -c "$WORK/job.cfg" -P "$TEST_PLUGIN_DIR" check
expect_status "non-numeric cell" 1
expect_err "located cell error" 'small.csv:2:3: "abc" in column "x" is not a number'

printf 'area,year,x\nE06000001,2019,1\nE06000001,2019,2\n' > "$WORK/small.csv"
run -c "$WORK/job.cfg" -P "$TEST_PLUGIN_DIR" check
expect_status "duplicate key" 1
expect_err "duplicate names both lines" 'small.csv:3: duplicate key (area E06000001, period 2019) first seen on line 2'

finish
