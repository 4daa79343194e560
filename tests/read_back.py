#!/usr/bin/env python3
"""Read an output back and check it holds the values of the tidy CSV.

    read_back.py wide TIDY.csv WIDE.csv
    read_back.py xlsx TIDY.csv BOOK.xlsx MANIFEST.json

Every non-empty value cell of the wide file or workbook must be the tidy
file's value for the same area, period, industry and indicator.output, and
every non-empty tidy value must appear there once. The wide CSV writes it
the same way; a workbook holds the tidy value rounded to 16 significant
digits, exactly as libxlsxwriter writes numbers ("%.16G"). A workbook must also
have its header frozen and filtered on every indicator sheet, number
formats by unit, a Notes sheet and a Sources sheet naming every input of
the manifest with its SHA-256. Prints what it compared; exits 1 on the
first difference.
"""
import csv
import json
import sys
import zipfile
import xml.etree.ElementTree as ET


def tidy_values(path):
    """(area, period, industry, 'indicator.output (unit)') -> value text, non-empty values only."""
    values = {}
    with open(path, newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        assert header == ["area_code", "area_name", "period", "industry", "indicator", "output", "value",
                          "unit"], header
        for area, _name, period, industry, indicator, output, value, unit in rows:
            if value != "":
                values[(area, period, industry, "%s.%s (%s)" % (indicator, output, unit))] = value
    return values


def wide_values(path):
    """The same key -> value map from the wide shape's one or two blocks."""
    values = {}
    with open(path, newline="") as f:
        blocks = f.read().split("\n\n")
    for block in blocks:
        rows = csv.reader(block.splitlines(keepends=True))
        header = next(rows)
        keys = 4 if header[3] == "industry" else 3
        for row in rows:
            assert len(row) == len(header), row
            industry = row[3] if keys == 4 else ""
            for name, value in zip(header[keys:], row[keys:]):
                if value != "":
                    key = (row[0], row[2], industry, name)
                    assert key not in values, "twice: %r" % (key,)
                    values[key] = value
    return values


def fail(msg):
    print("read_back: " + msg)
    sys.exit(1)


NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def column_index(ref):
    col = 0
    for ch in ref:
        if not ch.isalpha():
            break
        col = col * 26 + ord(ch) - ord("A") + 1
    return col - 1


def sheet_rows(book, target):
    """Rows of a sheet as lists of (text, style) with None for empty cells, and the sheet's root."""
    root = ET.fromstring(book.read(target))
    rows = []
    for row in root.iter("{%s}row" % NS["m"]):
        cells = {}
        for c in row.findall("m:c", NS):
            if c.get("t") == "inlineStr":
                text = "".join(t.text or "" for t in c.iter("{%s}t" % NS["m"]))
            else:
                v = c.find("m:v", NS)
                text = None if v is None else v.text
            cells[column_index(c.get("r"))] = (text, c.get("s"))
        width = max(cells) + 1 if cells else 0
        rows.append([cells.get(i, (None, None)) for i in range(width)])
    return rows, root


def sheets(book):
    wb = ET.fromstring(book.read("xl/workbook.xml"))
    rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels}
    for sh in wb.iter("{%s}sheet" % NS["m"]):
        yield sh.get("name"), "xl/" + target[sh.get(REL)]


def number_formats(book):
    """Style index -> number format code."""
    styles = ET.fromstring(book.read("xl/styles.xml"))
    codes = {f.get("numFmtId"): f.get("formatCode") for f in styles.iter("{%s}numFmt" % NS["m"])}
    xfs = styles.find("m:cellXfs", NS)
    return {str(i): codes.get(xf.get("numFmtId"), "General") for i, xf in enumerate(xfs)}


def expected_format(unit):
    if any(w in unit for w in ("GBP", "persons", "jobs", "count", "hours")):
        return "#,##0"
    if any(w in unit for w in ("index", "%", "percent")):
        return "0.0"
    if "ratio" in unit:
        return "0.000"
    return "General"


def check_xlsx(tidy_path, book_path, manifest_path):
    tidy = tidy_values(tidy_path)
    book = zipfile.ZipFile(book_path)
    formats = number_formats(book)
    got = {}
    names = []
    for name, target in sheets(book):
        names.append(name)
        rows, root = sheet_rows(book, target)
        if name in ("Notes", "Sources"):
            if name == "Sources":
                sources = rows
            else:
                notes = rows
            continue
        pane = root.find("m:sheetViews/m:sheetView/m:pane", NS)
        if pane is None or pane.get("state") != "frozen" or pane.get("ySplit") != "1":
            fail("sheet %s: header row not frozen" % name)
        if root.find("m:autoFilter", NS) is None:
            fail("sheet %s: no autofilter" % name)
        indicator = name[:-len(" by industry")] if name.endswith(" by industry") else name
        header = [text for text, _ in rows[0]]
        keys = 4 if header[3] == "industry" else 3
        for row in rows[1:]:
            industry = row[3][0] if keys == 4 else ""
            for head, (text, style) in zip(header[keys:], row[keys:]):
                if text is None:
                    continue
                unit = head[head.index(" (") + 2:-1]
                if formats.get(style, "General") != expected_format(unit):
                    fail("sheet %s, %s: format %s for unit %s" % (name, head, formats.get(style), unit))
                key = (row[0][0], row[2][0], industry, "%s.%s" % (indicator, head))
                if key in got:
                    fail("twice: %r" % (key,))
                got[key] = float(text)
    for key, value in tidy.items():
        x = float("%.16G" % float(value))
        if key not in got or got[key] != x:
            fail("%r: tidy %s, workbook %r" % (key, value, got.get(key)))
    for key in got:
        if key not in tidy:
            fail("%r: in the workbook only" % (key,))
    if names[-2:] != ["Notes", "Sources"]:
        fail("sheets %r: expected Notes and Sources last" % names)
    outputs = {(r[0][0], r[1][0]) for r in notes[1:]}
    for (_a, _p, _i, name) in tidy:
        indicator, output = name.split(" (")[0].split(".", 1)
        if (indicator, output) not in outputs:
            fail("Notes lacks %s.%s" % (indicator, output))
    manifest = json.load(open(manifest_path))
    listed = {(r[1][0], r[5][0]) for r in sources if len(r) > 5}
    for inp in manifest["inputs"]:
        if (inp["id"], inp["sha256"]) not in listed:
            fail("Sources lacks %s with SHA-256 %s" % (inp["id"], inp["sha256"]))
    print("read_back: %d values equal in %d sheets; %d inputs in Sources" % (len(tidy), len(names), len(manifest["inputs"])))


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "xlsx":
        check_xlsx(sys.argv[2], sys.argv[3], sys.argv[4])
        return
    if len(sys.argv) != 4 or sys.argv[1] != "wide":
        fail("usage: read_back.py wide TIDY WIDE | xlsx TIDY BOOK MANIFEST")
    tidy = tidy_values(sys.argv[2])
    got = wide_values(sys.argv[3])
    for key, value in tidy.items():
        if got.get(key) != value:
            fail("%r: tidy %s, wide %s" % (key, value, got.get(key)))
    for key in got:
        if key not in tidy:
            fail("%r: in the wide file only" % (key,))
    print("read_back: %d values equal" % len(tidy))


main()
