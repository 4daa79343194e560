#!/bin/sh
# End to end: `regind run` for cron — all-or-nothing outputs, the lock, the
# manifest, skip_if_unchanged, the period policy, dry runs and exit codes.
. "$SRCDIR/tests/lib.sh"

J="$WORK/job"
OUT="$J/out"
P="$PLUGIN_DIR:$TEST_PLUGIN_DIR"
mkdir -p "$OUT"

# GVA in GBP million and population: GVA per head = gva * 1e6 / pop.
# 2019: E06000001 110e6 / 50000 = 2200; E06000002 330e6 / 100000 = 3300.
cat > "$J/small.csv" <<'CSV'
area,year,gva,pop
E06000001,2018,100,50000
E06000001,2019,110,50000
E06000002,2018,300,100000
E06000002,2019,330,100000
CSV
DATASET='datasets = ( { id = "small"; file = "small.csv"; area = "area"; period = "year"; measures = { gva = "gva"; pop = "pop"; }; } );'
GAP='{ id = "gap"; plugin = "gva_gap"; inputs = { gva = "gva"; denominator = "pop"; }; benchmark = "E06000001"; }'
cat > "$J/job.cfg" <<CFG
$DATASET
indicators = ( $GAP );
outputs = ( { file = "out/gap.csv"; }, { file = "out/gap.json"; } );
run = { skip_if_unchanged = true; };
CFG
MANIFEST="$OUT/job.manifest.json"

sha() { sha256sum "$1" | cut -d' ' -f1; }

expect_file() { # NAME FILE FIXED-STRING
    if grep -qF -- "$3" "$2"; then ok "$1"; else not_ok "$1: $2 lacks '$3'"; fi
}

no_temps() { # NAME DIR
    if ls -a "$2" | grep -q '^\.regind-tmp-'; then not_ok "$1: temporary files left in $2"; else ok "$1: no temporary files"; fi
}

same() { # NAME FILE COPY
    if cmp -s "$2" "$3"; then ok "$1"; else not_ok "$1: $2 differs from $3"; fi
}

differs() { # NAME FILE COPY
    if cmp -s "$2" "$3"; then not_ok "$1: $2 did not change"; else ok "$1"; fi
}

snapshot() { # DIR: copy the outputs and the manifest aside
    rm -rf "$1"
    mkdir -p "$1"
    cp "$OUT/gap.csv" "$OUT/gap.json" "$MANIFEST" "$1/"
}

# wait_for FILE FIXED-STRING: poll until a background run logs the string (30 s at most).
wait_for() {
    i=0
    while ! grep -qF -- "$2" "$1" 2>/dev/null; do
        i=$((i + 1))
        if [ "$i" -gt 300 ]; then return 1; fi
        sleep 0.1
    done
}

