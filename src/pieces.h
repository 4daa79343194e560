/*
 * pieces.h — one output made by two threads, written in order.
 *
 * Owns cutting a writer's work into pieces (runs of blocks whose cost adds
 * up to about a megabyte of text), handing them to the calling thread and a
 * helper thread, and passing the finished pieces to the sink in their order,
 * so that the file is byte for byte what one thread would write. Formatting
 * numbers is most of the time of a large CSV output; with a second thread
 * it overlaps, while the sink's own thread hashes and writes.
 */
#ifndef RI_PIECES_H
#define RI_PIECES_H

#include <stddef.h>

#include "error.h"
#include "sink.h"

/* Write blocks [from, to) to out with the thread's own state. */
typedef ri_rc (*ri_piece_fn)(void *state, ri_sink *out, size_t from, size_t to, ri_error *err);

/* What one block costs, in the unit of target (cells, say). */
typedef size_t (*ri_block_cost_fn)(const void *ctx, size_t block);

typedef struct ri_pieces {
    size_t n_blocks;
    size_t target;           /* cost of one piece */
    ri_block_cost_fn cost;
    const void *cost_ctx;
    ri_piece_fn write;
    void *state[2];          /* the calling thread's, the helper's */
} ri_pieces;

/* Write every block to sink, in order. Without a helper thread (none could
   start) the caller writes everything itself. The first failing piece's
   status and message are returned. */
ri_rc ri_pieces_write(const ri_pieces *p, ri_sink *sink, ri_error *err);

#endif
