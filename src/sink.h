/*
 * sink.h — where output writers put their bytes.
 *
 * Owns the path from a writer's rows to their destination: a stdio stream
 * (what `compare` prints), or a file descriptor whose bytes are SHA-256
 * hashed for the run manifest on the way. For a file, each 1 MiB chunk is
 * written by the writer's thread and hashed on a second thread while the
 * writer formats the next, because a large run's outputs reach a gigabyte
 * and hashing them after writing, then reading them back, doubled the time
 * spent on them. A sink can also keep its bytes in memory, for pieces of a
 * file made on another thread (pieces.h).
 *
 * Writers reserve room, fill it and commit what they used, so each byte is
 * copied once. Write errors are remembered and reported by ri_sink_close();
 * after an error further bytes are dropped.
 */
#ifndef RI_SINK_H
#define RI_SINK_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "sha256.h"

/* The most a writer may reserve at once. */
#define RI_SINK_RESERVE_MAX 65536

typedef struct ri_sink ri_sink;

/* A sink that fwrite()s to f (not closed by the sink). */
ri_rc ri_sink_stream(FILE *f, ri_sink **out, ri_error *err);

/* A sink that hashes its bytes and, when fd >= 0, writes them to fd (not
   closed by the sink); fd < 0 only hashes, to learn what a file would hold. */
ri_rc ri_sink_file(int fd, ri_sink **out, ri_error *err);

/* A sink that keeps its bytes in memory, for a writer that prepares a
   piece of a file on one thread while another writes the piece before. */
ri_rc ri_sink_memory(ri_sink **out, ri_error *err);

/* Move a memory sink's bytes to the end of dst and empty it. */
void ri_sink_drain(ri_sink *memory, ri_sink *dst);

/* Room for n <= RI_SINK_RESERVE_MAX bytes; commit the end of what was used. */
char *ri_sink_reserve(ri_sink *s, size_t n);
void ri_sink_commit(ri_sink *s, char *end);

void ri_sink_write(ri_sink *s, const void *data, size_t n);
void ri_sink_puts(ri_sink *s, const char *text);

/* Nonzero once a write has failed. */
int ri_sink_failed(const ri_sink *s);

/* What a file sink saw: the byte count and the digest as hex. */
typedef struct ri_sink_summary {
    unsigned long long bytes;
    char sha256[RI_SHA256_HEX];
} ri_sink_summary;

/* Flush, wait for the second thread, fill sum (may be NULL) and free s.
   RI_RC_DATA with "write failed: <reason>" when a write failed. */
ri_rc ri_sink_close(ri_sink *s, ri_sink_summary *sum, ri_error *err);

#endif
