/* sink.c — buffered, hashed output on a second thread (see sink.h). */
#if defined(HAVE_SYNC_FILE_RANGE) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE
#endif
#include "sink.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * A file sink cycles through RING chunks: the writer fills one, writes it to
 * the file and hands it to the worker, which hashes the chunks in order.
 * Four chunks let the writer run ahead of the hashing without holding much
 * memory.
 */
#define CHUNK ((size_t)1 << 20)
#define RING 4
#define STREAM_BUF ((size_t)RI_SINK_RESERVE_MAX)

/*
 * The most one write(2) passes. Linux gives a buffered write page-cache
 * folios as large as the write, and on virtual machines whose free memory
 * goes back to the host the first touch of large folios is slow: writing a
 * 400 MB output took 1.1 s in 1 MiB writes and 0.3 s in 64 KiB ones on a
 * 2-CPU virtual machine.
 * Elsewhere the extra system calls cost nothing measurable.
 */
#define WRITE_MAX ((size_t)64 << 10)

struct ri_sink {
    char *buf; /* the chunk being filled */
    size_t used, cap;
    int failed; /* the writer's view: a failure has been seen */
    int error;  /* errno of the first failure */

    FILE *stream; /* stream sink */
    int memory;   /* memory sink: buf grows */

    int fd; /* file sink */
    ri_sha256 sha;
    unsigned long long bytes; /* hashed, and so written before: the worker's count */
    int threaded;
    pthread_t worker;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *chunks[RING];
    size_t caps[RING]; /* chunks trade places with memory sinks' buffers, so sizes vary */
    size_t lens[RING];
    size_t filling, next, queued; /* the writer's chunk, the worker's next, how many wait */
    int done;
};

static void set_error(ri_sink *s, int e)
{
    if (!s->failed) {
        s->failed = 1;
        s->error = e ? e : EIO;
    }
}

