#!/bin/sh
# End to end: the plugin SDK as an author meets it. `regind new-plugin` writes a project; it
# builds against this tree's include/ (REGIND_CFLAGS stands in for `pkg-config --cflags regind`),
# passes its own tests, loads with -P and computes the expected numbers through `regind run`.
# Then the errors an author gets for a broken descriptor or job, the ABI rule for older and
# newer minors, and the worked example of regind-plugin(7) built and run as printed.
. "$SRCDIR/tests/lib.sh"

# The project's Makefile must not inherit the settings of the make running this test.
unset MAKEFLAGS MFLAGS MAKELEVEL
CC=${CC:-cc}
export CC
STRICT="-std=c11 -Wall -Wextra -Werror"
SDK="-I$SRCDIR/include"
DIR="$WORK/ratio_demo"

# build NAME ARGS...: run make, capturing its output like run does.
build() {
    name=$1
    shift
    make "$@" >"$WORK/out" 2>"$WORK/err"
    status=$?
    expect_status "$name" 0
}

# exports_only_entry NAME SO: the module exports ri_plugin_entry and nothing else.
exports_only_entry() {
    command -v nm >/dev/null 2>&1 || return 0
    exported=$(nm -D --defined-only "$2" | awk '$2 == "T" || $2 == "D" || $2 == "B" { print $3 }' | tr '\n' ' ')
    if [ "$exported" = "ri_plugin_entry " ]; then ok "$1 exports only ri_plugin_entry"; else not_ok "$1 exports: $exported"; fi
}

# ---------------------------------------------------------------- scaffolding
run new-plugin ratio_demo "$DIR"
expect_status "new-plugin" 0
expect_out "new-plugin names the source it wrote" "$DIR/ratio_demo.c"
expect_out "new-plugin shows the next step" "make -C $DIR check"
for f in ratio_demo.c test_ratio_demo.c fake_host.c fake_host.h Makefile ratio_demo.cfg-snippet README; do
    if [ -s "$DIR/$f" ]; then ok "project has $f"; else not_ok "project lacks $f"; fi
done

run new-plugin ratio_demo "$DIR"
expect_status "new-plugin into an existing project" 2
expect_err "nothing is overwritten" "$DIR/ratio_demo.c already exists"

run new-plugin Ratio_Demo "$WORK/upper"
expect_status "new-plugin with a name that is not an identifier" 2
expect_err "name rule" '"Ratio_Demo" is not a plugin name; expected [a-z][a-z0-9_]*'
if [ -e "$WORK/upper" ]; then not_ok "a refused name created a directory"; else ok "a refused name writes nothing"; fi

run new-plugin fake_host "$WORK/clash"
expect_status "new-plugin with a name that clashes with the project's files" 2
expect_err "clash named" "two files called fake_host.c"

run -q new-plugin quiet_demo "$WORK/deep/er/quiet_demo"
expect_status "new-plugin creates missing parent directories" 0
if [ -s "$WORK/out" ]; then not_ok "-q new-plugin printed to stdout"; else ok "-q new-plugin is quiet"; fi

# ---------------------------------------------------------------- build, test, load
build "the project builds warning-free with the SDK only" -C "$DIR" REGIND_CFLAGS="$SDK" CFLAGS="$STRICT"
exports_only_entry "ratio_demo.so" "$DIR/ratio_demo.so"

# The project's tests, under the sanitizers when this compiler has them.
printf 'int main(void) { return 0; }\n' > "$WORK/probe.c"
SAN=
if "$CC" -fsanitize=address,undefined -o "$WORK/probe" "$WORK/probe.c" >/dev/null 2>&1 && "$WORK/probe"; then
    SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
fi
build "make check of the project" -C "$DIR" check REGIND_CFLAGS="$SDK" CFLAGS="$STRICT -g $SAN" LDFLAGS="$SAN"
expect_out "the project's 4 tests ran" "4 test(s) run."
expect_err "the project's tests pass" "PASSED  ] 4 test(s)."

# A test that cannot fail is no test: turn the ratio upside down and make check must fail.
cp -R "$DIR" "$WORK/wrong"
sed 's/numerator\[c\] \* scale \/ denominator\[c\]/denominator[c] * scale \/ numerator[c]/' "$DIR/ratio_demo.c" > "$WORK/wrong/ratio_demo.c"
make -C "$WORK/wrong" check REGIND_CFLAGS="$SDK" CFLAGS="$STRICT" >"$WORK/out" 2>"$WORK/err"
status=$?
if [ "$status" -ne 0 ] && grep -qF "FAILED  ] 3 test(s)" "$WORK/err"; then ok "the project's tests catch a wrong formula"; else not_ok "a wrong formula passed the project's tests"; fi

