#!/bin/sh
# make installcheck: the installed regind taken from nothing to a new indicator, as the README's
# "Write your own indicator" does it. A plugin is scaffolded, built against the *installed* SDK
# found through pkg-config alone, tested, loaded, and run through `regind run` on the installed
# ONS data next to the installed gva_gap plugin, with published numbers expected.
#
# The installcheck-local rule passes BINDIR, PKGCONFIGDIR, PKGDATADIR, SYSCONFDIR and SRCDIR
# (from configure) and DESTDIR. With DESTDIR the installed files are found under it, pkg-config
# gets it as PKG_CONFIG_SYSROOT_DIR, and the checks that need the final location (regind's
# built-in plugin directory and default job) are skipped.
: "${BINDIR:?set by make installcheck}"
: "${PKGCONFIGDIR:?set by make installcheck}"
: "${PKGDATADIR:?set by make installcheck}"
: "${SYSCONFDIR:?set by make installcheck}"
: "${DOCDIR:?set by make installcheck}"
DESTDIR=${DESTDIR:-}
REGIND="$DESTDIR$BINDIR/regind"
. "$SRCDIR/tests/lib.sh"

unset MAKEFLAGS MFLAGS MAKELEVEL REGIND_CONFIG REGIND_PLUGIN_PATH
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
PKG_CONFIG_PATH="$DESTDIR$PKGCONFIGDIR"
export PKG_CONFIG_PATH
if [ -n "$DESTDIR" ]; then
    PKG_CONFIG_SYSROOT_DIR=$DESTDIR
    export PKG_CONFIG_SYSROOT_DIR
fi
CC=${CC:-cc}
STRICT="-std=c11 -Wall -Wextra -Werror"
DIR="$WORK/ratio_demo"
DATA="$DESTDIR$PKGDATADIR/data/ons-lep-gva-2021"

if [ -x "$REGIND" ]; then ok "regind is installed in $DESTDIR$BINDIR"; else not_ok "no $REGIND"; finish; exit 1; fi

# ---------------------------------------------------------------- the SDK through pkg-config
if "$PKG_CONFIG" --exists regind; then ok "pkg-config finds regind.pc"; else not_ok "pkg-config cannot find regind in $PKG_CONFIG_PATH"; fi
printf '#include <regind/plugin.h>\nconst ri_plugin *p;\nint main(void) { return RI_ABI_MAJOR > 0 ? 0 : 1; }\n' > "$WORK/sdk.c"
# shellcheck disable=SC2046 # the flags are words
if "$CC" $("$PKG_CONFIG" --cflags regind) $STRICT -o "$WORK/sdk" "$WORK/sdk.c" >"$WORK/out" 2>"$WORK/err"; then
    ok "the installed header compiles with \`pkg-config --cflags regind\` alone"
else
    not_ok "the installed header does not compile with \`pkg-config --cflags regind\`"
fi

run --version
abi=$(sed -n 's/.*plugin ABI \([0-9]*\.[0-9]*\).*/\1/p' "$WORK/out")
pc_abi=$("$PKG_CONFIG" --variable=abi_version regind)
if [ -n "$abi" ] && [ "$abi" = "$pc_abi" ]; then ok "regind.pc abi_version is regind's ABI ($abi)"; else not_ok "regind speaks ABI '$abi', regind.pc says '$pc_abi'"; fi

