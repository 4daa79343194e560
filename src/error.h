/*
 * error.h — regind's status codes and error values.
 *
 * Owns ri_rc (the status every core function returns, which is also the
 * process exit code) and ri_error (a fixed buffer the callee fills with a
 * message a user can act on: "FILE:LINE: what is wrong; what was expected").
 * Library code never prints or exits; only main() decides what to do.
 */
#ifndef RI_ERROR_H
#define RI_ERROR_H

#include <stddef.h>

typedef enum ri_rc {
    RI_RC_OK = 0,
    RI_RC_DATA = 1,    /* bad data or a failed computation */
    RI_RC_USAGE = 2,   /* bad command line or configuration */
    RI_RC_LOCK = 3,    /* another run holds the job's lock */
    RI_RC_PARTIAL = 4, /* inputs rejected by policy */
    RI_RC_PLUGIN_CRASH = 5 /* a plugin crashed in compute (the process ends at once) */
} ri_rc;

#define RI_ERROR_MAX 2048

typedef struct ri_error {
    ri_rc code;
    char msg[RI_ERROR_MAX];
} ri_error;

#if defined(__GNUC__)
#define RI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define RI_PRINTF(a, b)
#endif

/* Set err (which may be NULL) to code and a formatted message; returns code. */
ri_rc ri_fail(ri_error *err, ri_rc code, const char *fmt, ...) RI_PRINTF(3, 4);

/* Prepend "prefix" to the message already in err; returns err->code. */
ri_rc ri_error_prefix(ri_error *err, const char *fmt, ...) RI_PRINTF(2, 3);

/* The out-of-memory error every module reports the same way; returns RI_RC_DATA. */
ri_rc ri_oom(ri_error *err);

void ri_error_clear(ri_error *err);

#endif
