#!/bin/sh
# End to end: the report rendered by a real browser (headless Chromium): every LEP's name is in
# the rendered DOM, the screenshot is not blank, and the page renders complete with the network
# unreachable. Skipped (exit 77) when no Chromium is installed.
. "$SRCDIR/tests/lib.sh"

browser=
for b in chromium chromium-browser google-chrome; do
    if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
if [ -z "$browser" ]; then
    echo "# SKIP: no Chromium found (Debian: apt-get install chromium); the report was not rendered in a browser"
    exit 77
fi

# A profile of its own, nothing fetched in the background, and every address unreachable.
chrome() {
    profile=$(mktemp -d "$WORK/profile.XXXXXX")
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --proxy-server=http://127.0.0.1:9 --host-resolver-rules='MAP * ~NOTFOUND' \
        --window-size=1000,1400 "$@" 2>>"$WORK/browser.log"
}

run -c "$CFG" -P "$PLUGIN_DIR" report -o "$WORK/report.html" "Black Country"
expect_status "report" 0
chrome --dump-dom "file://$WORK/report.html" >"$WORK/dom.html"
if grep -q '<h2>Sources and method</h2>' "$WORK/dom.html"; then ok "the browser rendered the whole page"; else not_ok "the rendered DOM is incomplete"; fi
run -c "$CFG" -P "$PLUGIN_DIR" areas --type LEP
missing=0
while IFS= read -r line; do
    name=$(printf '%s\n' "$line" | cut -c12-61 | sed 's/ *$//')
    if ! grep -qF -- "$name" "$WORK/dom.html"; then
        missing=$((missing + 1))
        echo "# not in the DOM: $name"
    fi
done <"$WORK/out"
n=$(wc -l <"$WORK/out")
if [ "$n" -eq 38 ] && [ "$missing" -eq 0 ]; then ok "all 38 LEPs are in the rendered DOM"; else not_ok "$missing of $n LEP names missing from the DOM"; fi
if grep -Eqi '<script|<link|<img|<iframe' "$WORK/dom.html"; then not_ok "the rendered page holds no resource to load"; else ok "the rendered page holds no resource to load"; fi

# A blank page's screenshot is a few kilobytes of white; the report's holds a chart and a table.
printf '<!DOCTYPE html><html><body></body></html>\n' >"$WORK/blank.html"
chrome --screenshot="$WORK/blank.png" "file://$WORK/blank.html" >/dev/null
chrome --screenshot="$WORK/report.png" "file://$WORK/report.html" >/dev/null
blank=$(wc -c <"$WORK/blank.png" 2>/dev/null || echo 0)
shot=$(wc -c <"$WORK/report.png" 2>/dev/null || echo 0)
if [ "$blank" -gt 0 ] && [ "$shot" -gt $((blank * 10)) ]; then
    ok "the screenshot is not blank ($shot bytes; a blank page $blank)"
else
    not_ok "screenshot of $shot bytes against a blank page's $blank"
    tail -5 "$WORK/browser.log"
fi

finish
