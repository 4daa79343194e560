/* fuzz_common.c — what every harness shares: the failure report (see fuzz.h). */
#include "fuzz.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

const char *ri_fuzz_current;

void ri_fuzz_fail(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "fuzz invariant broken%s%s: ", ri_fuzz_current ? " by " : "",
            ri_fuzz_current ? ri_fuzz_current : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

long ri_fuzz_stdout_mark(void)
{
    return ftell(stdout);
}

void ri_fuzz_stdout_check(long mark)
{
    long now;

    if (mark < 0)
        return;
    now = ftell(stdout);
    if (now != mark)
        ri_fuzz_fail("the library wrote %ld bytes to stdout", now - mark);
}
