#!/usr/bin/python3
"""Derive the ISO 3166-1 alpha-3 -> numeric table the report's world map needs.

The world map of `doseflow report` draws world-atlas's countries-110m TopoJSON, whose geometries are keyed by the
ISO 3166-1 numeric code as a zero-padded three-digit string ("004" for Afghanistan); the run's tables are keyed
by alpha-3 codes. This script reads the `m49` column of ../shared/data/world/countries.csv (UN M49 numeric codes,
which equal the ISO 3166-1 numeric codes for countries) and writes:

  data/tables/iso_numeric.csv  code,numeric   (numeric zero-padded to three digits, sorted by code)

Usage:
  /usr/bin/python3 scripts/generate_iso_numeric.py           # regenerate the table
  /usr/bin/python3 scripts/generate_iso_numeric.py --check   # recompute and compare with the committed file

Standard library only. Source and licence: data/tables/README.md, section iso_numeric.csv.
"""
from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

import shared_data

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "data" / "world"
DEFAULT_OUTPUT = REPO_ROOT / "data" / "tables"
TABLE_NAME = "iso_numeric.csv"


def build_table(source: Path) -> tuple[str, list[str]]:
    """The table's text, and the codes left out because they have no M49 code (Kosovo)."""
    with (source / "countries.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    left_out = sorted(row["iso3"] for row in rows if not row["m49"].strip())
    pairs = sorted((row["iso3"], int(row["m49"])) for row in rows if row["m49"].strip())
    codes = [code for code, _ in pairs]
    if len(set(codes)) != len(codes):
        raise ValueError("duplicate iso3 codes in countries.csv")
    numerics = [numeric for _, numeric in pairs]
    if len(set(numerics)) != len(numerics):
        raise ValueError("two iso3 codes share one m49 code in countries.csv")
    out = io.StringIO()
    out.write("code,numeric\n")
    for code, numeric in pairs:
        if not (0 < numeric < 1000):
            raise ValueError(f"m49 code of {code} is not a three-digit number: {numeric}")
        out.write(f"{code},{numeric:03d}\n")
    return out.getvalue(), left_out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="the shared world data folder")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where the table goes")
    parser.add_argument("--check", action="store_true",
                        help="recompute and exit 1 if the committed table differs (exit 0 if the source is absent)")
    args = parser.parse_args()

    status = shared_data.missing(args.source / "countries.csv", args.source, args.check, "the shared world data")
    if status is not None:
        return status

    text, left_out = build_table(args.source)
    target = args.output / TABLE_NAME
    if args.check:
        committed = target.read_text(encoding="utf-8") if target.exists() else ""
        if committed != text:
            print(f"{target} differs from the table recomputed from {args.source}: "
                  "run scripts/generate_iso_numeric.py", file=sys.stderr)
            return 1
        print(f"ok: {target} matches {args.source / 'countries.csv'}")
        return 0

    args.output.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target} ({text.count(chr(10)) - 1} countries)")
    for code in left_out:
        print(f"  left out {code}: no M49 code")
    return 0


if __name__ == "__main__":
    sys.exit(main())
