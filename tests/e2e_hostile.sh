#!/bin/sh
# End to end: hostile inputs (tests/hostile/ and files made here). Each gets a located error with
# exit 1 (data) or 2 (job, plugins), or a documented NaN with a warning, and never a crash, a hang
# or an allocation out of proportion to its size. Then the plugin trust checks, and proof that
# describe, list and check never run a plugin's compute.
. "$SRCDIR/tests/lib.sh"

H="$SRCDIR/tests/hostile"
P="$PLUGIN_DIR"

# A hang fails its test (timeout exits 124) instead of the suite.
TIMEOUT=
command -v timeout >/dev/null 2>&1 && TIMEOUT="timeout 300"
# Address-space cap (kB) proving memory stays bounded. Sanitizers and valgrind reserve far
# more address space than they use, so the cap is dropped when regind cannot start under it.
MEMCAP=262144
if [ -n "${REGIND_WRAPPER:-}" ] || ! (ulimit -v "$MEMCAP" && "$REGIND" --version) >/dev/null 2>&1; then
    MEMCAP=
fi

# limited ARGS...: run regind like run does, under the time limit and the memory cap.
limited() {
    if [ -n "$MEMCAP" ]; then
        (ulimit -v "$MEMCAP" && exec $TIMEOUT ${REGIND_WRAPPER:-} "$REGIND" "$@") >"$WORK/out" 2>"$WORK/err"
    else
        $TIMEOUT ${REGIND_WRAPPER:-} "$REGIND" "$@" >"$WORK/out" 2>"$WORK/err"
    fi
    status=$?
}

expect_no_file() { # NAME PATH
    if [ -e "$2" ]; then not_ok "$1: $2 exists"; else ok "$1"; fi
}

cd "$WORK" || exit 1

# One tidy dataset d.csv (code, period, gva, pop) with gva_gap against E1.
cat > gap.cfg <<'CFG'
datasets = ( { id = "d"; file = "d.csv"; area = "code"; period = "period";
               measures = { gva = "gva"; pop = "pop"; }; additive = [ "gva", "pop" ]; } );
indicators = ( { id = "gap"; plugin = "gva_gap"; inputs = { gva = "gva"; denominator = "pop"; };
                 benchmark = "E1"; } );
CFG
data() { cp "$H/$1" d.csv; }

# ---------------------------------------------------------------- truncated files
data truncated-quote.csv
limited -c gap.cfg -P "$P" check
expect_status "file cut inside a quoted field" 1
expect_err "open quote located where it opened" 'd.csv:3:3: quoted field opened here is never closed'

data truncated-utf8.csv
limited -c gap.cfg -P "$P" check
expect_status "file cut inside a UTF-8 character" 1
expect_err "cut character located" 'd.csv:3:4: invalid UTF-8 in field; expected UTF-8 text'

data truncated-row.csv
limited -c gap.cfg -P "$P" check
expect_status "file cut inside a row" 1
expect_err "short row located" 'd.csv:3: row has 3 fields; expected 4 like the header on line 1'

: > d.csv
limited -c gap.cfg -P "$P" check
expect_status "empty data file" 1
expect_err "empty file named" 'd.csv: no header row; expected a header naming the columns'

cp "$H/truncated.cfg" truncated.cfg
limited -c truncated.cfg check
expect_status "job file cut in the middle" 2
expect_err "cut job located" 'truncated.cfg:2: syntax error'

# ---------------------------------------------------------------- binary garbage
data garbage.bin
limited -c gap.cfg -P "$P" check
expect_status "binary garbage as data" 1
expect_err "garbage data located" 'd.csv:1:1: invalid UTF-8 in field'

cp "$H/garbage.bin" garbage.cfg
limited -c garbage.cfg check
expect_status "binary garbage as a job" 2
expect_err "garbage job located" 'garbage.cfg:1: syntax error'

