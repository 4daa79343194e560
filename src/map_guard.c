/* map_guard.c — zero pages for a truncated mapped file (see map_guard.h). */
/* MAP_ANONYMOUS and SA_SIGINFO's si_addr. */
#define _DEFAULT_SOURCE

#include "map_guard.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Inputs open at once: the datasets and lookups of a job, each at most twice (two halves share one). */
#define SLOTS 64

typedef struct slot {
    atomic_int taken;      /* claimed by ri_map_guard_add, before base is set */
    atomic_uintptr_t base; /* 0: not watched; set last, so the handler never sees a stale len */
    atomic_size_t len;
    atomic_int shrank;
} slot;

static slot slots[SLOTS];
static struct sigaction previous;
static uintptr_t page_size;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void on_sigbus(int sig, siginfo_t *si, void *context)
{
    uintptr_t at = (uintptr_t)si->si_addr;
    (void)sig;
    (void)context;
    for (size_t i = 0; i < SLOTS; i++) {
        uintptr_t base = atomic_load(&slots[i].base);
        if (base && at >= base && at - base < atomic_load(&slots[i].len)) {
            /* mmap is a plain system call on Linux: safe here. The read that faulted is retried. */
            void *page = (void *)(at & ~(page_size - 1));
            if (mmap(page, (size_t)page_size, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0) !=
                MAP_FAILED) {
                atomic_store(&slots[i].shrank, 1);
                return;
            }
        }
    }
    /* Not ours: the fault repeats under the handler that was there before. */
    sigaction(SIGBUS, &previous, NULL);
}

/*
 * Put the handler in place unless it is: checked at every mapping, since
 * whoever set another handler since (a test harness) replaced it. 0 on
 * success.
 */
static int install(void)
{
    struct sigaction sa, now;
    int rc = 0;

    pthread_mutex_lock(&lock);
    if (!page_size) {
        long ps = sysconf(_SC_PAGESIZE);
        page_size = ps > 0 ? (uintptr_t)ps : 4096;
    }
    if (sigaction(SIGBUS, NULL, &now) != 0)
        rc = -1;
    else if (!(now.sa_flags & SA_SIGINFO) || now.sa_sigaction != on_sigbus) {
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_sigbus;
        sa.sa_flags = SA_SIGINFO | SA_RESTART;
        sigemptyset(&sa.sa_mask);
        rc = sigaction(SIGBUS, &sa, &previous);
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

int ri_map_guard_add(const void *base, size_t len)
{
    if (!base || install() != 0)
        return -1;
    for (size_t i = 0; i < SLOTS; i++) {
        int free_slot = 0;
        if (!atomic_compare_exchange_strong(&slots[i].taken, &free_slot, 1))
            continue;
        atomic_store(&slots[i].len, len);
        atomic_store(&slots[i].shrank, 0);
        atomic_store(&slots[i].base, (uintptr_t)base);
        return 0;
    }
    return -1;
}

static slot *find(const void *base)
{
    for (size_t i = 0; base && i < SLOTS; i++)
        if (atomic_load(&slots[i].base) == (uintptr_t)base)
            return &slots[i];
    return NULL;
}

void ri_map_guard_remove(const void *base)
{
    slot *s = find(base);
    if (s) {
        atomic_store(&s->base, 0);
        atomic_store(&s->taken, 0);
    }
}

int ri_map_guard_shrank(const void *base)
{
    slot *s = find(base);
    return s && atomic_load(&s->shrank);
}
