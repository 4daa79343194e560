/*
 * display.h — numbers and names as people read them, in terminal tables,
 * charts and the HTML report.
 *
 * Owns the number format of a displayed column, chosen once from its unit
 * and its values so that every cell of the column has the same precision
 * (money and counts as whole numbers with thousands separators, indices
 * and percentages to one decimal, small ratios to three significant
 * digits), text made safe to show (control characters escaped, so a name
 * in the data can never drive the terminal), the display width of UTF-8
 * text, shortening with "…", word-wrapping prose to a width, and text
 * escaped for XML and HTML. The
 * machine formats (CSV, JSON) keep every digit: see numfmt.h.
 */
#ifndef RI_DISPLAY_H
#define RI_DISPLAY_H

#include <float.h>
#include <stddef.h>
#include <stdio.h>

/* Room for any number ri_display_number writes: every digit of the largest double
   (DBL_MAX_10_EXP + 1), a separator every three, a sign, up to 3 decimals and the NUL. */
#define RI_DISPLAY_NUM_MAX (DBL_MAX_10_EXP + 1 + (DBL_MAX_10_EXP + 1) / 3 + 8)

/* Decimals for a column in unit whose largest absolute value is max_abs
   (NaN when the column has no value). */
int ri_display_decimals(const char *unit, double max_abs);

/* The decimals for the finite values v[0], v[stride], ... v[(n-1)*stride]. */
int ri_display_decimals_of(const char *unit, const double *v, size_t n, size_t stride);

/* v with decimals and thousands separators; "n/a" for NaN; never "-0". */
void ri_display_number(double v, int decimals, char buf[RI_DISPLAY_NUM_MAX]);

/* Columns text takes on a terminal: one per UTF-8 character. */
size_t ri_display_width(const char *text);

/* A copy of text safe to print (caller frees; NULL when out of memory):
   control characters (C0, DEL and C1, whatever their encoding) become \xHH
   escapes and bytes that are not UTF-8 become \xHH too. */
char *ri_display_safe(const char *text);

/* Print text for XML and HTML: escaped as ri_display_safe does, then &, <, > and " as entities. */
void ri_display_xml(FILE *f, const char *text);

/* Print text padded with spaces, or shortened with "…", to exactly width
   columns; right aligned when right is set. text must be safe already. */
void ri_display_cell(FILE *f, const char *text, size_t width, int right);

/* Print prose word-wrapped to width columns, each line starting with
   indent spaces and ending with a newline. */
void ri_display_wrap(FILE *f, const char *text, size_t indent, size_t width);

/* The terminal width tables are fitted to: $COLUMNS when it is a number
   from 40 to 1000, else 100. */
size_t ri_display_columns(void);

#endif
