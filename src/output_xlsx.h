/*
 * output_xlsx.h — results as an Excel workbook, through libxlsxwriter.
 *
 * Owns the workbook form of results: one sheet per indicator in the wide
 * shape of output_csv.h (area_code, area_name, period[, industry], then one
 * column per output headed "OUTPUT (UNIT)"), with the header row frozen and
 * an autofilter over the table. An indicator with outputs by industry and
 * outputs without has two sheets, the second named "ID by industry". Sheet
 * names are cut to Excel's 31 characters (and numbered when two would
 * clash). Values are stored as the doubles computed; only their display
 * follows the unit: GBP and counts with thousands separators and no
 * decimals, indices and percentages to 1 decimal place, ratios to 3.
 * Missing values and cells where an output does not apply are blank.
 *
 * A "Notes" sheet lists each output's unit and the plugin's description of
 * it, and a "Sources" sheet what the manifest records: the job file, every
 * input with its path, sheet, size and SHA-256 and what was read from it
 * (rows, areas, periods), every plugin with its version, ABI and digest,
 * and every warning the plugins logged, in full.
 *
 * The workbook's creation date is the newest modification time of the job
 * file and inputs, so a run over the same files writes the same bytes.
 *
 * The workbook is built in a temporary file (libxlsxwriter writes files
 * only) and its bytes then go to the sink, so a run writes and replaces it
 * like every other output.
 */
#ifndef RI_OUTPUT_XLSX_H
#define RI_OUTPUT_XLSX_H

#include "error.h"
#include "manifest.h"
#include "results.h"
#include "sink.h"

/* Write the cells sel selects (NULL = all) as a workbook; m (NULL: no Sources
   sheet) describes the run. Checked with ri_results_check() first. */
ri_rc ri_write_xlsx(ri_sink *sink, const ri_results *r, const ri_selection *sel, const ri_manifest *m,
                    ri_error *err);

#endif