printf 'version = 1;\n\000datasets = ();\n' > nul.cfg
limited -c nul.cfg check
expect_status "NUL byte in a job" 2
expect_err "NUL byte located" 'nul.cfg:2: NUL byte; expected a text job file'

# ---------------------------------------------------------------- 1 MB single fields
{ printf 'code,period,gva,pop\nE1,2019,'; head -c 1048576 /dev/zero | tr '\0' 7; printf ',1\n'; } > d.csv
limited -c gap.cfg -P "$P" check
expect_status "1 MB number" 1
expect_err "1 MB cell shown cut to 40 characters" \
    'd.csv:2:3: "7777777777777777777777777777777777777777..." in column "gva" is not a number'
if [ "$(wc -c < "$WORK/err")" -lt 4096 ]; then ok "1 MB cell not copied into the message"; else not_ok "message of $(wc -c < "$WORK/err") bytes"; fi

{ printf 'code,period,gva,pop,note\nE1,2019,100,10,"'; head -c 524288 /dev/zero | tr '\0' '"' | sed 's/"/""/g'; printf '"\n'; } > d.csv
limited -c gap.cfg -P "$P" check
expect_status "1 MB quoted text of doubled quotes in an unused column" 0

{ printf 'code,period,gva,pop\nE1,2019,1,1\n'; head -c 1048576 /dev/zero | tr '\0' A; printf ',2019,100,10\n'; } > d.csv
limited -c gap.cfg -P "$P" check
expect_status "1 MB area code" 0

# ---------------------------------------------------------------- 100k columns
awk 'BEGIN { ORS = ""; print "code,period,gva,pop"; for (i = 5; i <= 100000; i++) print ",c" i; print "\n";
             for (r = 1; r <= 3; r++) { print "E" r ",2019," r * 10 "," r; for (i = 5; i <= 100000; i++) print ","; print "\n" } }' > d.csv
limited -c gap.cfg -P "$P" check
expect_status "100,000 columns${MEMCAP:+ within $MEMCAP kB}" 0
expect_out "100,000 columns read" '3 rows (3 kept)'

# Past a million fields a record is refused rather than grown without bound.
{ printf 'code,period,gva,pop'; head -c 1000000 /dev/zero | tr '\0' ,; printf '\n'; } > d.csv
limited -c gap.cfg -P "$P" check
expect_status "1,000,004 columns" 1
expect_err "field limit located" 'd.csv:1:1000001: more than 1000000 fields in one record'

# ---------------------------------------------------------------- the cube's size guard
# 3,000 rows, each a new area, period and industry: a dense cube would need 2.7e10 cells.
awk 'BEGIN { print "code,period,ind,x"; for (i = 0; i < 3000; i++) print "A" i "," 1000 + i ",I" i "," i }' > sparse.csv
cat > sparse.cfg <<'CFG'
datasets = ( { id = "s"; file = "sparse.csv"; area = "code"; period = "period"; industry = "ind";
               measures = { x = "x"; }; } );
CFG
limited -c sparse.cfg check
expect_status "tidy keys that would explode the cube" 1
expect_err "sparse tidy data refused" 'sparse.csv: 3000 areas x 3000 periods x 3000 industries is far sparser than the 3000 rows read'

# A "wide" table whose 2,000 rows are each a new area and industry, over 100 periods.
awk 'BEGIN { ORS = ""; print "code,ind"; for (p = 1; p <= 100; p++) print "," 1900 + p; print "\n";
             for (i = 0; i < 2000; i++) { print "A" i ",I" i; for (p = 1; p <= 100; p++) print ",1"; print "\n" } }' > sparsew.csv
cat > sparsew.cfg <<'CFG'
datasets = ( { id = "s"; file = "sparsew.csv"; layout = "wide"; area = "code"; industry = "ind"; measure = "x"; } );
CFG
limited -c sparsew.cfg check
expect_status "wide keys that would explode the cube" 1
expect_err "sparse wide data refused" 'sparsew.csv: 2000 areas x 100 periods x 2000 industries is far sparser than the 2000 rows read'

