# Shared helpers for the end-to-end tests of the regind binary.
# make check sets REGIND, PLUGIN_DIR, TEST_PLUGIN_DIR and SRCDIR.
# REGIND_WRAPPER, when set, is a command every run goes through: CI sets it to
# valgrind with a distinct --error-exitcode, so a memory error fails the
# exit-status check of the run it happened in.
set -u

: "${REGIND:?run through make check}"
: "${SRCDIR:?run through make check}"
CFG="$SRCDIR/conf/regind.cfg"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/regind-e2e.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
failures=0
passes=0

# run ARGS...: run regind, capturing stdout, stderr and the exit code.
run() {
    ${REGIND_WRAPPER:-} "$REGIND" "$@" >"$WORK/out" 2>"$WORK/err"
    status=$?
}

ok() {
    passes=$((passes + 1))
    echo "ok - $1"
}

not_ok() {
    failures=$((failures + 1))
    echo "not ok - $1"
    echo "  stdout:"; sed 's/^/    /' "$WORK/out" | head -20
    echo "  stderr:"; sed 's/^/    /' "$WORK/err" | head -20
}

expect_status() { # NAME CODE
    if [ "$status" -eq "$2" ]; then ok "$1: exit $2"; else not_ok "$1: exit $status, expected $2"; fi
}

expect_out() { # NAME FIXED-STRING
    if grep -qF -- "$2" "$WORK/out"; then ok "$1"; else not_ok "$1: stdout lacks '$2'"; fi
}

expect_err() { # NAME FIXED-STRING
    if grep -qF -- "$2" "$WORK/err"; then ok "$1"; else not_ok "$1: stderr lacks '$2'"; fi
}

# expect_value NAME FILE AREA PERIOD OUTPUT EXPECTED TOLERANCE: a value in a tidy CSV.
expect_value() {
    got=$(awk -F, -v a="$3" -v p="$4" -v o="$5" '$1 == a && $3 == p && $6 == o { print $7; exit }' "$2")
    if [ -n "$got" ] && awk -v g="$got" -v e="$6" -v t="$7" 'BEGIN { d = g - e; if (d < 0) d = -d; exit !(d <= t) }'; then
        ok "$1: $got"
    else
        not_ok "$1: got '$got', expected $6 +- $7"
    fi
}

finish() {
    echo "$passes passed, $failures failed"
    [ "$failures" -eq 0 ]
}
