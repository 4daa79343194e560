/*
 * sha256.h — SHA-256 (FIPS 180-4) of memory and of files.
 *
 * Owns the digest run manifests record for every input, plugin and output,
 * so that an economist can prove which bytes produced a table. Written here
 * rather than taken from a crypto library because regind needs only this one
 * function and no new dependency; tests/test_sha256.c checks it against the
 * FIPS 180-4 example vectors.
 */
#ifndef RI_SHA256_H
#define RI_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define RI_SHA256_SIZE 32
/* Lowercase hex digits and the terminator. */
#define RI_SHA256_HEX (2 * RI_SHA256_SIZE + 1)

typedef struct ri_sha256 {
    uint32_t h[8];
    uint64_t bytes;          /* message length so far */
    unsigned char block[64]; /* pending input, not yet a whole block */
    size_t used;
} ri_sha256;

void ri_sha256_init(ri_sha256 *s);
void ri_sha256_update(ri_sha256 *s, const void *data, size_t n);
/* Finish and write the digest; s must be initialised again before reuse. */
void ri_sha256_final(ri_sha256 *s, unsigned char digest[RI_SHA256_SIZE]);
void ri_sha256_hex(const unsigned char digest[RI_SHA256_SIZE], char hex[RI_SHA256_HEX]);

/* Digest of n bytes at data, as hex. */
void ri_sha256_text(const void *data, size_t n, char hex[RI_SHA256_HEX]);

/* Digest of the file at path, as hex; *bytes (may be NULL) gets the length
   read. RI_RC_DATA with "PATH: cannot read: <reason>" when it cannot be read. */
ri_rc ri_sha256_file(const char *path, char hex[RI_SHA256_HEX], unsigned long long *bytes,
                     ri_error *err);

#endif