# ---------------------------------------------------------------- a huge sparse file
# 8 GB of which the first three lines are data, the rest a hole that reads as zeros: big
# enough to be read in halves, which once counted the whole first half (4 GB of zero pages,
# about 25 s) to find the middle before parsing a record. The first records now go first.
printf 'code,period,gva,pop\nE1,2019,100,10\nE2,2019,50,5\n' > sparse.csv
if truncate -s 8G sparse.csv 2>/dev/null && [ "$(du -k sparse.csv | cut -f1)" -lt 1024 ]; then
    sed 's/"d.csv"/"sparse.csv"/' gap.cfg > sparse.cfg
    started=$(date +%s)
    $TIMEOUT ${REGIND_WRAPPER:-} "$REGIND" -c sparse.cfg -P "$P" check >"$WORK/out" 2>"$WORK/err"
    status=$?
    took=$(($(date +%s) - started))
    expect_status "8 GB sparse file" 1
    expect_err "the hole is reported where it starts" 'sparse.csv:4:1: NUL byte in field; expected text'
    if [ "$took" -le 8 ]; then ok "sparse file refused in $took s"; else not_ok "sparse file took $took s"; fi
else
    ok "# SKIP 8 GB sparse file (the file system does not keep holes)"
fi
rm -f sparse.csv

# ---------------------------------------------------------------- NaN, Inf, 1e400
for lit in nan NaN inf -Infinity 1e400 -1e400 1e-400 0x1p4; do
    printf 'code,period,gva,pop\nE1,2019,100,10\nE2,2019,%s,5\n' "$lit" > d.csv
    limited -c gap.cfg -P "$P" check
    expect_status "literal $lit in a cell" 1
    expect_err "literal $lit located" "d.csv:3:3: \"$lit\" in column \"gva\" is not a number"
done

sed 's/benchmark = "E1";/benchmark = "E1"; params = { target_share = 1e400; };/' gap.cfg > inf.cfg
data denominators.csv
limited -c inf.cfg -P "$P" check
expect_status "1e400 in a job" 2
expect_err "1e400 located" 'inf.cfg:4: parameter "target_share" is beyond the range of a float'

sed 's/benchmark = "E1";/benchmark = "E1"; params = { target_share = nan; };/' gap.cfg > nan.cfg
limited -c nan.cfg -P "$P" check
expect_status "nan in a job" 2
expect_err "nan located" 'nan.cfg:4: syntax error'

sed 's/file = "d.csv";/file = "d.csv"; skip_rows = 4294967296;/' gap.cfg > wrap.cfg
limited -c wrap.cfg -P "$P" check
expect_status "integer libconfig would wrap to 0" 2
expect_err "wrapping integer located" 'wrap.cfg:1: integer 4294967296 does not fit in 32 bits'

sed 's/file = "d.csv";/file = "d.csv"; skip_rows = 99999999999999999999L;/' gap.cfg > big.cfg
limited -c big.cfg -P "$P" check
expect_status "integer beyond 64 bits" 2
expect_err "64-bit overflow located" 'big.cfg:1: integer 99999999999999999999 is beyond 64 bits'

# ---------------------------------------------------------------- negative and zero denominators
# Documented in gva_gap: a zero or negative denominator gives NaN (an empty cell) and one warning.
data denominators.csv
limited -c gap.cfg -P "$P" compare E1 E2 E3 E4 --format csv
expect_status "negative and zero populations" 0
expect_err "one warning counts them" 'outputs are NaN in 3 cells: 2 with a zero or negative denominator, 1 with a missing gva or denominator'
expect_out "negative population gives an empty value" 'E2,,2019,,gap,gva_per_head,,'
expect_out "zero population gives an empty value" 'E3,,2019,,gap,gva_per_head,,'
expect_value "positive population still computed" "$WORK/out" E1 2019 gva_per_head 10000000 0

