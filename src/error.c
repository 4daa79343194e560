/* error.c — formatting of ri_error values (see error.h). */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

ri_rc ri_fail(ri_error *err, ri_rc code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

ri_rc ri_error_prefix(ri_error *err, const char *fmt, ...)
{
    char head[RI_ERROR_MAX];
    size_t hlen, mlen;
    va_list ap;

    if (!err)
        return RI_RC_DATA;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    hlen = strlen(head);
    if (hlen >= sizeof err->msg)
        hlen = sizeof err->msg - 1;
    mlen = strnlen(err->msg, sizeof err->msg - 1);
    if (hlen + mlen >= sizeof err->msg)
        mlen = sizeof err->msg - 1 - hlen;
    memmove(err->msg + hlen, err->msg, mlen);
    memcpy(err->msg, head, hlen);
    err->msg[hlen + mlen] = '\0';
    return err->code;
}

ri_rc ri_oom(ri_error *err)
{
    return ri_fail(err, RI_RC_DATA, "out of memory");
}

void ri_error_clear(ri_error *err)
{
    if (err) {
        err->code = RI_RC_OK;
        err->msg[0] = '\0';
    }
}