# ---------------------------------------------------------------- a successful run
run -c "$J/job.cfg" -P "$P" run
expect_status "run" 0
if [ -s "$OUT/gap.csv" ] && [ -s "$OUT/gap.json" ] && [ -s "$MANIFEST" ]; then ok "outputs and manifest written"; else not_ok "outputs or manifest missing"; fi
expect_value "E06000002 GVA per head 2019 (330e6 / 100000)" "$OUT/gap.csv" E06000002 2019 gva_per_head 3300 1e-9
no_temps "successful run" "$OUT"
if [ -f "$OUT/.regind.lock" ]; then ok "lock file beside the first output"; else not_ok "no lock file in $OUT"; fi
# Every stderr line is "YYYY-MM-DDTHH:MM:SSZ LEVEL message".
bad=$(grep -cvE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z (ERROR|WARNING|INFO|DEBUG) ' "$WORK/err")
if [ "$bad" -eq 0 ] && [ -s "$WORK/err" ]; then ok "log lines are timestamped with a level"; else not_ok "$bad log lines without timestamp and level"; fi
expect_err "log names each output with its digest" "INFO wrote $OUT/gap.csv (csv, $(wc -c < "$OUT/gap.csv" | tr -d ' ') bytes, sha256 $(sha "$OUT/gap.csv"))"
expect_err "log says the run finished" "INFO run finished: 2 outputs"

# The manifest: one member per line, one input, plugin or output per line.
version=$("$REGIND" --version | sed -n 's/^regind \([^ ]*\) .*/\1/p')
expect_file "manifest: regind version" "$MANIFEST" "\"regind_version\": \"$version\""
expect_file "manifest: plugin ABI" "$MANIFEST" '"plugin_abi": "1.1"'
if grep -qE '^  "started": "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z",$' "$MANIFEST" \
    && grep -qE '^  "finished": "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z",$' "$MANIFEST"; then
    ok "manifest: start and end times in UTC ISO-8601"
else
    not_ok "manifest: start or end time missing"
fi
expect_file "manifest: config path and SHA-256" "$MANIFEST" "\"config\": {\"path\": \"$(cd "$J" && pwd -P)/job.cfg\", \"size\": $(wc -c < "$J/job.cfg" | tr -d ' '), "
expect_file "manifest: config SHA-256" "$MANIFEST" "\"sha256\": \"$(sha "$J/job.cfg")\"}"
line=$(grep '"kind": "dataset", "id": "small"' "$MANIFEST")
case "$line" in
*"\"size\": $(wc -c < "$J/small.csv" | tr -d ' '), "*"\"sha256\": \"$(sha "$J/small.csv")\""*) ok "manifest: dataset size and SHA-256" ;;
*) not_ok "manifest: dataset entry is '$line'" ;;
esac
case "$line" in
*'"rows_read": 4, "rows_kept": 4, "cells_read": 8, "nan_cells": 0'*'"first_period": "2018", "last_period": "2019"'*) ok "manifest: rows, cells and NaNs per dataset" ;;
*) not_ok "manifest: dataset counts in '$line'" ;;
esac
line=$(grep '"name": "gva_gap"' "$MANIFEST")
case "$line" in
*'"version": "'*'"abi": "1.1"'*"\"sha256\": \"$(sha "$PLUGIN_DIR/gva_gap.la")\""*'"library": {"path": '*) ok "manifest: plugin version, ABI, file and library digests" ;;
*) not_ok "manifest: plugin entry is '$line'" ;;
esac
expect_file "manifest: csv output digest" "$MANIFEST" "\"format\": \"csv\", \"size\": $(wc -c < "$OUT/gap.csv" | tr -d ' '), \"sha256\": \"$(sha "$OUT/gap.csv")\"}"
expect_file "manifest: json output digest" "$MANIFEST" "\"format\": \"json\", \"size\": $(wc -c < "$OUT/gap.json" | tr -d ' '), \"sha256\": \"$(sha "$OUT/gap.json")\"}"
expect_file "manifest: warnings count" "$MANIFEST" '"warnings": 0,'
if command -v python3 >/dev/null 2>&1; then
    if python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$MANIFEST"; then ok "manifest is valid JSON"; else not_ok "manifest is not valid JSON"; fi
fi

# ---------------------------------------------------------------- skip_if_unchanged
snapshot "$WORK/v1"
run -c "$J/job.cfg" -P "$P" run
expect_status "unchanged run" 0
expect_err "unchanged run says so" "inputs unchanged since "
expect_err "unchanged run does nothing" "; nothing to do"
same "unchanged run leaves the manifest alone" "$MANIFEST" "$WORK/v1/job.manifest.json"

run -c "$J/job.cfg" -P "$P" -q run
expect_status "unchanged run, quiet" 0
if [ -s "$WORK/err" ]; then not_ok "-q printed more than errors"; else ok "-q prints nothing on success"; fi

run -c "$J/job.cfg" -P "$P" run --force
expect_status "--force" 0
expect_err "--force computes" "--force: computing whether or not anything changed"
same "--force on unchanged inputs writes the same table" "$OUT/gap.csv" "$WORK/v1/gap.csv"

# One byte of input: 330 -> 390, so E06000002 2019 becomes 390e6 / 100000 = 3900.
sed 's/^E06000002,2019,330,/E06000002,2019,390,/' "$J/small.csv" > "$J/small.new" && mv "$J/small.new" "$J/small.csv"
run -c "$J/job.cfg" -P "$P" run
expect_status "run after one input byte changed" 0
expect_err "changed input is recomputed" "computing: the job, its inputs, plugins or period changed"
expect_value "recomputed E06000002 GVA per head 2019" "$OUT/gap.csv" E06000002 2019 gva_per_head 3900 1e-9
differs "manifest replaced after the change" "$MANIFEST" "$WORK/v1/job.manifest.json"