# ---------------------------------------------------------------- values beyond the double range
# 1e303 GBP million is a number, but GVA per head multiplies it by 1e6: infinite. Every command
# treats it alike: NaN (an empty cell, n/a in tables) with one warning naming where, status 0.
# Five outputs are infinite: gva_per_head, index, gap_pct, gap_per_head_gbp and gap_total_gbp_m
# (target_gbp_m is n/a for an area ahead of the benchmark).
printf 'code,period,gva,pop\nE1,2019,100,10\nE2,2019,1e303,5\n' > d.csv
limited -c gap.cfg -P "$P" compare E1 E2 --format csv
expect_status "compare: a plugin result beyond the double range" 0
expect_err "compare warns once, naming indicator, area and period" 'indicator gap (plugin gva_gap): 5 infinite values written as NaN, first output gva_per_head for area E2, period 2019'
expect_out "compare writes it empty" 'E2,,2019,,gap,gva_per_head,,'
limited -c gap.cfg -P "$P" compare E1 E2
if grep -q 'inf' "$WORK/out"; then not_ok "compare table prints inf"; else ok "compare table prints no inf"; fi
sed 's|^indicators|outputs = ( { file = "inf-out.csv"; } );\nindicators|' gap.cfg > infrun.cfg
limited -c infrun.cfg -P "$P" run
expect_status "run: a plugin result beyond the double range" 0
expect_err "run gives the same warning" 'indicator gap (plugin gva_gap): 5 infinite values written as NaN'
if grep -q '^E2,,2019,,gap,gva_per_head,,' inf-out.csv; then ok "run writes it empty"; else not_ok "run wrote $(grep '^E2,,2019,,gap,gva_per_head' inf-out.csv)"; fi
printf 'derived = ( { name = "huge"; expr = "gva * 1e10"; } );\n' | cat gap.cfg - > derived-inf.cfg
limited -c derived-inf.cfg -P "$P" check
expect_status "a derived measure beyond the double range" 0
expect_err "derived overflow warned, located" 'derived-inf.cfg:5: derived measure huge: 1 value beyond the range of a double written as NaN, first for area E2, period 2019'

# A finite value of any size keeps every digit in the compare table (buffers are sized
# for the largest double): 1e100 GBP million for 5 people is 2e105 GBP per head, 106 digits.
printf 'code,period,gva,pop\nE1,2019,100,10\nE2,2019,1e100,5\n' > d.csv
limited -c gap.cfg -P "$P" compare E1 E2
expect_status "compare: a value of 106 digits" 0
digits=$(awk '$1 == "E2" { gsub(",", "", $3); print length($3) }' "$WORK/out")
if [ "$digits" = 106 ]; then ok "every digit printed"; else not_ok "gva_per_head printed with '$digits' digits, expected 106"; fi

# ---------------------------------------------------------------- duplicate areas and periods
data duplicate-area.csv
limited -c gap.cfg -P "$P" check
expect_status "duplicate area" 1
expect_err "duplicate names both lines" 'd.csv:4: duplicate key (area E1, period 2019) first seen on line 2'

sed 's/additive = \[ "gva", "pop" \];/additive = [ "gva", "pop" ]; duplicates = "identical";/' gap.cfg > ident.cfg
limited -c ident.cfg -P "$P" check
expect_status "repeated area with another value under duplicates = identical" 1
expect_err "different repeat named" 'duplicate key (area E1, period 2019) first seen on line 2 with different values'

cp "$H/period-twice.csv" w.csv
cat > wide.cfg <<'CFG'
datasets = ( { id = "w"; file = "w.csv"; layout = "wide"; area = "code"; measure = "gva"; additive = [ "gva" ]; } );
CFG
limited -c wide.cfg check
expect_status "period twice in a header" 1
expect_err "second period column located" 'w.csv:1:3: period "2019" appears twice in the header'

