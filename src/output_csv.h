/*
 * output_csv.h — results as a CSV file: tidy, one row per value, or wide,
 * one column per output.
 *
 * Owns the CSV form of results: the header
 *   area_code,area_name,period,industry,indicator,output,value,unit
 * and one row per (area, period, industry) cell of every selected result
 * column, in the order of ri_results_each() (column, area, period, industry).
 * industry is empty for columns without industries; a missing (NaN) value is
 * an empty cell; numbers are written by ri_format_number(). Lines end in LF.
 *
 * Text fields are quoted as RFC 4180 says when they contain a comma, a
 * double quote, CR or LF (quotes inside are doubled). Because these files
 * are opened in Excel, which runs a cell that starts with '=', '+', '-' or
 * '@' as a formula (also after a leading TAB or CR, which some importers
 * strip), a text field starting with any of those six characters gets a
 * leading apostrophe (Excel shows the text, not a formula result), then is
 * quoted if needed: =1+2 is written as '=1+2, and =SUM(A1,A2) as
 * "'=SUM(A1,A2)". The value column is never altered, so negative numbers
 * stay numbers.
 *
 * The wide shape has one row per area and period where any selected output
 * applies, in the same area and period order, headed
 *   area_code,area_name,period,INDICATOR.OUTPUT (UNIT),...
 * with one column per selected output not by industry. Outputs by industry
 * (or another breakdown) follow in a second block, after an empty line, with
 * an industry column and one row per area, period and industry. Cells where
 * an output does not apply, and missing values, are empty. Labels and
 * headers are escaped as in the tidy shape.
 *
 * The caller owns the sink and learns of write errors when it closes it.
 */
#ifndef RI_OUTPUT_CSV_H
#define RI_OUTPUT_CSV_H

#include "error.h"
#include "results.h"
#include "sink.h"

/* Write the cells sel selects (NULL = all) to sink. RI_RC_USAGE or
   RI_RC_DATA from ri_results_check() before anything is written. */
ri_rc ri_write_csv(ri_sink *sink, const ri_results *r, const ri_selection *sel, ri_error *err);

/* The same cells in the wide shape. */
ri_rc ri_write_csv_wide(ri_sink *sink, const ri_results *r, const ri_selection *sel, ri_error *err);

#endif
