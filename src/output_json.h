/*
 * output_json.h — results as a compact JSON document for scripts.
 *
 * Owns the JSON form of results (the object is wrapped here; in the file
 * each object is one line, so that two runs diff line by line):
 *   {"results":[
 *   {"area_code":"E37000001","area_name":"Black Country","area_type":"LEP",
 *    "period":"2019","industry":null,"indicator":"gap","output":"index",
 *    "value":77.1,"unit":"index (benchmark = 100)"},
 *   ...
 *   ]}
 * Objects come in the same order as the CSV writer's rows (ri_results_each()).
 * industry is null for columns without industries; a missing (NaN) value is
 * null; numbers are written by ri_format_number(). Strings are escaped as
 * JSON requires ('"', '\' and control characters as \u00xx); UTF-8 passes
 * through unchanged. Unlike the CSV writer, nothing is neutralised: JSON is
 * not run as formulas.
 *
 * The caller owns the sink and learns of write errors when it closes it.
 */
#ifndef RI_OUTPUT_JSON_H
#define RI_OUTPUT_JSON_H

#include <stdio.h>

#include "error.h"
#include "results.h"
#include "sink.h"

/* Write the cells sel selects (NULL = all) to sink. RI_RC_USAGE or
   RI_RC_DATA from ri_results_check() before anything is written. */
ri_rc ri_write_json(ri_sink *sink, const ri_results *r, const ri_selection *sel, ri_error *err);

/* s as a JSON string literal (quotes, backslashes and control characters escaped), or null when s is NULL. */
void ri_json_put_string(FILE *f, const char *s);

#endif