# ---------------------------------------------------------------- periods out of order
cp "$H/periods-out-of-order.csv" w.csv
cp "$H/periods-out-of-order-pop.csv" p.csv
cat > order.cfg <<'CFG'
datasets = ( { id = "w"; file = "w.csv"; layout = "wide"; area = "code"; measure = "gva"; },
             { id = "p"; file = "p.csv"; layout = "wide"; area = "code"; measure = "pop"; } );
indicators = ( { id = "gap"; plugin = "gva_gap"; inputs = { gva = "gva"; denominator = "pop"; };
                 benchmark = "A"; } );
CFG
limited -c order.cfg -P "$P" compare A B --period 2017 --format csv
expect_status "periods out of order" 0
# B's 2017 column is its second: GBP 27 million / 2 people = 13,500,000 per head.
expect_value "value follows its column, not its position" "$WORK/out" B 2017 gva_per_head 13500000 1e-6
# A's 2018 column is its third: GBP 18 million / 1 person.
limited -c order.cfg -P "$P" compare A B --period 2018 --format csv
expect_value "third column is 2018" "$WORK/out" A 2018 gva_per_head 18000000 1e-6

# ---------------------------------------------------------------- the joined panel's size
# 0.5 MB of input: 3 areas x 3,000 periods beside 30,000 areas x 1 period, a union of 90 million
# cells per measure (1.4 GB before the guard), refused before anything is allocated.
awk 'BEGIN { print "code,period,x"; for (a = 1; a <= 3; a++) for (t = 1; t <= 3000; t++) printf "A%d,%d,1\n", a, 1000 + t }' > long.csv
awk 'BEGIN { print "code,period,y"; for (a = 1; a <= 30000; a++) printf "B%d,2019,1\n", a }' > wide.csv
cat > union.cfg <<'CFG'
datasets = ( { id = "long"; file = "long.csv"; area = "code"; period = "period"; measures = { x = "x"; }; },
             { id = "wide"; file = "wide.csv"; area = "code"; period = "period"; measures = { y = "y"; }; } );
CFG
limited -c union.cfg check
expect_status "datasets whose union explodes" 1
expect_err "the datasets and the limit are named" 'union.cfg: joining datasets "long" (3 areas x 3000 periods) and "wide" (30000 areas x 1 period) gives a panel of 30003 areas x 3000 periods holding 180018000 values, more than the limit of 16777216 (64 times the values the datasets hold'
# The same through a lookup: one child with 20,000 parents, each an area of its own.
awk 'BEGIN { print "code,period,gva"; for (t = 1; t <= 3000; t++) printf "A1,%d,1\n", 1000 + t }' > one.csv
awk 'BEGIN { print "child,parent"; for (k = 1; k <= 20000; k++) printf "A1,P%d\n", k }' > parents.csv
cat > parents.cfg <<'CFG'
datasets = ( { id = "one"; file = "one.csv"; area = "code"; period = "period"; measures = { gva = "gva"; }; additive = [ "gva" ]; } );
geography = { lookups = ( { id = "l"; file = "parents.csv"; child = "child"; parent = "parent"; aggregate = [ "gva" ]; } ); };
CFG
limited -c parents.cfg check
expect_status "lookup parents that explode the panel" 1
expect_err "lookup parents counted" 'gives a panel of 20001 areas (20000 of them lookup parents) x 3000 periods'
# The limit is the job's to set.
printf 'max_panel_values = 3;\n' | cat - gap.cfg > limit.cfg
printf 'code,period,gva,pop\nE1,2019,100,10\nE2,2019,50,5\n' > d.csv
limited -c limit.cfg -P "$P" check
expect_status "max_panel_values below the panel" 1
expect_err "configured limit named" 'holding 4 values, more than the limit of 3 (max_panel_values)'
printf 'max_panel_values = 4;\n' | cat - gap.cfg > limit.cfg
limited -c limit.cfg -P "$P" check
expect_status "max_panel_values that fits" 0

