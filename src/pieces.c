/* pieces.c — ordered output from two threads (see pieces.h). */
#include "pieces.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Pieces in flight: enough that neither thread waits for the other often. */
#define SLOTS 4

enum { FREE, BUSY, READY };

typedef struct slot {
    int state;
    size_t piece;  /* which piece it holds */
    ri_sink *text; /* a memory sink */
    ri_rc rc;
    ri_error err;
} slot;

typedef struct shared {
    const ri_pieces *p;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t next_block; /* the first block no piece has claimed */
    size_t claimed;    /* pieces handed out */
    size_t written;    /* pieces passed to the sink, in order */
    int stop;          /* a piece failed: claim no more */
    slot slots[SLOTS];
} shared;

/* Under mu: claim the next piece into its slot, unless that slot still holds
   one not yet written (wait = 1: wait for it; 0: give up). Returns the slot
   or NULL, with the blocks in [*from, *to). */
static slot *claim(shared *s, int wait, size_t *from, size_t *to)
{
    const ri_pieces *p = s->p;
    slot *sl;
    size_t cost = 0;

    for (;;) {
        if (s->stop || s->next_block == p->n_blocks)
            return NULL;
        sl = &s->slots[s->claimed % SLOTS];
        if (sl->state == FREE)
            break;
        if (!wait)
            return NULL;
        pthread_cond_wait(&s->cv, &s->mu);
    }
    *from = s->next_block;
    do
        cost += p->cost(p->cost_ctx, s->next_block++);
    while (s->next_block < p->n_blocks && cost < p->target);
    *to = s->next_block;
    sl->state = BUSY;
    sl->piece = s->claimed++;
    return sl;
}

/* Outside mu: format a claimed piece, then mark it ready. */
static void make(shared *s, slot *sl, size_t from, size_t to, void *state)
{
    ri_error_clear(&sl->err);
    sl->rc = s->p->write(state, sl->text, from, to, &sl->err);
    pthread_mutex_lock(&s->mu);
    sl->state = READY;
    if (sl->rc)
        s->stop = 1;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

static void *helper(void *arg)
{
    shared *s = arg;
    size_t from, to;
    slot *sl;

    pthread_mutex_lock(&s->mu);
    while ((sl = claim(s, 1, &from, &to))) {
        pthread_mutex_unlock(&s->mu);
        make(s, sl, from, to, s->p->state[1]);
        pthread_mutex_lock(&s->mu);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/*
 * The calling thread's loop: pass every ready piece on in order, else make
 * one, else wait for the helper. It never waits for a free slot, because
 * only it frees them. Returns the status of the first failing piece.
 */
static ri_rc lead(shared *s, ri_sink *sink, ri_error *err)
{
    size_t from, to;
    slot *sl;

    pthread_mutex_lock(&s->mu);
    for (;;) {
        slot *next = &s->slots[s->written % SLOTS];
        if (next->state == READY && next->piece == s->written) {
            if (next->rc) {
                ri_rc rc = next->rc;
                *err = next->err;
                pthread_mutex_unlock(&s->mu);
                return rc;
            }
            pthread_mutex_unlock(&s->mu);
            ri_sink_drain(next->text, sink);
            pthread_mutex_lock(&s->mu);
            next->state = FREE;
            s->written++;
            pthread_cond_broadcast(&s->cv);
            continue;
        }
        if (s->written == s->claimed && (s->stop || s->next_block == s->p->n_blocks))
            break;
        if ((sl = claim(s, 0, &from, &to))) {
            pthread_mutex_unlock(&s->mu);
            make(s, sl, from, to, s->p->state[0]);
            pthread_mutex_lock(&s->mu);
            continue;
        }
        pthread_cond_wait(&s->cv, &s->mu);
    }
    pthread_mutex_unlock(&s->mu);
    return RI_RC_OK;
}

ri_rc ri_pieces_write(const ri_pieces *p, ri_sink *sink, ri_error *err)
{
    shared s;
    pthread_t thread;
    int threaded = 0;
    size_t made = 0;
    ri_rc rc = RI_RC_OK;

    memset(&s, 0, sizeof s);
    s.p = p;
    for (; made < SLOTS; made++)
        if ((rc = ri_sink_memory(&s.slots[made].text, err)))
            break;
    if (!rc && pthread_mutex_init(&s.mu, NULL) == 0) {
        if (pthread_cond_init(&s.cv, NULL) == 0) {
            threaded = pthread_create(&thread, NULL, helper, &s) == 0;
            rc = lead(&s, sink, err);
            if (threaded) {
                pthread_mutex_lock(&s.mu);
                s.stop = 1;
                pthread_cond_broadcast(&s.cv);
                pthread_mutex_unlock(&s.mu);
                pthread_join(thread, NULL);
            }
            pthread_cond_destroy(&s.cv);
        } else {
            rc = ri_fail(err, RI_RC_DATA, "cannot start the output's second thread");
        }
        pthread_mutex_destroy(&s.mu);
    } else if (!rc) {
        rc = ri_fail(err, RI_RC_DATA, "cannot start the output's second thread");
    }
    for (size_t i = 0; i < made; i++)
        ri_sink_close(s.slots[i].text, NULL, NULL);
    return rc;
}
