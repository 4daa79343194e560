/*
 * xlsx.h — a dataset's table read from one sheet of an Office Open XML
 * workbook (.xlsx), handed to dataset.c as CSV records (csv.h).
 *
 * Owns the container (libzip), the workbook's sheet list and relationships,
 * the shared strings, and the sheet's cells, streamed through expat one row
 * at a time so a sheet is never held in memory whole. Cells become the text
 * a CSV export would hold: numbers as stored (the exact double Excel wrote),
 * shared and inline strings, booleans as 1 or 0, error cells (#N/A) blank.
 * Styles and formulas are ignored; a formula's cached value is read.
 *
 * The table: the header is the row after skip_rows rows when skip_rows is
 * set, otherwise the first row holding every column header the dataset
 * names (ONS puts titles and notes above its tables). Header cells lose
 * ONS's "[note N]" marks. The table ends at the first blank row or note row
 * after the header (a row with a single filled cell, or starting "Source"
 * or "Note"); cells right of the header's last filled cell are ignored.
 *
 * Hostile workbooks meet bounds rather than exhaust memory: parts inflating
 * far beyond their compressed size (zip bombs), shared-string tables beyond
 * a size, cell references out of order or beyond XFD1048576, and DTDs are
 * refused with located errors ("book.xlsx[Table 1]:B17: ...").
 */
#ifndef RI_XLSX_H
#define RI_XLSX_H

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "csv.h"
#include "error.h"

/* Whether a dataset file is read as a workbook: its name ends in .xlsx (any case). */
static inline int ri_xlsx_is_workbook(const char *path)
{
    size_t n = strlen(path);
    return n >= 5 && strcasecmp(path + n - 5, ".xlsx") == 0;
}

/*
 * A reader of cfg's table in cfg->sheet of the workbook at cfg->path, or in
 * buf[0..len) when buf is not NULL (cfg->path still names it). Its records
 * are the header and then the table's rows, their line the sheet's row
 * number; the reader's name is "PATH[SHEET]".
 */
ri_rc ri_xlsx_open(const ri_dataset_cfg *cfg, const char *buf, size_t len, ri_csv **out, ri_error *err);

/*
 * Rewrite a message about a workbook's table that names places as CSV
 * readers do ("NAME:17:2: ..." or "NAME:17: ...") into a spreadsheet's
 * terms ("NAME:B17: ..." or "NAME:row 17: ..."), NAME being the reader's.
 */
void ri_xlsx_locate(const char *name, ri_error *err);

#endif
