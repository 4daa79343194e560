#!/usr/bin/env python3
"""Build jobs_per_pound_panel.csv from lep_investment_outputs.csv.

regind reads tidy panels keyed by area x period [x industry]; the source file
is one row per stated figure, keyed by a LEP *name*. This script turns each
source row into one panel row: the name becomes a code through
lep_names_to_codes.csv, the row gets a four-digit period, and a "scope" label
(programme, kind of public money, kind of jobs figure, source row number)
takes the industry slot, so every row keeps its own key and overlapping
snapshots are never merged. Figures are copied as text, unchanged; empty
cells stay empty so that regind reads them as missing, never as 0.

Usage: build_panel.py [--source CSV] [--mapping CSV] [--output CSV]
Defaults are the files next to this script. Python 3 standard library only;
the output depends on the inputs alone.
"""
import argparse
import csv
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

SOURCE_COLUMNS = ("lep_name", "programme", "period_start", "period_end",
                  "public_investment_gbp", "public_investment_kind",
                  "match_funding_gbp", "private_investment_gbp", "jobs",
                  "jobs_kind", "published")
MAPPING_COLUMNS = ("lep_name", "area_code", "area_name", "area_type")
FIGURES = ("public_investment_gbp", "match_funding_gbp",
           "private_investment_gbp", "jobs")
OUTPUT_COLUMNS = ("area_code", "area_name", "area_type", "period", "scope") \
    + FIGURES + ("source_row",)

# A plain decimal number, as the source writes its figures (no separators).
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
# A leading year, optionally marked "c." as an inferred date ("c.2021 (undated)").
LEADING_YEAR = re.compile(r"(?:c\.)?([0-9]{4})")


class BuildError(Exception):
    pass


def read_csv(path, required):
    try:
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in required if c not in (reader.fieldnames or ())]
            if missing:
                raise BuildError("%s: no column %s in the header; expected %s"
                                 % (path, ", ".join(missing), ", ".join(required)))
            return list(reader)
    except OSError as e:
        raise BuildError("%s: cannot read: %s" % (path, e.strerror))


def read_mapping(path):
    mapping, names_of_code = {}, {}
    for line, row in enumerate(read_csv(path, MAPPING_COLUMNS), start=2):
        name = row["lep_name"]
        if name in mapping:
            raise BuildError("%s:%d: lep_name \"%s\" is mapped twice; expected one row per name"
                             % (path, line, name))
        for col in MAPPING_COLUMNS:
            if not row[col].strip():
                raise BuildError("%s:%d: empty %s for \"%s\"; expected a value"
                                 % (path, line, col, name))
        # One code is one area: two names may share it only under one area name and type.
        shown = (row["area_name"], row["area_type"])
        if names_of_code.setdefault(row["area_code"], shown) != shown:
            raise BuildError("%s:%d: code %s is already \"%s\" (%s); expected one name and type per code"
                             % (path, line, row["area_code"], *names_of_code[row["area_code"]]))
        mapping[name] = row
    return mapping


def period_of(row):
    """period_end's year when it starts with one, else published's, else period_start's."""
    end = row["period_end"]
    if re.match(r"[0-9]{4}", end):
        return end[:4]
    for col in ("published", "period_start"):
        m = LEADING_YEAR.match(row[col])
        if m:
            return m.group(1)
    return None


def scope_of(row, n):
    public = row["public_investment_kind"] or "not stated"
    jobs = row["jobs_kind"] or "not stated"
    return "%s | public: %s | jobs: %s | row %d" % (row["programme"], public, jobs, n)


def build(source, mapping_path, output):
    mapping = read_mapping(mapping_path)
    rows = read_csv(source, SOURCE_COLUMNS)
    unknown = sorted({r["lep_name"] for r in rows} - mapping.keys())
    if unknown:
        raise BuildError("%s: lep_name not in %s: %s; add a row for each (area_code, area_name, area_type)"
                         % (source, mapping_path, "; ".join('"%s"' % u for u in unknown)))
    out = []
    for n, row in enumerate(rows, start=1):
        # Row n of the data is line n + 1 of the file: the header is line 1.
        where = "%s: data row %d (line %d)" % (source, n, n + 1)
        period = period_of(row)
        if period is None:
            raise BuildError("%s: no four-digit year in period_end, published or period_start; expected one"
                             % where)
        for col in FIGURES:
            if row[col] and not NUMBER.fullmatch(row[col]):
                raise BuildError("%s: %s = \"%s\"; expected a plain number or an empty cell"
                                 % (where, col, row[col]))
        area = mapping[row["lep_name"]]
        out.append([area["area_code"], area["area_name"], area["area_type"], period,
                    scope_of(row, n)] + [row[col] for col in FIGURES] + [str(n)])
    with open(output, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(OUTPUT_COLUMNS)
        writer.writerows(out)
    return len(out)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", default=os.path.join(HERE, "lep_investment_outputs.csv"))
    parser.add_argument("--mapping", default=os.path.join(HERE, "lep_names_to_codes.csv"))
    parser.add_argument("--output", default=os.path.join(HERE, "jobs_per_pound_panel.csv"))
    args = parser.parse_args(argv)
    try:
        n = build(args.source, args.mapping, args.output)
    except BuildError as e:
        print("build_panel.py: %s" % e, file=sys.stderr)
        return 1
    print("build_panel.py: wrote %d rows to %s" % (n, args.output))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