# ---------------------------------------------------------------- conflicting lookups
cp "$H/lookup-data.csv" w.csv
lookup() { # FILE
    cp "$H/$1" l.csv
    cat > l.cfg <<'CFG'
datasets = ( { id = "w"; file = "w.csv"; layout = "wide"; area = "code"; measure = "gva"; additive = [ "gva" ]; } );
geography = { lookups = ( { id = "l"; file = "l.csv"; child = "child"; parent = "parent"; aggregate = [ "gva" ]; } ); };
CFG
}
lookup lookup-unknown-child.csv
limited -c l.cfg check
expect_status "lookup child not in the data" 1
expect_err "unknown child located" 'l.csv:3: child area Z (of P1) has no "gva" data (dataset "w")'

lookup lookup-unknown-parent.csv
limited -c l.cfg check
expect_status "child mapped to a parent known only as another parent" 1
expect_err "parent without data located" 'l.csv:4: child area P1 (of P3) has no "gva" data'

lookup lookup-pair-twice.csv
limited -c l.cfg check
expect_status "pair listed twice" 1
expect_err "repeated pair located" 'l.csv:4: A -> P1 is listed twice'

lookup lookup-empty-parent.csv
limited -c l.cfg check
expect_status "empty parent code" 1
expect_err "empty parent located" 'l.csv:2: empty parent code'

lookup lookup-parent-in-data.csv
limited -c l.cfg check
expect_status "parent that has its own data" 2
expect_err "conflict named" 'l.cfg:2: lookup "l": area B already has "gva" in dataset "w"'

# A large lookup is read in time proportional to its size.
awk 'BEGIN { print "child,parent"; for (i = 0; i < 200000; i++) print "C" i ",P" i % 100 }' > l.csv
sed 's/ aggregate = \[ "gva" \];//' l.cfg > lbig.cfg
limited -c lbig.cfg check
expect_status "200,000-row lookup" 0

# ---------------------------------------------------------------- directories, FIFOs and @include
mkdir jobdir
limited -c jobdir check
expect_status "job file that is a directory" 2
expect_err "directory named" 'jobdir: is a directory; expected a job file'

mkfifo job.fifo
limited -c job.fifo check
expect_status "job file that is a FIFO" 2
expect_err "FIFO named" 'job.fifo: is not a regular file but a FIFO (named pipe); expected a job file'

rm -f d.csv && mkdir d.csv
limited -c gap.cfg -P "$P" check
expect_status "dataset that is a directory" 1
expect_err "dataset directory named" 'd.csv: is a directory; expected a CSV file'

rmdir d.csv && mkfifo d.csv
limited -c gap.cfg -P "$P" check
expect_status "dataset that is a FIFO" 1
expect_err "dataset FIFO named" 'd.csv: is a FIFO (named pipe); expected a regular CSV file'
rm -f d.csv

rm -f l.csv && mkfifo l.csv
limited -c l.cfg check
expect_status "lookup that is a FIFO" 1
expect_err "lookup FIFO named" 'l.csv: is a FIFO (named pipe); expected a regular CSV file'
rm -f l.csv

# Outputs: a directory or a FIFO where the output file should be is never replaced or opened.
printf 'code,period,gva,pop\nE1,2019,100,10\n' > d.csv
mkdir outdir && mkfifo out.fifo
for target in outdir out.fifo; do
    cp gap.cfg out.cfg
    printf 'outputs = ( { file = "%s"; } );\n' "$target" >> out.cfg
    limited -c out.cfg -P "$P" run
    expect_status "output file that is $target" 1
    expect_err "output $target named" "$target: is not a regular file; expected a file regind may replace"
done
if [ -d outdir ] && [ -p out.fifo ]; then ok "directory and FIFO left in place"; else not_ok "output target replaced"; fi
rm -f d.csv

mkdir incdir && mkfifo inc.fifo
printf 'version = 1;\n@include "incdir"\n' > incdir.cfg
limited -c incdir.cfg check
expect_status "@include of a directory" 2
expect_err "included directory located" 'incdir.cfg:2: @include "incdir": incdir is a directory'

