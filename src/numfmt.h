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

/* Room for any double with its terminator, and for the scratch bytes
   ri_format_number_end() may write past the text. */
#define RI_NUMBER_TEXT_MAX 48

/* Write finite v into buf. */
void ri_format_number(double v, char buf[RI_NUMBER_TEXT_MAX]);

/* The same text at out, unterminated; returns the end. out must have
   RI_NUMBER_TEXT_MAX bytes of room: bytes between the end and that may be
   overwritten. For writers that assemble rows in place. */
char *ri_format_number_end(double v, char *out);

#endif
