/* siphash.c — SipHash-1-3 and -2-4 and the run's key (see siphash.h). */
#include "siphash.h"

#include <pthread.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND                                                                                   \
    do {                                                                                           \
        v0 += v1;                                                                                  \
        v1 = ROTL(v1, 13);                                                                         \
        v1 ^= v0;                                                                                  \
        v0 = ROTL(v0, 32);                                                                         \
        v2 += v3;                                                                                  \
        v3 = ROTL(v3, 16);                                                                         \
        v3 ^= v2;                                                                                  \
        v0 += v3;                                                                                  \
        v3 = ROTL(v3, 21);                                                                         \
        v3 ^= v0;                                                                                  \
        v2 += v1;                                                                                  \
        v1 = ROTL(v1, 17);                                                                         \
        v1 ^= v2;                                                                                  \
        v2 = ROTL(v2, 32);                                                                         \
    } while (0)

/* Little-endian whatever the machine, as the specification reads words. */
static inline uint64_t load64(const unsigned char *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
           (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

/* c compression and d finalisation rounds; inlined with constants into each variant. */
static inline uint64_t siphash(const ri_sipkey *key, const unsigned char *in, size_t len, int c, int d)
{
    uint64_t v0 = 0x736f6d6570736575ULL ^ key->k0, v1 = 0x646f72616e646f6dULL ^ key->k1;
    uint64_t v2 = 0x6c7967656e657261ULL ^ key->k0, v3 = 0x7465646279746573ULL ^ key->k1;
    uint64_t b = (uint64_t)len << 56;
    const unsigned char *end = in + (len & ~(size_t)7);

    for (; in != end; in += 8) {
        uint64_t m = load64(in);
        v3 ^= m;
        for (int i = 0; i < c; i++)
            SIPROUND;
        v0 ^= m;
    }
    switch (len & 7) {
    case 7: b |= (uint64_t)in[6] << 48; /* fall through */
    case 6: b |= (uint64_t)in[5] << 40; /* fall through */
    case 5: b |= (uint64_t)in[4] << 32; /* fall through */
    case 4: b |= (uint64_t)in[3] << 24; /* fall through */
    case 3: b |= (uint64_t)in[2] << 16; /* fall through */
    case 2: b |= (uint64_t)in[1] << 8;  /* fall through */
    case 1: b |= (uint64_t)in[0];       /* fall through */
    default: break;
    }
    v3 ^= b;
    for (int i = 0; i < c; i++)
        SIPROUND;
    v0 ^= b;
    v2 ^= 0xff;
    for (int i = 0; i < d; i++)
        SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t ri_siphash13(const ri_sipkey *key, const void *data, size_t len)
{
    return siphash(key, data, len, 1, 3);
}

uint64_t ri_siphash24(const ri_sipkey *key, const void *data, size_t len)
{
    return siphash(key, data, len, 2, 4);
}

static ri_sipkey run_key;
static pthread_once_t run_key_once = PTHREAD_ONCE_INIT;

static void draw_key(void)
{
    uint64_t k[2];
    size_t got = 0;

    while (got < sizeof k) {
        ssize_t n = getrandom((unsigned char *)k + got, sizeof k - got, GRND_NONBLOCK);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    /*
     * Without the kernel's randomness (before its pool is ready at boot)
     * the clock and the process stand in: weaker against someone who can
     * watch the machine, never a reason to stop a run.
     */
    if (got < sizeof k) {
        struct timespec ts;
        ri_sipkey mix = {0x0123456789abcdefULL, 0xfedcba9876543210ULL};
        uint64_t seed[3];
        clock_gettime(CLOCK_REALTIME, &ts);
        seed[0] = (uint64_t)ts.tv_sec ^ (uint64_t)ts.tv_nsec << 20;
        seed[1] = (uint64_t)getpid();
        seed[2] = (uint64_t)(uintptr_t)&ts;
        k[0] = ri_siphash24(&mix, seed, sizeof seed);
        mix.k0 = k[0];
        k[1] = ri_siphash24(&mix, seed, sizeof seed);
    }
    run_key.k0 = k[0];
    run_key.k1 = k[1];
}

const ri_sipkey *ri_sipkey_run(void)
{
    pthread_once(&run_key_once, draw_key);
    return &run_key;
}