rm "$OUT/gap.json"
run -c "$J/job.cfg" -P "$P" run
expect_status "run after an output was removed" 0
expect_err "a missing output is recomputed" "output $OUT/gap.json is missing"
if [ -s "$OUT/gap.json" ]; then ok "removed output written again"; else not_ok "removed output not written again"; fi

# An @include file is part of the job: it is in the manifest, and changing it recomputes.
mkdir "$WORK/inc"
printf '%s\n' '@include "outputs.inc"' "$DATASET" "indicators = ( $GAP );" 'run = { skip_if_unchanged = true; };' > "$J/inc.cfg"
echo 'outputs = ( { file = "../inc/gap.csv"; } );' > "$J/outputs.inc"
run -c "$J/inc.cfg" -P "$P" run
expect_status "job with an @include" 0
expect_file "manifest lists the included file" "$WORK/inc/inc.manifest.json" "\"includes\": [{\"path\": \"$(cd "$J" && pwd -P)/outputs.inc\", "
echo '# a comment changes the job file, not the results' >> "$J/outputs.inc"
run -c "$J/inc.cfg" -P "$P" run
expect_status "job after its @include changed" 0
expect_err "a changed @include is recomputed" "computing: the job, its inputs, plugins or period changed"

# ---------------------------------------------------------------- a failing indicator
snapshot "$WORK/v2"
cat > "$J/failing.cfg" <<CFG
$DATASET
indicators = ( $GAP, { id = "broken"; plugin = "failing"; inputs = { x = "gva"; }; } );
outputs = ( { file = "out/gap.csv"; }, { file = "out/gap.json"; } );
run = { manifest = "out/job.manifest.json"; };
CFG
run -c "$J/failing.cfg" -P "$P" run
expect_status "failing indicator" 1
expect_err "the plugin's message" "failing: deliberate failure for tests"
expect_err "the run says nothing was replaced" "ERROR run failed; no output was replaced"
same "failing run: csv byte-identical" "$OUT/gap.csv" "$WORK/v2/gap.csv"
same "failing run: json byte-identical" "$OUT/gap.json" "$WORK/v2/gap.json"
same "failing run: manifest byte-identical" "$MANIFEST" "$WORK/v2/job.manifest.json"
no_temps "failing run" "$OUT"

# ---------------------------------------------------------------- a rename that fails: rollback
sed 's/^E06000002,2019,390,/E06000002,2019,420,/' "$J/small.csv" > "$J/small.new" && mv "$J/small.new" "$J/small.csv"
REGIND_TEST_FAIL_RENAME=2 run -c "$J/job.cfg" -P "$P" run
expect_status "second rename fails" 1
expect_err "rollback reported" "gap.json: cannot move the new file into place: Input/output error; the 1 output already replaced was restored, so no output changed"
same "rollback: first output restored" "$OUT/gap.csv" "$WORK/v2/gap.csv"
same "rollback: second output untouched" "$OUT/gap.json" "$WORK/v2/gap.json"
same "rollback: old manifest restored" "$MANIFEST" "$WORK/v2/job.manifest.json"
no_temps "rolled-back run" "$OUT"

REGIND_TEST_FAIL_RENAME=3 run -c "$J/job.cfg" -P "$P" run
expect_status "manifest rename fails" 1
expect_err "rollback of both outputs reported" "the 2 outputs already replaced were restored"
same "manifest rollback: csv restored" "$OUT/gap.csv" "$WORK/v2/gap.csv"
same "manifest rollback: json restored" "$OUT/gap.json" "$WORK/v2/gap.json"
same "manifest rollback: old manifest restored" "$MANIFEST" "$WORK/v2/job.manifest.json"

mkdir "$WORK/fresh"
REGIND_TEST_FAIL_RENAME=2 run -c "$J/job.cfg" -P "$P" run --output-dir "$WORK/fresh"
expect_status "rename fails with no old outputs" 1
if [ -z "$(ls -A "$WORK/fresh" | grep -v '^\.regind\.lock$')" ]; then ok "new first output removed again"; else not_ok "left in $WORK/fresh: $(ls -A "$WORK/fresh")"; fi

