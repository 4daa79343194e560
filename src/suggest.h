/*
 * suggest.h — "did you mean ...?": the closest known word to a misspelt one.
 *
 * Owns the edit distance used by every message that rejects an unknown name
 * (config keys, plugin names, parameters, measures), and the case-insensitive
 * substring match used wherever users name areas by part of their name.
 */
#ifndef RI_SUGGEST_H
#define RI_SUGGEST_H

#include <stddef.h>

/*
 * The candidate closest to word by Levenshtein distance, or NULL when none
 * is close enough to be a plausible typo (distance > max(2, len/3)).
 */
const char *ri_suggest(const char *word, const char *const *candidates, size_t n);

/* 1 when needle occurs in hay, ignoring ASCII case (an empty needle matches). */
int ri_contains_ci(const char *hay, const char *needle);

#endif