run -P "$DIR" list
expect_status "list with -P DIR" 0
expect_out "list shows the new plugin" "ratio_demo           0.1.0    a ratio of two measures"

# Errors that point at the fix.
run -P "$DIR/ratio_demo.so" list
expect_status "-P with a plugin file" 2
expect_err "-P takes directories" "-P $DIR/ratio_demo.so: -P takes directories, not plugin files; expected -P $DIR (the directory holding it)"
run -P "$DIR" describe ratio_dem
expect_status "describe a misspelt plugin" 2
expect_err "the plugins found are listed" "plugins found there: ratio_demo"
expect_err "the closest is suggested" 'did you mean "ratio_demo"?'
run -q new-plugin unbuilt "$WORK/unbuilt"
run -P "$WORK/unbuilt" describe unbuilt
expect_status "describe a plugin whose source is not built" 2
expect_err "the source is found and make suggested" \
    "unknown plugin \"unbuilt\": $WORK/unbuilt/unbuilt.c is there but not built (no unbuilt.la or unbuilt.so beside it); expected a built module: run make -C $WORK/unbuilt"
chmod g+w "$DIR/ratio_demo.so"
run -P "$DIR" describe ratio_demo
expect_status "a group-writable module is refused" 2
expect_err "the refusal gives the exact chmod" "$DIR/ratio_demo.so is writable by its group (mode 0775); expected only its owner to write it: chmod g-w $DIR/ratio_demo.so"
chmod g-w "$DIR/ratio_demo.so"

# Under umask 002 (Ubuntu desktops) the project and its module come out writable by their owner only.
(
    umask 002
    "$REGIND" -q new-plugin loose "$WORK/umask/loose" &&
    make -C "$WORK/umask/loose" REGIND_CFLAGS="$SDK" CFLAGS="$STRICT" >/dev/null 2>&1
)
run -P "$WORK/umask/loose" describe loose
expect_status "the scaffold built under umask 002 loads" 0

run -P "$DIR" describe ratio_demo
expect_status "describe the new plugin" 0
here=$(pwd)
cd "$DIR" && run -P . describe ratio_demo
cd "$here" || exit 1
expect_out "describe prints the module's absolute path" "file: $(cd "$DIR" && pwd -P)/ratio_demo.so"
run -P "$DIR" describe ratio_demo
expect_out "describe shows both inputs" "denominator          required"
expect_out "describe shows the scale parameter" "scale                number   default 1, range 1e-12 to 1e+15"
expect_out "describe shows the output with its unit" "ratio                [numerator per unit of denominator]"

# ---------------------------------------------------------------- run on a tiny dataset
# Two datasets with different areas: E06000003 has no population data and E06000004 no GVA, so
# the host passes only E06000001 and E06000002. 2021 has rows but no value in either dataset, so
# it is not passed either. The plugin therefore sees 2 areas x 2 years.
cat > "$WORK/gva.csv" <<'CSV'
area,year,gva
E06000001,2019,100
E06000001,2020,110
E06000001,2021,
E06000002,2019,30
E06000002,2020,
E06000003,2019,5
CSV
cat > "$WORK/population.csv" <<'CSV'
area,year,population
E06000001,2019,50000
E06000001,2020,40000
E06000001,2021,
E06000002,2019,0
E06000002,2020,60000
E06000004,2019,1000
CSV
{
    cat <<'CFG'
datasets = (
  { id = "gva"; file = "gva.csv"; area = "area"; period = "year"; measures = { gva_gbp_m = "gva"; }; },
  { id = "population"; file = "population.csv"; area = "area"; period = "year";
    measures = { population = "population"; }; }
);
indicators = (
CFG
    cat "$DIR/ratio_demo.cfg-snippet"
    cat <<'CFG'
);
outputs = ( { file = "ratio.csv"; } );
CFG
} > "$WORK/job.cfg"

run -c "$WORK/job.cfg" -P "$DIR" check
expect_status "the job built around the project's snippet checks" 0