printf '@include "inc.fifo"\n' > incfifo.cfg
limited -c incfifo.cfg check
expect_status "@include of a FIFO" 2
expect_err "included FIFO located" 'incfifo.cfg:1: @include "inc.fifo": inc.fifo is a FIFO (named pipe)'

printf '@include "self.cfg"\n' > self.cfg
limited -c self.cfg check
expect_status "file that includes itself" 2
expect_err "recursion located" 'self.cfg:1: @include "self.cfg" nests deeper than 10 files'

# inc0 includes inc1 ... inc10 includes inc11: one level more than libconfig allows.
i=0
while [ $i -le 10 ]; do
    printf '# level %d\n@include "inc%d.cfg"\n' $i $((i + 1)) > inc$i.cfg
    i=$((i + 1))
done
printf 'version = 1;\n' > inc11.cfg
limited -c inc0.cfg check
expect_status "@include nested eleven deep" 2
expect_err "deepest include located" 'inc10.cfg:2: @include "inc11.cfg" nests deeper than 10 files'

# ...and ten levels are fine (the chain then reaches a job without datasets).
printf 'version = 1;\n' > inc10.cfg
limited -c inc0.cfg check
expect_status "@include nested ten deep" 2
expect_err "ten levels read to the end" 'missing required setting "datasets"'

printf '@include "/dev/zero"\n' > abs.cfg
limited -c abs.cfg check
expect_status "@include of an absolute name" 2
expect_err "absolute include located" 'abs.cfg:1: @include "/dev/zero": absolute names are not supported'

printf '@include "inc\\x2efifo"\n' > bs.cfg
limited -c bs.cfg check
expect_status "@include with a backslash" 2
expect_err "backslash include located" 'bs.cfg:1: @include "inc\x2efifo": backslashes are not supported'

printf 'version = 1;\n@include "inc0.cfg\n' > open.cfg
limited -c open.cfg check
expect_status "@include without its closing quote" 2
expect_err "unclosed include located" "open.cfg:2: @include name has no closing '\"'"
if [ -s "$WORK/out" ]; then not_ok "libconfig echoed to stdout"; else ok "nothing written to stdout"; fi

# ---------------------------------------------------------------- trusted plugin loading
cp -R "$P" tp && chmod -R go-w tp
limited -P "$WORK/tp" describe gva_gap
expect_status "plugin in a directory only its owner writes" 0

chmod g+w tp
limited -P "$WORK/tp" describe gva_gap
expect_status "plugin directory writable by its group" 2
expect_err "group-writable directory named" "refusing to load plugin: $WORK/tp is writable by its group (mode 0775)"
expect_err "opt-out named" 'pass --insecure-plugins to load it anyway (unsafe)'
limited --insecure-plugins -P "$WORK/tp" describe gva_gap
expect_status "--insecure-plugins loads it anyway" 0
limited -P "$WORK/tp" list
expect_status "list with a refused directory" 0
expect_err "list gives the reason" "$WORK/tp is writable by its group"
chmod g-w tp

chmod o+w tp/.libs/gva_gap.so
limited -P "$WORK/tp" describe gva_gap
expect_status "shared object writable by others" 2
expect_err "the object the .la names is checked" "$WORK/tp/.libs/gva_gap.so is writable by others"
chmod o-w tp/.libs/gva_gap.so

chmod 777 "$WORK"
limited -P "$WORK/tp" describe gva_gap
expect_status "directory above writable by all" 2
expect_err "ancestor named" "$WORK is writable by group and others (mode 0777)"
chmod 1777 "$WORK"
limited -P "$WORK/tp" describe gva_gap
expect_status "sticky directory above (like /tmp)" 0
chmod 700 "$WORK"

