/*
 * test_util.h — what the core's cmocka programs share: paths into the source
 * tree, a scratch directory per program, and writing fixture files into it.
 * Failures go through cmocka's asserts, so a test never runs on a cut path.
 */
#ifndef RI_TEST_UTIL_H
#define RI_TEST_UTIL_H

#include "config.h"
#include "error.h"

#define PATH_BUF 4096

/* The scratch directory of the running program ("" until test_make_workdir). */
extern char workdir[PATH_BUF];

/* $SRCDIR, set by make check; "." when unset. */
const char *srcdir(void);

/* Format into a PATH_BUF buffer, failing the test when the text would be cut. */
void fmt(char *buf, const char *f, ...) RI_PRINTF(2, 3);

/* Create TMPDIR/regind-TAG-XXXXXX as workdir; 0 on success. */
int test_make_workdir(const char *tag);

/* Remove path and everything below it; 0 on success. */
int test_remove_tree(const char *path);

/* Write text to workdir/name. */
void write_file(const char *name, const char *text);

/* Write text as the job file workdir/NAME.cfg and load it, failing the test when it does not load. */
ri_job *test_load_job(const char *name, const char *text);

#endif
