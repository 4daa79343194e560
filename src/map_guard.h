/*
 * map_guard.h — surviving a mapped input file that shrinks while it is read.
 *
 * Owns the process's SIGBUS handler. Reading a page of a mapping beyond the
 * end of a file that another process truncated raises SIGBUS, which would
 * kill regind (exit 135) mid-read. For a mapping registered here the handler
 * puts a page of zeros in place of the vanished one and notes it; the reader
 * then meets NUL bytes, which no input may hold, and asks whether its file
 * shrank so that it can say so (status 1). A SIGBUS anywhere else goes to
 * the handler that was there before (by default, the end of the process).
 */
#ifndef RI_MAP_GUARD_H
#define RI_MAP_GUARD_H

#include <stddef.h>

/* Watch base[0..len); 0 on success, -1 when every slot is taken (the mapping is then unguarded). */
int ri_map_guard_add(const void *base, size_t len);

/* Stop watching the mapping at base (before unmapping it). */
void ri_map_guard_remove(const void *base);

/* Whether a page of the mapping at base vanished since it was added. */
int ri_map_guard_shrank(const void *base);

#endif