# ---------------------------------------------------------------- SIGKILL while the outputs are replaced
# The hook pauses just before the first rename: the old manifest must still be there,
# since it is replaced by a rename only, last.
REGIND_TEST_PAUSE_BEFORE_RENAME=30 "$REGIND" -c "$J/job.cfg" -P "$P" run >/dev/null 2>"$WORK/killed.err" &
pid=$!
if wait_for "$WORK/killed.err" "test hook: every file staged"; then ok "run paused with every file staged"; else not_ok "run never paused"; fi
if ls -a "$OUT" | grep -q '^\.regind-tmp-gap\.csv-'; then ok "temporary files exist while staged"; else not_ok "no temporary file while staged"; fi
kill -9 "$pid"
wait "$pid" 2>/dev/null
same "SIGKILL: csv intact" "$OUT/gap.csv" "$WORK/v2/gap.csv"
same "SIGKILL: json intact" "$OUT/gap.json" "$WORK/v2/gap.json"
same "SIGKILL: manifest intact" "$MANIFEST" "$WORK/v2/job.manifest.json"
# Stale files of this job are removed; look-alikes that are not are kept.
: > "$OUT/.regind-tmp-other.csv-ABC123"
: > "$OUT/.regind-tmp-gap.csv-ABC"
run -c "$J/job.cfg" -P "$P" run
expect_status "run after SIGKILL" 0
expect_err "stale temporary files removed" "a temporary file left by an interrupted run"
if ls -a "$OUT" | grep -q '^\.regind-tmp-gap\.csv-.\{6\}$'; then not_ok "stale temporary file left"; else ok "stale temporary files gone"; fi
if [ -f "$OUT/.regind-tmp-other.csv-ABC123" ] && [ -f "$OUT/.regind-tmp-gap.csv-ABC" ]; then ok "files of other names kept"; else not_ok "a file that is not this job's temporary file was removed"; fi
rm -f "$OUT/.regind-tmp-other.csv-ABC123" "$OUT/.regind-tmp-gap.csv-ABC"
# 420e6 / 100000 = 4200.
expect_value "run after SIGKILL writes the new table" "$OUT/gap.csv" E06000002 2019 gva_per_head 4200 1e-9

# ---------------------------------------------------------------- two runs at once
# Long enough for the second run to meet the lock, even under valgrind.
pause=6
[ -n "${REGIND_WRAPPER:-}" ] && pause=30
REGIND_TEST_PAUSE_BEFORE_RENAME=$pause "$REGIND" -c "$J/job.cfg" -P "$P" run --force >/dev/null 2>"$WORK/first.err" &
pid=$!
if wait_for "$WORK/first.err" "test hook: every file staged"; then ok "first run holds the lock"; else not_ok "first run never paused"; fi
run -c "$J/job.cfg" -P "$P" run --force
expect_status "second run while the first holds the lock" 3
expect_err "lock message names the lock file and the holder" "$OUT/.regind.lock: the job's lock is held by another regind run (pid $pid)"
run -c "$J/job.cfg" -P "$P" run --force --wait=1
expect_status "--wait=1 while the lock stays held" 3
expect_err "bounded wait gives up" "after waiting 1 s"
run -c "$J/job.cfg" -P "$P" run --force --wait=60
expect_status "--wait=60 waits for the first run" 0
expect_err "--wait says it waits" "waiting up to 60 s for the lock"
wait "$pid"
first=$?
if [ "$first" -eq 0 ]; then ok "first run finished: exit 0"; else not_ok "first run exit $first"; fi
if grep -q "run finished" "$WORK/first.err"; then ok "first run completed its commit"; else not_ok "first run did not finish"; fi