/* Write one chunk to the file; 0 or an errno. */
static int put_file(ri_sink *s, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(s->fd, p, n < WRITE_MAX ? n : WRITE_MAX);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        if (w == 0)
            return EIO;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Hash a chunk already written to the file, at offset s->bytes. */
static void hash(ri_sink *s, const char *p, size_t n)
{
#ifdef HAVE_SYNC_FILE_RANGE
    /* Start the disk on this chunk while the next ones are made, so the
       fsync before the rename waits for a chunk or two, not a gigabyte.
       Here, not in the writer, because submitting the I/O takes time the
       writer needs. Only a hint: a file system that refuses it loses nothing. */
    if (s->fd >= 0)
        (void)sync_file_range(s->fd, (off_t)s->bytes, (off_t)n, SYNC_FILE_RANGE_WRITE);
#endif
    ri_sha256_update(&s->sha, p, n);
    s->bytes += n;
}

/* The second thread only hashes: the writer's thread makes the write(2)
   calls, whose copying would otherwise make hashing the slower half. */
static void *work(void *arg)
{
    ri_sink *s = arg;

    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (!s->queued && !s->done)
            pthread_cond_wait(&s->cv, &s->mu);
        if (!s->queued)
            break;
        size_t i = s->next;
        pthread_mutex_unlock(&s->mu);
        hash(s, s->chunks[i], s->lens[i]);
        pthread_mutex_lock(&s->mu);
        s->next = (i + 1) % RING;
        s->queued--;
        pthread_cond_broadcast(&s->cv);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* Pass the filled buffer on and start an empty one (a memory sink grows instead). */
static void hand_off(ri_sink *s)
{
    if (s->memory) {
        char *grown = s->failed ? NULL : realloc(s->buf, 2 * s->cap);
        if (!grown) {
            /* Keep what fits; the failure is reported when the sink is drained or closed. */
            set_error(s, ENOMEM);
            s->used = 0;
            return;
        }
        s->buf = grown;
        s->cap *= 2;
        return;
    }
    if (s->stream) {
        errno = 0;
        if (s->used && !s->failed && fwrite(s->buf, 1, s->used, s->stream) != s->used)
            set_error(s, errno);
        s->used = 0;
        return;
    }
    if (s->fd >= 0 && !s->failed) {
        int e = put_file(s, s->buf, s->used);
        if (e)
            set_error(s, e);
    }
    if (!s->threaded) {
        hash(s, s->buf, s->used);
        s->used = 0;
        return;
    }
    pthread_mutex_lock(&s->mu);
    s->lens[s->filling] = s->used;
    s->queued++;
    pthread_cond_broadcast(&s->cv);
    while (s->queued == RING)
        pthread_cond_wait(&s->cv, &s->mu);
    pthread_mutex_unlock(&s->mu);
    s->filling = (s->filling + 1) % RING;
    s->buf = s->chunks[s->filling];
    s->cap = s->caps[s->filling];
    s->used = 0;
}

ri_rc ri_sink_stream(FILE *f, ri_sink **out, ri_error *err)
{
    ri_sink *s = calloc(1, sizeof *s);

    if (!s || !(s->buf = malloc(STREAM_BUF))) {
        free(s);
        return ri_oom(err);
    }
    s->cap = STREAM_BUF;
    s->stream = f;
    s->fd = -1;
    *out = s;
    return RI_RC_OK;
}

ri_rc ri_sink_memory(ri_sink **out, ri_error *err)
{
    ri_rc rc = ri_sink_stream(NULL, out, err);

    if (!rc)
        (*out)->memory = 1;
    return rc;
}

void ri_sink_drain(ri_sink *memory, ri_sink *dst)
{
    if (memory->failed) {
        set_error(dst, memory->error);
    } else if (dst->threaded && memory->used >= WRITE_MAX) {
        /* A piece worth a write of its own is not copied: its buffer becomes
           the file sink's next chunk (written here, hashed on the sink's
           thread) and the memory sink takes the chunk's empty buffer in
           exchange. */
        char *buf = memory->buf;
        size_t cap = memory->cap;
        if (dst->used)
            hand_off(dst);
        memory->buf = dst->buf;
        memory->cap = dst->cap;
        dst->chunks[dst->filling] = dst->buf = buf;
        dst->caps[dst->filling] = dst->cap = cap;
        dst->used = memory->used;
        memory->used = 0;
        hand_off(dst);
        return;
    } else {
        ri_sink_write(dst, memory->buf, memory->used);
    }
    memory->used = 0;
    memory->failed = 0;
}

ri_rc ri_sink_file(int fd, ri_sink **out, ri_error *err)
{
    ri_sink *s = calloc(1, sizeof *s);

    if (!s)
        return ri_oom(err);
    for (size_t i = 0; i < RING; i++) {
        s->caps[i] = CHUNK;
        if (!(s->chunks[i] = malloc(CHUNK))) {
            for (size_t j = 0; j < i; j++)
                free(s->chunks[j]);
            free(s);
            return ri_oom(err);
        }
    }
    s->fd = fd;
    s->buf = s->chunks[0];
    s->cap = CHUNK;
    ri_sha256_init(&s->sha);
    if (pthread_mutex_init(&s->mu, NULL) == 0) {
        if (pthread_cond_init(&s->cv, NULL) == 0) {
            /* Without a thread the same work runs inline: slower, never wrong. */
            s->threaded = pthread_create(&s->worker, NULL, work, s) == 0;
            if (!s->threaded)
                pthread_cond_destroy(&s->cv);
        }
        if (!s->threaded)
            pthread_mutex_destroy(&s->mu);
    }
    *out = s;
    return RI_RC_OK;
}

char *ri_sink_reserve(ri_sink *s, size_t n)
{
    if (s->cap - s->used < n)
        hand_off(s);
    return s->buf + s->used;
}

void ri_sink_commit(ri_sink *s, char *end)
{
    s->used = (size_t)(end - s->buf);
}

void ri_sink_write(ri_sink *s, const void *data, size_t n)
{
    const char *p = data;

    while (n) {
        size_t room = s->cap - s->used;
        if (!room) {
            hand_off(s);
            room = s->cap - s->used;
        }
        size_t take = n < room ? n : room;
        memcpy(s->buf + s->used, p, take);
        s->used += take;
        p += take;
        n -= take;
    }
}

void ri_sink_puts(ri_sink *s, const char *text)
{
    ri_sink_write(s, text, strlen(text));
}

int ri_sink_failed(const ri_sink *s)
{
    return s->failed;
}

ri_rc ri_sink_close(ri_sink *s, ri_sink_summary *sum, ri_error *err)
{
    ri_rc rc = RI_RC_OK;

    if (s->memory) {
        free(s->buf);
    } else if (s->stream) {
        hand_off(s);
        if (!s->failed && fflush(s->stream) != 0)
            set_error(s, errno);
        if (!s->failed && ferror(s->stream))
            set_error(s, EIO);
        free(s->buf);
    } else {
        hand_off(s);
        if (s->threaded) {
            pthread_mutex_lock(&s->mu);
            s->done = 1;
            pthread_cond_broadcast(&s->cv);
            pthread_mutex_unlock(&s->mu);
            pthread_join(s->worker, NULL);
            pthread_cond_destroy(&s->cv);
            pthread_mutex_destroy(&s->mu);
        }
        if (sum) {
            unsigned char d[RI_SHA256_SIZE];
            ri_sha256_final(&s->sha, d);
            ri_sha256_hex(d, sum->sha256);
            sum->bytes = s->bytes;
        }
        for (size_t i = 0; i < RING; i++)
            free(s->chunks[i]);
    }
    if (s->failed)
        rc = ri_fail(err, RI_RC_DATA, "write failed: %s", strerror(s->error));
    free(s);
    return rc;
}