mkdir "$WORK/o"
run -c "$WORK/job.cfg" -P "$DIR" run --output-dir "$WORK/o"
expect_status "run with the new plugin" 0
# The snippet sets scale = 1000000 and unit = "GBP per head".
expect_value "E06000001 2019: 100e6 / 50,000" "$WORK/o/ratio.csv" E06000001 2019 ratio 2000 1e-9
expect_value "E06000001 2020: 110e6 / 40,000" "$WORK/o/ratio.csv" E06000001 2020 ratio 2750 1e-9
# The only NaN cells the plugin sees: E06000002 2019 (population 0) and 2020 (no GVA).
expect_err "one warning, counting only the cells passed" \
    "ratio_demo: ratio is NaN in 2 cells: 1 with a missing value, 1 with a denominator of zero or less"
if grep -q '^E06000001,[^,]*,2019,,ratio_demo,ratio,2000,GBP per head$' "$WORK/o/ratio.csv"; then
    ok "output row carries the unit set by the job"
else
    not_ok "no row 'E06000001,...,2019,,ratio_demo,ratio,2000,GBP per head' in ratio.csv"
fi
if grep -q '^E0600000[34],\|,2021,' "$WORK/o/ratio.csv"; then
    not_ok "areas or periods outside the inputs' data were written"
else
    ok "areas and periods outside the inputs' data are not written"
fi

# ---------------------------------------------------------------- the by-industry scaffold
IND="$WORK/share_demo"
run new-plugin --by-industry share_demo "$IND"
expect_status "new-plugin --by-industry" 0
expect_out "new-plugin --by-industry names the source it wrote" "$IND/share_demo.c"
build "the by-industry project builds warning-free" -C "$IND" REGIND_CFLAGS="$SDK" CFLAGS="$STRICT"
build "make check of the by-industry project" -C "$IND" check REGIND_CFLAGS="$SDK" CFLAGS="$STRICT -g $SAN" LDFLAGS="$SAN"
expect_err "the by-industry project's tests pass" "PASSED  ] 4 test(s)."

# Its tests catch a wrong formula, and its fake host fails a plugin that logs once per cell.
cp -R "$IND" "$WORK/ind_wrong"
sed 's|share\[c \* n_ind + i\] = 100 \* v\[i\] / total;|share[c * n_ind + i] = 100 * total / v[i];|' "$IND/share_demo.c" > "$WORK/ind_wrong/share_demo.c"
make -C "$WORK/ind_wrong" clean check REGIND_CFLAGS="$SDK" CFLAGS="$STRICT" >"$WORK/out" 2>"$WORK/err"
status=$?
if [ "$status" -ne 0 ] && grep -qF "[  FAILED  ] test_shares_and_relative" "$WORK/out" "$WORK/err"; then ok "the by-industry tests catch a wrong formula"; else not_ok "a wrong share passed the by-industry tests"; fi
cp -R "$IND" "$WORK/ind_chatty"
sed 's|^\( *\)n_unknown++;|\1{ n_unknown++; host->log(call->ctx, RI_LOG_WARNING, "cell %zu: an industry is missing", c); }|' \
    "$IND/share_demo.c" > "$WORK/ind_chatty/share_demo.c"
cat > "$WORK/chatty.c" <<'EOF2'
/* Three area-periods with an industry missing: three lines from a plugin that logs per cell. */
static void test_chatty(void **state)
{
    fake_call *fc = fake_call_new_industries(3, 1, 2022, 2, sections);
    (void)state;
    fake_set_input(fc, "value", (const double[]){ NAN, 1, NAN, 1, NAN, 1 });
    fake_run(fc);
    fake_call_free(fc);
}

EOF2
awk -v f="$WORK/chatty.c" '/^int main\(void\)/ { while ((getline l < f) > 0) print l } { print }
    /cmocka_unit_test\(test_descriptor\),/ { print "        cmocka_unit_test(test_chatty)," }' \
    "$IND/test_share_demo.c" > "$WORK/ind_chatty/test_share_demo.c"
make -C "$WORK/ind_chatty" check REGIND_CFLAGS="$SDK" CFLAGS="-std=c11" >"$WORK/out" 2>"$WORK/err"
status=$?
if [ "$status" -ne 0 ] && grep -qF 'logged 3 times in one compute(), once per cell' "$WORK/out" "$WORK/err"; then
    ok "the fake host fails a plugin that logs once per cell"
else
    not_ok "per-cell logging passed the fake host"
fi