# ---------------------------------------------------------------- --dry-run
mkdir "$WORK/dry"
run -c "$J/job.cfg" -P "$P" run --dry-run --output-dir "$WORK/dry"
expect_status "--dry-run" 0
expect_out "--dry-run lists the csv" "would write $WORK/dry/gap.csv (csv, "
expect_out "--dry-run lists the manifest" "would write $WORK/dry/job.manifest.json (run manifest)"
if [ -z "$(ls -A "$WORK/dry")" ]; then ok "--dry-run writes nothing, not even a lock file"; else not_ok "--dry-run wrote $(ls -A "$WORK/dry")"; fi
dry_sha=$(sed -n 's|^would write .*/gap.csv (csv, [0-9]* bytes, sha256 \([0-9a-f]*\))$|\1|p' "$WORK/out")
run -c "$J/job.cfg" -P "$P" run --output-dir "$WORK/dry"
if [ -n "$dry_sha" ] && [ "$dry_sha" = "$(sha "$WORK/dry/gap.csv")" ]; then ok "--dry-run digest is the digest of the real output"; else not_ok "--dry-run digest '$dry_sha' differs"; fi

# ---------------------------------------------------------------- --period
mkdir "$WORK/p2019"
run -c "$J/job.cfg" -P "$P" run --period 2019 --output-dir "$WORK/p2019"
expect_status "--period 2019" 0
periods=$(tail -n +2 "$WORK/p2019/gap.csv" | cut -d, -f3 | sort -u | tr '\n' ' ')
if [ "$periods" = "2019 " ]; then ok "--period writes that period only"; else not_ok "--period wrote periods '$periods'"; fi
expect_file "manifest records the period" "$WORK/p2019/job.manifest.json" '"options": {"period": "2019"'
run -c "$J/job.cfg" -P "$P" run --period 2030 --output-dir "$WORK/p2019"
expect_status "--period with a period the data lacks" 2
expect_err "unknown period message" "--period 2030: no dataset has this period; expected one of 2018 to 2019"

# ---------------------------------------------------------------- required periods: exit 4
# A second dataset whose 2019 column is there but empty (suppressed): it has no 2019 value.
cat > "$J/late.csv" <<'CSV'
area,year,jobs
E06000001,2018,10
E06000001,2019,
E06000002,2018,20
E06000002,2019,
CSV
policy() { # REQUIRED-PERIODS [EXTRA-RUN-SETTINGS]
    cat > "$J/policy.cfg" <<CFG
datasets = ( { id = "small"; file = "small.csv"; area = "area"; period = "year"; measures = { gva = "gva"; pop = "pop"; }; },
             { id = "late"; file = "late.csv"; area = "area"; period = "year"; measures = { jobs = "jobs"; }; } );
indicators = ( $GAP );
outputs = ( { file = "out/gap.csv"; }, { file = "out/gap.json"; } );
run = { manifest = "out/job.manifest.json"; required_periods = [ $1 ]; ${2:-} };
CFG
}
snapshot "$WORK/v3"
policy '"2020"'
run -c "$J/policy.cfg" -P "$P" run
expect_status "required period missing from every dataset" 4
expect_err "policy names the dataset and its latest period" 'no value for 2020 in dataset "small" (latest period 2019)'
expect_err "policy message is located" "policy.cfg:5: run.required_periods rejects partial inputs"
same "policy refusal leaves the csv" "$OUT/gap.csv" "$WORK/v3/gap.csv"
same "policy refusal leaves the manifest" "$MANIFEST" "$WORK/v3/job.manifest.json"
policy '"2019"'
run -c "$J/policy.cfg" -P "$P" run
expect_status "required period suppressed in one dataset" 4
expect_err "the dataset without values is named" '2019 in dataset "late"'
if grep -q 'dataset "small"' "$WORK/err"; then not_ok "dataset with 2019 values reported"; else ok "only the dataset lacking 2019 is reported"; fi
policy '"2019"' 'required_datasets = [ "small" ];'
run -c "$J/policy.cfg" -P "$P" run
expect_status "required_datasets limits the policy" 0

