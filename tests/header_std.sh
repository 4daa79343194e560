#!/bin/sh
# The plugin SDK header compiles cleanly as C89, C99 and C11 (and C++ when a
# C++ compiler is present), since economists build plugins with whatever
# their compiler defaults to.
: "${SRCDIR:?run through make check}"
CC=${CC:-cc}
status=0
passes=0
failures=0
for std in c89 c99 c11; do
    if printf '#include <regind/plugin.h>\nint main(void) { return RI_ABI_MAJOR == REGIND_ABI_MAJOR ? 0 : 1; }\n' |
        $CC -std=$std -pedantic -Wall -Wextra -Werror -I"$SRCDIR/include" -x c -o /dev/null -; then
        echo "ok - plugin.h as $std"; passes=$((passes + 1))
    else
        echo "not ok - plugin.h as $std"; failures=$((failures + 1)); status=1
    fi
done
if command -v c++ >/dev/null 2>&1; then
    if printf '#include <regind/plugin.h>\nint main() { return 0; }\n' |
        c++ -Wall -Wextra -Werror -I"$SRCDIR/include" -x c++ -o /dev/null -; then
        echo "ok - plugin.h as C++"; passes=$((passes + 1))
    else
        echo "not ok - plugin.h as C++"; failures=$((failures + 1)); status=1
    fi
fi
echo "$passes passed, $failures failed"
exit $status
