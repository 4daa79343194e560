#!/bin/sh
# run.sh — build the libFuzzer harnesses of tests/fuzz with clang and run them.
#
#   tests/fuzz/run.sh [-t SECONDS] [-n RUNS] [-b] [-m] [TARGET...]
#
# TARGET is csv, dataset, config, number or xlsx (default: all five, one after the
# other). -t bounds each run in seconds (default 60), -n in executions
# (e.g. -n 10000000); with both, whichever comes first ends the run. -b only
# builds. -m merges each target's working corpus, minimised, back into
# tests/fuzz/corpus/TARGET (only inputs that add coverage; review before
# committing). To use several cores, run targets in separate invocations.
#
# Each harness's stdout goes to a file, so a library writing to stdout is a finding.
#
# Needs clang and its fuzzer runtime (Debian: apt-get install clang
# libclang-rt-14-dev), libconfig-dev, libzip-dev and libexpat1-dev. Everything is built and written
# under $FUZZ_OUT (default ./fuzz-out): the binaries, a working corpus per
# target seeded from tests/fuzz/corpus, and crash inputs in
# crashes/TARGET/. A crash input belongs in tests/fuzz/regressions/TARGET/
# once fixed; `make check` replays those directories.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${FUZZ_OUT:-$PWD/fuzz-out}
seconds=60
runs=
build_only=0
merge=0
CLANG=${CLANG:-clang}

while getopts t:n:bm opt; do
    case $opt in
    t) seconds=$OPTARG ;;
    n) runs=$OPTARG ;;
    b) build_only=1 ;;
    m) merge=1 ;;
    *) sed -n '2,18p' "$0" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
targets=${*:-csv dataset config number xlsx}

command -v "$CLANG" >/dev/null 2>&1 || {
    echo "run.sh: $CLANG not found; install clang and libclang-rt-14-dev" >&2
    exit 2
}

# The core sources each harness needs; the same files the library is built from.
sources() {
    case $1 in
    csv) echo "src/error.c src/csv.c src/map_guard.c" ;;
    number) echo "src/error.c src/number.c" ;;
    dataset) echo "src/error.c src/csv.c src/map_guard.c src/xlsx.c src/number.c src/strtab.c src/siphash.c src/dataset.c" ;;
    config) echo "src/error.c src/config.c src/derive.c src/suggest.c src/strtab.c src/siphash.c src/xlsx.c src/csv.c src/map_guard.c" ;;
    xlsx) echo "src/error.c src/csv.c src/map_guard.c src/xlsx.c src/number.c src/strtab.c src/siphash.c src/dataset.c" ;;
    *) echo "run.sh: unknown target '$1'; expected csv, dataset, config, number or xlsx" >&2; exit 2 ;;
    esac
}

# Longest input worth trying: cells are short, job files and CSV slices longer.
max_len() {
    case $1 in
    number) echo 512 ;;
    config) echo 8192 ;;
    *) echo 16384 ;;
    esac
}

CFLAGS="-std=c11 -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
 -fno-sanitize-recover=undefined -D_POSIX_C_SOURCE=200809L -DRI_LIBFUZZER
 -I$top/include -I$top/src $(pkg-config --cflags libconfig libzip expat)"
LIBS="$(pkg-config --libs libconfig libzip expat) -lm"

mkdir -p "$out"
for t in $targets; do
    srcs=
    for s in $(sources "$t"); do srcs="$srcs $top/$s"; done
    echo "+ build fuzz_$t"
    # shellcheck disable=SC2086
    "$CLANG" $CFLAGS -o "$out/fuzz_$t" "$here/fuzz_$t.c" "$here/fuzz_common.c" $srcs $LIBS
done
[ "$build_only" -eq 1 ] && exit 0

status=0
for t in $targets; do
    work="$out/corpus/$t"
    crashes="$out/crashes/$t"
    mkdir -p "$work" "$crashes"
    dict=
    [ -f "$here/$t.dict" ] && dict="-dict=$here/$t.dict"
    limit="-max_total_time=$seconds"
    [ -n "$runs" ] && limit="$limit -runs=$runs"
    seeds=
    for d in "$here/corpus/$t" "$here/regressions/$t"; do
        [ -d "$d" ] && seeds="$seeds $d"
    done
    # libconfig 1.5 leaks a string on many parse errors (tests/lsan.supp); checking for
    # leaks after each such input costs a full heap scan and slows the config target
    # twentyfold, so it runs without, and `make check` replays its corpus with leak checks.
    leaks=1
    [ "$t" = config ] && leaks=0
    echo "+ fuzz_$t ($limit)"
    start=$(date +%s)
    # A single allocation over 512 MB from inputs of at most 16 kB is a finding, not a big table.
    # shellcheck disable=SC2086
    ASAN_OPTIONS="detect_leaks=$leaks${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
    LSAN_OPTIONS="suppressions=$top/tests/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
    "$out/fuzz_$t" $limit $dict -max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=2048 \
        -malloc_limit_mb=512 -detect_leaks=$leaks -print_final_stats=1 \
        -artifact_prefix="$crashes/" "$work" $seeds >"$out/fuzz_$t.stdout" 2>"$out/fuzz_$t.log" ||
        status=1
    end=$(date +%s)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz_$t.log" | awk '{ s += $1 } END { print s + 0 }')
    echo "  $t: $execs executions in $((end - start)) s; log $out/fuzz_$t.log"
    if ls "$crashes" | grep -q .; then
        echo "  $t: crash inputs in $crashes:" && ls "$crashes" | sed 's/^/    /'
        status=1
    fi
    if [ "$merge" -eq 1 ]; then
        before=$(ls "$here/corpus/$t" | wc -l)
        ASAN_OPTIONS="detect_leaks=$leaks${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
        LSAN_OPTIONS="suppressions=$top/tests/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
        "$out/fuzz_$t" -merge=1 -max_len="$(max_len "$t")" -timeout=10 -detect_leaks=$leaks \
            "$here/corpus/$t" "$work" 2>>"$out/fuzz_$t.log"
        echo "  $t: corpus grew from $before to $(ls "$here/corpus/$t" | wc -l) inputs"
    fi
done
exit $status
