/*
 * fuzz.h — the fuzz harnesses, shared by the libFuzzer builds (run.sh) and
 * the replay driver that `make check` runs over the saved corpora.
 *
 * Each harness takes one input of any bytes, drives one reader with it and
 * checks what the reader promises beyond "no crash" (see each file's
 * header). A broken promise goes to ri_fuzz_fail(), which names the input
 * being replayed, prints the reason and aborts, so libFuzzer saves the
 * input and the replay driver's test fails.
 */
#ifndef RI_FUZZ_H
#define RI_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int ri_fuzz_csv(const uint8_t *data, size_t size);
int ri_fuzz_dataset(const uint8_t *data, size_t size);
int ri_fuzz_config(const uint8_t *data, size_t size);
int ri_fuzz_number(const uint8_t *data, size_t size);
int ri_fuzz_xlsx(const uint8_t *data, size_t size);

/* The input being replayed, for messages; NULL under libFuzzer, which names crashes itself. */
extern const char *ri_fuzz_current;

#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 1, 2)))
#endif
void ri_fuzz_fail(const char *fmt, ...);

/*
 * Library code never prints. When stdout is a file (run.sh sends it to one)
 * its position before and after a harness call must be the same; with a
 * pipe or a terminal the check is skipped.
 */
long ri_fuzz_stdout_mark(void);
void ri_fuzz_stdout_check(long mark);

/* Defines libFuzzer's entry point for one harness when built by run.sh. */
#ifdef RI_LIBFUZZER
#define RI_FUZZ_ENTRY(fn)                                              \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);      \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)       \
    {                                                                  \
        return fn(data, size);                                         \
    }
#else
#define RI_FUZZ_ENTRY(fn)
#endif

#endif