# Loaded by regind over a dataset by industry, against a benchmark.
cat > "$WORK/ind.csv" <<'CSV'
area,year,sic,emp
E06000001,2022,C,20
E06000001,2022,F,30
E06000001,2022,G,50
E92000001,2022,C,100
E92000001,2022,F,100
E92000001,2022,G,200
CSV
cat > "$WORK/ind.cfg" <<'CFG'
datasets = ( { id = "emp"; file = "ind.csv"; area = "area"; period = "year"; industry = "sic";
               measures = { emp = "emp"; }; additive = [ "emp" ]; } );
indicators = ( { id = "spec"; plugin = "share_demo"; inputs = { value = "emp"; }; benchmark = "E92000001"; } );
outputs = ( { file = "ind_out.csv"; } );
CFG
run -c "$WORK/ind.cfg" -P "$IND" run --output-dir "$WORK/o"
expect_status "run with the by-industry plugin" 0
# Share of C in E06000001: 100 * 20 / 100; against England's 25: 100 * 20 / 25.
if grep -q '^E06000001,[^,]*,2022,C,spec,share,20,' "$WORK/o/ind_out.csv" &&
   grep -q '^E06000001,[^,]*,2022,C,spec,relative,80,' "$WORK/o/ind_out.csv"; then
    ok "share 20 and relative 80 for section C"
else
    not_ok "no share 20 / relative 80 rows for E06000001 C in ind_out.csv"
fi

# ---------------------------------------------------------------- errors an author meets
# Each broken copy is built like the original and must be refused at load, naming the plugin
# and the field.
broken() { # NAME SED-SCRIPT
    rm -rf "$WORK/$1"
    cp -R "$DIR" "$WORK/$1"
    sed "$2" "$DIR/ratio_demo.c" > "$WORK/$1/ratio_demo.c"
    make -C "$WORK/$1" REGIND_CFLAGS="$SDK" CFLAGS="$STRICT" >/dev/null 2>&1 || not_ok "$1 does not build"
    run -P "$WORK/$1" describe ratio_demo
}

broken no_unit 's/{ "ratio", DEFAULT_UNIT, 0,/{ "ratio", "", 0,/'
expect_status "an output without a unit is refused" 2
expect_err "message names the plugin and the output" 'plugin ratio_demo ('
expect_err "message names the field" 'output "ratio" has no unit'

broken bad_default 's/"scale", RI_PARAM_DOUBLE, "1",/"scale", RI_PARAM_DOUBLE, "one",/'
expect_status "a default of the wrong type is refused" 2
expect_err "message names the plugin and the parameter" 'plugin ratio_demo: '
expect_err "message says what the default should be" 'parameter "scale": default "one" is not a number'

broken bad_role 's/{ "denominator", 0,/{ "Denominator", 0,/'
expect_status "an input role that is not an identifier is refused" 2
expect_err "message names the plugin and the input" 'plugin ratio_demo ('
expect_err "message names the role" 'has role "Denominator"; expected an identifier'

cp "$DIR/ratio_demo.so" "$WORK/no_unit/renamed.so"
run -P "$WORK/no_unit" describe renamed
expect_status "a module whose file name is not its plugin name is refused" 2
expect_err "message names both" 'file is named renamed but the plugin calls itself "ratio_demo"'

sed 's/ denominator = "population";//' "$WORK/job.cfg" > "$WORK/unbound.cfg"
run -c "$WORK/unbound.cfg" -P "$DIR" check
expect_status "a required input left unbound" 2
expect_err "message names the plugin and the input" 'plugin ratio_demo needs input "denominator"'

sed 's/scale = 1000000.0;/scale = "million";/' "$WORK/job.cfg" > "$WORK/badtype.cfg"
run -c "$WORK/badtype.cfg" -P "$DIR" check
expect_status "a parameter of the wrong type in the job" 2
expect_err "message names the indicator and the parameter" 'indicator "ratio_demo": parameter "scale" has the wrong type; expected a number'

