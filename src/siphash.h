/*
 * siphash.h — SipHash, the keyed hash of the key tables.
 *
 * Owns the per-run key: 128 bits from getrandom(2), drawn once per
 * process, so nobody who writes a data file can know which keys collide
 * (an unkeyed hash lets 60,000 crafted area codes turn every lookup into
 * a scan of the table). SipHash-1-3 is the tables' hash: short keys cost
 * a few nanoseconds, and it is the variant Python and Rust use for their
 * own dictionaries; SipHash-2-4, the paper's, is here to be checked
 * against the published test vectors.
 */
#ifndef RI_SIPHASH_H
#define RI_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

typedef struct ri_sipkey {
    uint64_t k0, k1;
} ri_sipkey;

/* This run's key: random, the same for the whole process; thread-safe. */
const ri_sipkey *ri_sipkey_run(void);

uint64_t ri_siphash13(const ri_sipkey *key, const void *data, size_t len);
uint64_t ri_siphash24(const ri_sipkey *key, const void *data, size_t len);

#endif