# ---------------------------------------------------------------- usage errors and logging
run -c "$J/job.cfg" -P "$P" run --frobnicate
expect_status "unknown option" 2
expect_err "unknown option named, with a timestamp" "Z ERROR run: unknown option '--frobnicate'"
run -c "$J/job.cfg" -P "$P" run --wait=soon
expect_status "--wait with a word" 2
expect_err "--wait message" "--wait expects a number of seconds >= 0"
run -c "$J/job.cfg" -P "$P" run --output-dir
expect_status "--output-dir without a value" 2
run -c "$J/job.cfg" -P "$P" run tonight
expect_status "unexpected argument" 2
cat > "$J/twins.cfg" <<CFG
$DATASET
indicators = ( $GAP );
outputs = ( { file = "a/gap.csv"; }, { file = "b/gap.csv"; } );
CFG
run -c "$J/twins.cfg" -P "$P" run --output-dir "$WORK/fresh"
expect_status "--output-dir merging two outputs" 2
expect_err "merged outputs message" "outputs #1 and #2 would both be written to $WORK/fresh/gap.csv"
run -c "$J/job.cfg" -P "$P" run --output-dir "$WORK/no-such-dir"
expect_status "--output-dir naming a missing directory" 1
expect_err "missing directory named" "$WORK/no-such-dir/.regind.lock: cannot create the lock file: its directory does not exist"
# Files are told apart by what they are, not how they are spelled: a lock file or a
# manifest naming an output through a linked directory or "..", refused at check and run.
ln -s out "$J/outlink"
sed -e 's|^run = .*|run = { lock_file = "outlink/gap.csv"; };|' "$J/job.cfg" > "$J/lockspell.cfg"
cp "$OUT/gap.csv" "$WORK/gap-before.csv"
run -c "$J/lockspell.cfg" -P "$P" check
expect_status "check: lock file naming an output through a linked directory" 2
expect_err "lock and output named" "outlink/gap.csv: the lock file would be output #1 ($J/out/gap.csv)"
run -c "$J/lockspell.cfg" -P "$P" run --force
expect_status "run: lock file naming an output through a linked directory" 2
same "the output keeps its bytes" "$OUT/gap.csv" "$WORK/gap-before.csv"
sed -e "s|^run = .*|run = { manifest = \"$J/out/../out/gap.json\"; };|" "$J/job.cfg" > "$J/manspell.cfg"
run -c "$J/manspell.cfg" -P "$P" check
expect_status "check: manifest naming an output with '..'" 2
expect_err "manifest and output named" "the run manifest would replace output #2 ($J/out/gap.json)"
sed -e 's|out/gap.json|outlink/gap.csv|' "$J/job.cfg" > "$J/outspell.cfg"
run -c "$J/outspell.cfg" -P "$P" check
expect_status "check: two outputs naming one file" 2
expect_err "both outputs named" "outputs #1 and #2 name this one file"

# A lock file planted as a link in a shared output directory must not empty what it names.
mkdir -p "$WORK/shared"
printf 'precious\n' > "$WORK/victim"
ln -s "$WORK/victim" "$WORK/shared/.regind.lock"
run -c "$J/job.cfg" -P "$P" run --force --output-dir "$WORK/shared"
expect_status "lock file that is a symbolic link" 1
expect_err "link refused" "$WORK/shared/.regind.lock: the lock file is a symbolic link; expected a regular file"
expect_file "the link's target keeps its bytes" "$WORK/victim" "precious"
rm "$WORK/shared/.regind.lock"
printf 'notes\n' > "$WORK/shared/.regind.lock"
run -c "$J/job.cfg" -P "$P" run --force --output-dir "$WORK/shared"
expect_status "lock file holding other text" 0
if [ "$(cat "$WORK/shared/.regind.lock")" = notes ]; then ok "a lock file with other text is never truncated or written"; else not_ok "lock file now holds '$(cat "$WORK/shared/.regind.lock")'"; fi
mkfifo "$WORK/shared/fifo.lock" 2>/dev/null && {
    printf '%s\nrun = { lock_file = "%s"; };\n' "$(grep -v '^run' "$J/job.cfg")" "$WORK/shared/fifo.lock" > "$J/fifo.cfg"
    run -c "$J/fifo.cfg" -P "$P" run --force
    expect_status "lock file that is a FIFO" 1
    expect_err "FIFO refused" "fifo.lock: the lock file is not a regular file"
}