# A link is followed only out of a directory nobody else can write: anyone who can
# write the directory holding it can point it elsewhere between the check and the load.
mkdir links && ln -s "$WORK/tp/.libs/gva_gap.so" links/gva_gap.so && chmod 777 links
limited -P "$WORK/links" describe gva_gap
expect_status "link to a trusted plugin in a directory anyone can write" 2
expect_err "the directory holding the link is named" "$WORK/links is writable by group and others (mode 0777)"
chmod 1777 links
limited -P "$WORK/links" describe gva_gap
expect_status "link to a trusted plugin in a sticky directory (like /tmp)" 2
expect_err "sticky link directory named" "which is writable by group and others (mode 1777); expected links only in directories that only their owner can write"
chmod 755 links
limited -P "$WORK/links" describe gva_gap
expect_status "link in a directory only its owner writes" 0
expect_out "the link's path is reported" "file: $WORK/links/gva_gap.so"
ln -s tp linked-tp
limited -P "$WORK/linked-tp" describe gva_gap
expect_status "search directory reached through a link" 0
chmod o+w tp/.libs
limited -P "$WORK/linked-tp" describe gva_gap
expect_status "link target's directory writable by others" 2
expect_err "the target's directory is named" "$WORK/tp/.libs is writable by others"
chmod o-w tp/.libs

if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
    chown nobody tp/gva_gap.la
    limited -P "$WORK/tp" describe gva_gap
    expect_status "plugin owned by another user" 2
    expect_err "owner named" "$WORK/tp/gva_gap.la is owned by uid $(id -u nobody), neither root nor the user running regind"
    chown 0 tp/gva_gap.la
else
    ok "# SKIP plugin owned by another user (needs root to chown)"
fi

# A .la that names an installed object in a directory anyone can write.
mkdir -p evil open && cp tp/.libs/gva_gap.so open/ && chmod 777 open
sed -e "s|^libdir=.*|libdir='$WORK/open'|" -e "s|^installed=.*|installed=yes|" tp/gva_gap.la > evil/gva_gap.la
limited -P "$WORK/evil" describe gva_gap
expect_status ".la pointing into a world-writable directory" 2
expect_err "target directory named" "$WORK/open is writable by group and others"
chmod 755 open

cat > path.cfg <<'CFG'
datasets = ( { id = "d"; file = "d.csv"; area = "code"; period = "period"; measures = { x = "x"; }; } );
indicators = ( { id = "i"; plugin = "../tp/gva_gap"; inputs = { gva = "x"; }; } );
CFG
limited -c path.cfg check
expect_status "plugin given as a path" 2
expect_err "path refused" 'path.cfg:2: "plugin" must be a plugin name such as "gva_gap", not a path'

# ---------------------------------------------------------------- describe, list and check never compute
REGIND_COMPUTE_TRAP="$WORK/trap"
export REGIND_COMPUTE_TRAP
printf 'code,period,x\nE1,2019,1\n' > d.csv
cat > trap.cfg <<'CFG'
datasets = ( { id = "d"; file = "d.csv"; area = "code"; period = "period"; measures = { x = "x"; }; } );
indicators = ( { id = "t"; plugin = "compute_trap"; inputs = { x = "x"; }; } );
outputs = ( { file = "trap-out.csv"; } );
CFG
limited -P "$TEST_PLUGIN_DIR" describe compute_trap
expect_status "describe" 0
expect_no_file "describe does not compute" "$WORK/trap"
limited -P "$TEST_PLUGIN_DIR" list
expect_out "list shows the trap plugin" "compute_trap"
expect_no_file "list does not compute" "$WORK/trap"
limited -c trap.cfg -P "$TEST_PLUGIN_DIR" check
expect_status "check" 0
expect_no_file "check does not compute" "$WORK/trap"
limited -c trap.cfg -P "$TEST_PLUGIN_DIR" run
expect_status "run" 0
if [ -e "$WORK/trap" ]; then ok "run computes (the trap works)"; else not_ok "run left no trap file"; fi

finish
