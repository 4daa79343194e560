/*
 * numfmt.h — the text of a number in regind's outputs.
 *
 * Owns how every value is written to CSV and JSON: the shortest digits
 * (nearly always) that read back as exactly the same double, laid out like
 * printf's %g, so 18585.6 stays "18585.6" while 0.1 + 0.2 keeps the digits
 * that tell it apart ("0.30000000000000004"). Independent of the locale.
 */
#ifndef RI_NUMFMT_H
#define RI_NUMFMT_H

/* Enough for any double, with its terminator. */
#define RI_NUMBER_TEXT_MAX 32

/* Write finite v into buf. */
void ri_format_number(double v, char buf[RI_NUMBER_TEXT_MAX]);

/* The same text at out, unterminated (at most RI_NUMBER_TEXT_MAX - 1
   bytes); returns the end. For writers that assemble rows in place. */
char *ri_format_number_end(double v, char *out);

#endif