# A write of the manifest that fails says why: a file size limit stands in for a full
# disk. Many indicators make the manifest (9 kB) larger than stdio's buffer and the limit.
mkdir -p "$WORK/fsize"
{
    echo "$DATASET"
    printf 'indicators = ( '
    i=0
    while [ $i -lt 120 ]; do
        i=$((i + 1))
        printf '{ id = "gap_indicator_number_%d"; plugin = "gva_gap"; inputs = { gva = "gva"; denominator = "pop"; }; benchmark = "E06000001"; }, ' $i
    done
    echo '{ id = "last"; plugin = "gva_gap"; inputs = { gva = "gva"; denominator = "pop"; }; benchmark = "E06000001"; } );'
    echo 'outputs = ( { file = "gap.csv"; indicators = [ "last" ]; } );'
} > "$WORK/fsize/big.cfg"
cp "$J/small.csv" "$WORK/fsize/"
# ThreadSanitizer's runtime cannot run under a file size limit: then the check is skipped.
if (trap '' XFSZ; ulimit -f 4; "$REGIND" -c "$J/job.cfg" -P "$P" check) >/dev/null 2>&1; then
    (trap '' XFSZ; ulimit -f 4; run -c "$WORK/fsize/big.cfg" -P "$P" run; exit $status)
    status=$?
    expect_status "manifest beyond the file size limit" 1
    expect_err "the write's own error is reported" "big.manifest.json: write failed: File too large"
else
    ok "# SKIP manifest beyond the file size limit (regind cannot start under ulimit -f here)"
fi

run -c "$J/job.cfg" -P "$P" run --force --log-syslog
expect_status "--log-syslog" 0
if [ -s "$WORK/err" ]; then not_ok "--log-syslog still wrote to stderr"; else ok "--log-syslog keeps stderr empty"; fi
run -c "$J/job.cfg" -P "$P" run --help
expect_status "run --help" 0
expect_out "run --help documents the exit codes" "3 another run of the job holds its lock"

# ---------------------------------------------------------------- the shipped nightly job
mkdir "$WORK/nightly"
run -c "$SRCDIR/conf/nightly.cfg" -P "$PLUGIN_DIR" run --output-dir "$WORK/nightly"
expect_status "conf/nightly.cfg" 0
if [ -s "$WORK/nightly/lep-nightly.csv" ] && [ -s "$WORK/nightly/lep-nightly.json" ] && [ -s "$WORK/nightly/lep-nightly.html" ] \
   && [ -s "$WORK/nightly/nightly.manifest.json" ]; then
    ok "nightly job wrote its csv, json, html and manifest"
else
    not_ok "nightly job outputs missing: $(ls -A "$WORK/nightly")"
fi
# What a LEP analyst asks for: LEPs, combined authorities, their districts, England, the UK;
# no Scottish, Welsh or Northern Irish council.
if grep -q '^E47000001,Greater Manchester,' "$WORK/nightly/lep-nightly.csv" && grep -q '^E08000001,Bolton,' "$WORK/nightly/lep-nightly.csv" &&
   ! grep -q '^S12\|^W06\|^N09' "$WORK/nightly/lep-nightly.csv"; then
    ok "nightly job writes LEPs, combined authorities and their districts only"
else
    not_ok "nightly job writes LEPs, combined authorities and their districts only"
fi
# ONS enterprise regions (May 2021), 2019: Black Country GVA 22,282 / population 1,198,881 = 18,585.66.
expect_value "nightly: Black Country GVA per head 2019" "$WORK/nightly/lep-nightly.csv" E37000001 2019 gva_per_head 18585.66 0.01
# The page is the report of this run: both indicators, and its outputs recorded in the manifest.
if grep -q '<h2>gap: gva_per_head, 2019</h2>' "$WORK/nightly/lep-nightly.html" \
   && grep -q '<h2>productivity: gva_per_hour, 2022</h2>' "$WORK/nightly/lep-nightly.html"; then
    ok "nightly html reports gap (2019) and productivity (2022)"
else
    not_ok "nightly html lacks an indicator section"
fi
if grep -q '"format": *"html"' "$WORK/nightly/nightly.manifest.json"; then ok "the manifest lists the html output"; else not_ok "the manifest lacks the html output"; fi
run -c "$SRCDIR/conf/nightly.cfg" -P "$PLUGIN_DIR" run --output-dir "$WORK/nightly"
expect_status "nightly job again" 0
expect_err "nightly job skips when nothing changed" "inputs unchanged since"

finish
