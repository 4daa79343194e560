/* strtab.c — string interning with an open-addressing hash (see strtab.h). */
#include "strtab.h"

#include "siphash.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * A slot keeps the high half of its string's hash beside the index, so a
 * probe passes over other strings without reading them: with a keyed hash
 * neighbouring codes land far apart, and each string read is a cache miss.
 */
typedef struct slot {
    int32_t index; /* -1 = empty */
    uint32_t tag;
} slot;

struct ri_strtab {
    char **strs;
    size_t *lens;
    size_t n, cap;
    slot *slots; /* power-of-two sized, at most half full */
    size_t n_slots;
    const ri_sipkey *key;
};

/* Keyed: which codes collide differs from run to run and cannot be chosen in a file. */
static uint64_t hash(const ri_strtab *t, const char *s, size_t len)
{
    return ri_siphash13(t->key, s, len);
}

static int alloc_slots(ri_strtab *t, size_t n_slots)
{
    slot *slots = malloc(n_slots * sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < n_slots; i++)
        slots[i].index = -1;
    for (size_t k = 0; k < t->n; k++) {
        uint64_t h = hash(t, t->strs[k], t->lens[k]);
        size_t i = h & (n_slots - 1);
        while (slots[i].index >= 0)
            i = (i + 1) & (n_slots - 1);
        slots[i].index = (int32_t)k;
        slots[i].tag = (uint32_t)(h >> 32);
    }
    free(t->slots);
    t->slots = slots;
    t->n_slots = n_slots;
    return 0;
}

ri_strtab *ri_strtab_new(size_t expected)
{
    ri_strtab *t = calloc(1, sizeof *t);
    size_t n_slots = 16;
    if (!t)
        return NULL;
    t->key = ri_sipkey_run();
    while (n_slots < expected * 2)
        n_slots *= 2;
    if (alloc_slots(t, n_slots) != 0) {
        free(t);
        return NULL;
    }
    return t;
}

static size_t probe(const ri_strtab *t, const char *s, size_t len, uint64_t h)
{
    size_t i = h & (t->n_slots - 1);
    uint32_t tag = (uint32_t)(h >> 32);
    while (t->slots[i].index >= 0) {
        size_t k = (size_t)t->slots[i].index;
        if (t->slots[i].tag == tag && t->lens[k] == len && ri_same_bytes(t->strs[k], s, len))
            return i;
        i = (i + 1) & (t->n_slots - 1);
    }
    return i;
}

long ri_strtab_find(const ri_strtab *t, const char *s, size_t len)
{
    return t->slots[probe(t, s, len, hash(t, s, len))].index;
}

long ri_strtab_intern(ri_strtab *t, const char *s, size_t len)
{
    uint64_t h = hash(t, s, len);
    size_t i = probe(t, s, len, h);
    char *copy;

    if (t->slots[i].index >= 0)
        return t->slots[i].index;
    if (t->n >= INT32_MAX)
        return -1;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        char **strs = realloc(t->strs, cap * sizeof *strs);
        if (!strs)
            return -1;
        t->strs = strs;
        size_t *lens = realloc(t->lens, cap * sizeof *lens);
        if (!lens)
            return -1;
        t->lens = lens;
        t->cap = cap;
    }
    copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, s, len);
    copy[len] = '\0';
    t->strs[t->n] = copy;
    t->lens[t->n] = len;
    t->slots[i].index = (int32_t)t->n;
    t->slots[i].tag = (uint32_t)(h >> 32);
    t->n++;
    if (t->n * 2 > t->n_slots && alloc_slots(t, t->n_slots * 2) != 0)
        return -1;
    return (long)(t->n - 1);
}

const char *ri_strtab_get(const ri_strtab *t, size_t index)
{
    return index < t->n ? t->strs[index] : NULL;
}

size_t ri_strtab_count(const ri_strtab *t)
{
    return t->n;
}

void ri_strtab_free(ri_strtab *t)
{
    if (!t)
        return;
    for (size_t k = 0; k < t->n; k++)
        free(t->strs[k]);
    free(t->strs);
    free(t->lens);
    free(t->slots);
    free(t);
}
