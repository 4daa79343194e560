#!/usr/bin/env python3
"""Read an output back and check it holds exactly the values of the tidy CSV.

    read_back.py wide TIDY.csv WIDE.csv

Every non-empty value cell of the wide file must be the tidy file's value
for the same area, period, industry and indicator.output, written the same
way, and every non-empty tidy value must appear in the wide file once.
Prints what it compared; exits 1 on the first difference.
"""
import csv
import sys


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


def main():
    if len(sys.argv) != 4 or sys.argv[1] != "wide":
        fail("usage: read_back.py wide TIDY WIDE")
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