plugindir=$("$PKG_CONFIG" --variable=plugindir regind)
# pkgconf puts the sysroot before variables as well, pkg-config only before -I and -L.
case "$plugindir" in
"$DESTDIR"/*) ;;
*) plugindir="$DESTDIR$plugindir" ;;
esac
if [ -e "$plugindir/gva_gap.la" ] || [ -e "$plugindir/gva_gap.so" ]; then
    ok "the bundled plugins are in pkg-config's plugindir"
else
    not_ok "no gva_gap module in $plugindir"
fi
if [ -n "$DESTDIR" ]; then
    PLUGINS="-P $plugindir"
else
    PLUGINS=
    run list
    expect_status "list without -P" 0
    expect_out "regind's own plugin directory is pkg-config's plugindir" "gva_gap"
fi

# ---------------------------------------------------------------- scaffold, build, test, load
run new-plugin ratio_demo "$DIR"
expect_status "new-plugin" 0

make -C "$DIR" CFLAGS="$STRICT" >"$WORK/out" 2>"$WORK/err"
status=$?
expect_status "the project builds against the installed SDK (pkg-config only)" 0
if "$PKG_CONFIG" --exists cmocka; then
    make -C "$DIR" check CFLAGS="$STRICT" >"$WORK/out" 2>"$WORK/err"
    status=$?
    expect_status "make check of the project" 0
    expect_out "the project's tests ran" "4 test(s) run."
else
    echo "# skip: make check of the project needs cmocka (pkg-config cmocka)"
fi

# shellcheck disable=SC2086 # PLUGINS is empty or two words
run -P "$DIR" $PLUGINS list
expect_status "list with the new plugin" 0
expect_out "the new plugin is listed" "ratio_demo"
expect_out "next to the bundled ones" "gva_gap"

# The by-industry project, and a project made under umask 002 (Ubuntu desktops), which must load.
IND="$WORK/share_demo"
run new-plugin --by-industry share_demo "$IND"
expect_status "new-plugin --by-industry" 0
if "$PKG_CONFIG" --exists cmocka; then
    make -C "$IND" check CFLAGS="$STRICT" >"$WORK/out" 2>"$WORK/err"
    status=$?
    expect_status "make check of the by-industry project against the installed SDK" 0
    expect_out "the by-industry project's tests ran" "4 test(s) run."
fi
(
    umask 002
    "$REGIND" -q new-plugin loose "$WORK/loose" && make -C "$WORK/loose" CFLAGS="$STRICT" >/dev/null 2>&1
)
run -P "$WORK/loose" describe loose
expect_status "a project made and built under umask 002 loads" 0

for f in gva_gap.c location_quotient.c; do
    if [ -s "$DESTDIR$DOCDIR/examples/$f" ]; then ok "example $f is installed"; else not_ok "no $DESTDIR$DOCDIR/examples/$f"; fi
done

# ---------------------------------------------------------------- run on the installed data
{
    cat <<CFG
datasets = (
  { id = "gva"; file = "$DATA/enterprise_regions_T1_GVA_current_basic_prices_GBP_million.csv";
    layout = "wide"; area = "geo_code"; area_name = "area_name";
    filter = { area_type = "LEP"; }; measure = "gva_gbp_m"; },
  { id = "population"; file = "$DATA/enterprise_regions_T6_resident_population_persons.csv";
    layout = "wide"; area = "geo_code"; area_name = "area_name";
    filter = { area_type = "LEP"; }; measure = "population"; }
);
indicators = (
  { id = "gap"; plugin = "gva_gap";
    inputs = { gva = "gva_gbp_m"; denominator = "population"; };
    benchmark = "E37000051"; },
CFG
    cat "$DIR/ratio_demo.cfg-snippet"
    cat <<'CFG'
);
outputs = ( { file = "lep.csv"; } );
CFG
} > "$WORK/job.cfg"

mkdir "$WORK/o"
# shellcheck disable=SC2086
run -c "$WORK/job.cfg" -P "$DIR" $PLUGINS run --output-dir "$WORK/o"
expect_status "regind run with the new plugin on the installed data" 0
# ONS enterprise regions (May 2021), 2019, tables T1 (GVA, GBP million) and T6 (population):
# Black Country 22,282 / 1,198,881 and London 468,169 / 8,961,989, times the snippet's scale 1e6.
expect_value "Black Country GVA per head 2019 (ratio_demo)" "$WORK/o/lep.csv" E37000001 2019 ratio 18585.664465 1e-6
expect_value "London GVA per head 2019 (ratio_demo)" "$WORK/o/lep.csv" E37000051 2019 ratio 52239.408015 1e-6
# The same figure from the bundled gva_gap, and Black Country against London: 18,585.66 / 52,239.41 * 100.
expect_value "Black Country GVA per head 2019 (gva_gap)" "$WORK/o/lep.csv" E37000001 2019 gva_per_head 18585.664465 1e-6
expect_value "Black Country index against London 2019 (gva_gap)" "$WORK/o/lep.csv" E37000001 2019 index 35.577862 1e-6
if grep -q '^E37000001,Black Country,2019,,ratio_demo,ratio,[0-9.]*,GBP per head$' "$WORK/o/lep.csv"; then
    ok "the ratio carries the unit the snippet sets"
else
    not_ok "no Black Country 2019 ratio row in GBP per head"
fi

# shellcheck disable=SC2086
run -c "$WORK/job.cfg" -P "$DIR" $PLUGINS compare -i ratio_demo "Black Country" London
expect_status "compare with the new plugin" 0
expect_out "compare shows London" "52,239"
expect_out "compare shows Black Country" "18,586"

# ---------------------------------------------------------------- the installed default job
if [ -z "$DESTDIR" ]; then
    if [ -f "$SYSCONFDIR/regind/regind.cfg" ]; then ok "the default job is installed"; else not_ok "no $SYSCONFDIR/regind/regind.cfg"; fi
    mkdir "$WORK/default"
    run run --output-dir "$WORK/default"
    expect_status "the installed default job runs without -c" 0
    # England = the 309 unique English districts, 2019: 1,702,090 / 56,286,961 -> 30,239.51 per head.
    expect_value "default job: Black Country against England 2019" "$WORK/default/lep-indicators.csv" E37000001 2019 index 61.461531 1e-6
fi

finish