# ---------------------------------------------------------------- ABI minors
# regind --version prints the ABI it speaks, e.g. "plugin ABI 1.0".
run --version
abi=$(sed -n 's/.*plugin ABI \([0-9]*\.[0-9]*\).*/\1/p' "$WORK/out")
major=${abi%.*}
minor=${abi#*.}
older=$((minor > 0 ? minor - 1 : 0))
newer=$((minor + 1))

run -P "$TEST_PLUGIN_DIR" describe old_minor
expect_status "a plugin built for ABI $major.$older loads in regind $abi" 0
expect_out "describe shows the plugin's own ABI" "ABI: $major.$older"

cat > "$WORK/x.csv" <<'CSV'
area,year,x
E06000001,2019,1.5
E06000002,2019,4
CSV
cat > "$WORK/old.cfg" <<'CFG'
datasets = ( { id = "x"; file = "x.csv"; area = "area"; period = "year"; measures = { x = "x"; }; } );
indicators = ( { id = "old"; plugin = "old_minor"; inputs = { x = "x"; }; } );
outputs = ( { file = "old.csv"; } );
CFG
run -c "$WORK/old.cfg" -P "$TEST_PLUGIN_DIR" run --output-dir "$WORK/o"
expect_status "run with the older-minor plugin" 0
expect_value "older-minor plugin computes: 2 * 1.5" "$WORK/o/old.csv" E06000001 2019 twice 3 0
expect_value "older-minor plugin computes: 2 * 4" "$WORK/o/old.csv" E06000002 2019 twice 8 0

run -P "$TEST_PLUGIN_DIR" describe newer_minor
expect_status "a plugin built for ABI $major.$newer is refused by regind $abi" 2
expect_err "refusal names both versions" "plugin built for ABI $major.$newer, newer than this regind's $abi"

# ---------------------------------------------------------------- regind-plugin(7) example
# The worked example is built and run exactly as the man page prints it (roff escapes undone).
MAN="$SRCDIR/man/regind-plugin.7"
example() { # FILE: the lines between '.\" begin FILE' and '.\" end FILE'
    sed -n "/^\\.\\\\\" begin $1\$/,/^\\.\\\\\" end $1\$/p" "$MAN" | sed -e '/^\./d' -e 's/\\-/-/g' -e 's/\\e/\\/g'
}
mkdir "$WORK/example"
for f in employment_rate.c employment.csv example.cfg; do
    example "$f" > "$WORK/example/$f"
    if [ -s "$WORK/example/$f" ]; then ok "man page has $f"; else not_ok "man page lacks $f"; fi
done
if "$CC" $SDK $STRICT -fPIC -fvisibility=hidden -shared -o "$WORK/example/employment_rate.so" \
    "$WORK/example/employment_rate.c" -lm >"$WORK/out" 2>"$WORK/err"; then
    ok "the man page's plugin builds warning-free"
else
    not_ok "the man page's plugin does not build"
fi
exports_only_entry "employment_rate.so" "$WORK/example/employment_rate.so"
mkdir "$WORK/example/o"
run -c "$WORK/example/example.cfg" -P "$WORK/example" run --output-dir "$WORK/example/o"
expect_status "the man page's job runs" 0
# The numbers the man page shows: 3,000 of 4,000 and 7,800 of 10,000 people employed.
expect_value "rate of E06000001 in 2019: 3,000 / 4,000" "$WORK/example/o/employment_rate.csv" E06000001 2019 rate 75 1e-9
expect_value "rate of the benchmark E06000002: 7,800 / 10,000" "$WORK/example/o/employment_rate.csv" E06000002 2019 rate 78 1e-9
expect_value "gap to the benchmark: 75 - 78" "$WORK/example/o/employment_rate.csv" E06000001 2019 gap_pp -3 1e-9
expect_err "the man page's warning" "employment_rate: rate is NaN in 1 cells"

# ---------------------------------------------------------------- guards around compute
# tests/plugins/unruly.c breaks the rule its `misdeed` parameter names; y = x and z = x + 1 are
# written before the misdeed.
cat > "$WORK/unruly.csv" <<'CSV'
area,year,x
E06000001,2019,1.5
E06000002,2019,4
E06000003,2019,2
E06000004,2019,3
E06000005,2019,5
CSV
unruly_job() { # MISDEED
    cat > "$WORK/unruly.cfg" <<CFG
datasets = ( { id = "x"; file = "unruly.csv"; area = "area"; period = "year"; measures = { x = "x"; }; } );
indicators = ( { id = "rude"; plugin = "unruly"; inputs = { x = "x"; }; params = { misdeed = "$1"; }; } );
outputs = ( { file = "unruly.csv.out"; } );
CFG
}
# A crash ends the process from its signal handler; under valgrind the fault itself is a
# reported error, so these runs go without REGIND_WRAPPER.
run_bare() {
    "$REGIND" "$@" >"$WORK/out" 2>"$WORK/err"
    status=$?
}

unruly_job print
run -c "$WORK/unruly.cfg" -P "$TEST_PLUGIN_DIR" compare -t LAD --format csv
expect_status "compare with a plugin that prints to stdout" 0
if head -n 1 "$WORK/out" | grep -q '^area_code,'; then ok "the CSV header is the first line of stdout"; else not_ok "stdout does not start with the CSV header"; fi
if grep -q 'hello' "$WORK/out"; then not_ok "the plugin's writes reached stdout"; else ok "the plugin's writes are kept off stdout"; fi
expect_err "printf output logged under the plugin's name" \
    "indicator rude (plugin unruly): wrote to standard output (kept off regind's output): unruly: hello from printf"
expect_err "write(2) output logged too" "wrote to standard output (kept off regind's output): unruly: hello from write"
expect_out "compare's own rows follow" "E06000002,,2019,,rude,z,5,units of x"

unruly_job segfault
mkdir "$WORK/uo"
echo "before" > "$WORK/uo/unruly.csv.out"
run_bare -c "$WORK/unruly.cfg" -P "$TEST_PLUGIN_DIR" run --output-dir "$WORK/uo"
expect_status "run with a plugin that segfaults in compute" 5
expect_err "the crash names plugin, version, indicator and signal" \
    "plugin unruly 0.3.1 crashed in compute of indicator rude (signal 11)"
if [ "$(cat "$WORK/uo/unruly.csv.out")" = before ]; then ok "the output is untouched after a crash"; else not_ok "a crash changed the output"; fi

unruly_job abort
run_bare -c "$WORK/unruly.cfg" -P "$TEST_PLUGIN_DIR" compare -t LAD
expect_status "compare with a plugin that aborts" 5
expect_err "abort is reported like a crash" "plugin unruly 0.3.1 crashed in compute of indicator rude (signal 6)"
if [ -s "$WORK/out" ]; then not_ok "a crashed compare printed to stdout"; else ok "a crashed compare prints nothing"; fi

unruly_job log_per_cell
run -c "$WORK/unruly.cfg" -P "$TEST_PLUGIN_DIR" compare -t LAD
expect_status "compare with a plugin that logs once per cell" 0
n=$(grep -c 'unruly: cell [0-9]* of area' "$WORK/err")
if [ "$n" -eq 4 ]; then ok "3 of 5 per-cell lines shown, then one summary"; else not_ok "$n per-cell lines on stderr, expected 3 and a summary"; fi
expect_err "the rest are counted" "indicator rude (plugin unruly): ... and 2 more like this: unruly: cell 0 of area E06000001"

unruly_job leave_empty
run -c "$WORK/unruly.cfg" -P "$TEST_PLUGIN_DIR" compare -t LAD
expect_status "compare with an output left NaN" 0
expect_err "an all-NaN output is warned about" "indicator rude (plugin unruly): output z is NaN in all 5 cells"
if grep -q 'output y is NaN' "$WORK/err"; then not_ok "a written output was called empty"; else ok "only the empty output is warned about"; fi

unruly_job bad_unit
run -c "$WORK/unruly.cfg" -P "$TEST_PLUGIN_DIR" compare -t LAD
expect_status "compare with set_unit on an output that does not exist" 0
expect_err "set_unit on output 5 of 2 is warned about" \
    'set_unit names output 5, but the plugin declares 2 outputs (0 to 1); the unit "GBP" was ignored'

# The debug host: what a plugin must not touch points into an inaccessible region.
REGIND_PLUGIN_DEBUG=1
export REGIND_PLUGIN_DEBUG
for misdeed in numeric_s undeclared_output; do
    unruly_job $misdeed
    run_bare -c "$WORK/unruly.cfg" -P "$TEST_PLUGIN_DIR" compare -t LAD
    expect_status "REGIND_PLUGIN_DEBUG=1 and $misdeed" 5
    expect_err "$misdeed is named as a poisoned pointer" "the address was in the region REGIND_PLUGIN_DEBUG poisons"
done
unruly_job none
run -c "$WORK/unruly.cfg" -P "$TEST_PLUGIN_DIR" compare -t LAD --format csv
expect_status "REGIND_PLUGIN_DEBUG=1 with a well-behaved plugin" 0
expect_out "the debug host computes the same" "E06000004,,2019,,rude,y,3,units of x"
unset REGIND_PLUGIN_DEBUG

finish
