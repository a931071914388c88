#!/usr/bin/python3
"""Derive the compact country tables embedded in doseflow from the shared world data set.

Reads ../shared/data/world (population_by_age.csv, contact_matrices.csv, countries.csv; sources and licences in
its README.md) and writes:

  data/tables/countries.csv  code,name,region,subregion,income_group,pop_0,...,pop_75
  data/tables/contacts.csv   code,c_0_0,...,c_15_15  (Prem et al. "all" setting, row = participant band)

Usage:
  /usr/bin/python3 scripts/generate_world_tables.py            # regenerate the tables
  /usr/bin/python3 scripts/generate_world_tables.py --check    # recompute and compare with the committed files

Standard library only. The transformation, the income-group fill rule and the contact-matrix borrowing rule are
described in data/tables/README.md; keep the two in step.
"""
from __future__ import annotations

import argparse
import csv
import io
import math
import sys
from decimal import Decimal
from pathlib import Path

import shared_data

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "data" / "world"
DEFAULT_OUTPUT = REPO_ROOT / "data" / "tables"

BAND_LOWER_YEARS = list(range(0, 80, 5))  # 0, 5, ..., 75; the last band (75+) is open
BAND_COUNT = len(BAND_LOWER_YEARS)
SIGNIFICANT_DIGITS = 5

# Areas the World Bank does not classify (README of the shared data, countries.csv: "no wb_income_group").
# Each takes the group of the state that administers it and runs its vaccination programme:
# the French overseas departments are part of France (and of the EU's vaccine purchases); Western Sahara is
# mostly administered by Morocco, whose programme vaccinated there (Morocco's FY2021 group).
INCOME_GROUP_FROM_ADMINISTERING_STATE = {
    "GLP": "FRA",
    "GUF": "FRA",
    "MTQ": "FRA",
    "MYT": "FRA",
    "REU": "FRA",
    "ESH": "MAR",
}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def band_index(age_lower_years: int) -> int:
    """Index of the 16-band scheme for a 5-year WPP group; 75-79 and every older group fold into 75+."""
    return min(age_lower_years // 5, BAND_COUNT - 1)


def population_by_band(rows: list[dict[str, str]]) -> dict[str, list[int]]:
    bands: dict[str, list[int]] = {}
    for row in rows:
        persons = bands.setdefault(row["iso3"], [0] * BAND_COUNT)
        persons[band_index(int(row["age_lower"]))] += int(row["population"])
    return bands


def all_setting_matrices(rows: list[dict[str, str]]) -> dict[str, list[float]]:
    """Row-major 16x16 matrices of the "all" setting (the file is sorted row-major within each block)."""
    labels = [f"{lower}-{lower + 4}" for lower in BAND_LOWER_YEARS[:-1]] + ["75+"]
    position = {label: index for index, label in enumerate(labels)}
    matrices: dict[str, list[float]] = {}
    for row in rows:
        if row["setting"] != "all":
            continue
        cells = matrices.setdefault(row["iso3"], [math.nan] * (BAND_COUNT * BAND_COUNT))
        cells[position[row["age_from"]] * BAND_COUNT + position[row["age_to"]]] = float(row["contacts"])
    for code, cells in matrices.items():
        if any(math.isnan(value) for value in cells):
            raise ValueError(f"contact matrix of {code} is incomplete")
    return matrices


def income_group(country: dict[str, str], by_code: dict[str, dict[str, str]]) -> str:
    """World Bank group in force 1 July 2020 - 30 June 2021 (FY2021), filled for unclassified areas."""
    group = country["wb_income_group_fy2021"]
    if group:
        return group
    administrator = INCOME_GROUP_FROM_ADMINISTERING_STATE.get(country["iso3"])
    if administrator is None:
        raise ValueError(f"{country['iso3']} has no FY2021 income group and no fill rule")
    return by_code[administrator]["wb_income_group_fy2021"]


def borrowed_matrix_donor(code: str, by_code: dict[str, dict[str, str]], has_matrix: set[str],
                          income_groups: dict[str, str]) -> tuple[str, str]:
    """Donor of a contact matrix for a country without one, and the level of the rule that chose it.

    Candidates: countries with a matrix and population by age in the same UN intermediate region (Caribbean,
    Eastern Africa, ...) where the UN defines one, else in the same UN subregion, else in the same income group.
    Among the candidates the one with the closest population on a log scale wins (contact structure follows
    household size and age structure, which track country size less than region; closeness on a log scale
    keeps a 100,000-person island from borrowing from a 200-million country of its subregion).
    """
    country = by_code[code]
    population = int(country["population_2020"])
    for level, field in (("intermediate region", "un_intermediate_region"), ("subregion", "un_subregion")):
        if not country[field]:
            continue
        candidates = [other for other in has_matrix if by_code[other][field] == country[field]]
        if candidates:
            return closest_population(candidates, population, by_code), level
    candidates = [other for other in has_matrix if income_groups.get(other) == income_groups[code]]
    if not candidates:
        raise ValueError(f"no contact-matrix donor for {code}")
    return closest_population(candidates, population, by_code), "income group"


def closest_population(candidates: list[str], population: int, by_code: dict[str, dict[str, str]]) -> str:
    def distance(other: str) -> tuple[float, str]:
        return (abs(math.log(int(by_code[other]["population_2020"]) / population)), other)
    return min(candidates, key=distance)


def format_significant(value: float) -> str:
    """Plain decimal notation with SIGNIFICANT_DIGITS significant digits and no trailing zeros."""
    if value == 0:
        return "0"
    text = format(Decimal(f"{value:.{SIGNIFICANT_DIGITS - 1}e}"), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def build_tables(source: Path) -> tuple[str, str, list[tuple[str, str, str]]]:
    """Returns (countries.csv text, contacts.csv text, [(code, donor, rule level)] of borrowed matrices)."""
    countries = read_csv(source / "countries.csv")
    by_code = {row["iso3"]: row for row in countries}
    populations = population_by_band(read_csv(source / "population_by_age.csv"))
    matrices = all_setting_matrices(read_csv(source / "contact_matrices.csv"))
    codes = sorted(populations)
    income_groups = {code: income_group(by_code[code], by_code) for code in codes}
    # Donors must have population by age, so a donor's matrix is one the tables themselves carry.
    donors_available = {code for code in codes if code in matrices}

    countries_out = io.StringIO()
    writer = csv.writer(countries_out, lineterminator="\n")
    writer.writerow(["code", "name", "region", "subregion", "income_group"]
                    + [f"pop_{lower}" for lower in BAND_LOWER_YEARS])
    for code in codes:
        row = by_code[code]
        if sum(populations[code]) != int(row["population_2020"]):
            raise ValueError(f"{code}: banded population does not add up to population_2020")
        writer.writerow([code, row["name"], row["un_region"], row["un_subregion"], income_groups[code]]
                        + populations[code])

    contacts_out = io.StringIO()
    writer = csv.writer(contacts_out, lineterminator="\n")
    writer.writerow(["code"] + [f"c_{i}_{j}" for i in range(BAND_COUNT) for j in range(BAND_COUNT)])
    borrowed: list[tuple[str, str, str]] = []
    for code in codes:
        donor = code
        if code not in matrices:
            donor, level = borrowed_matrix_donor(code, by_code, donors_available, income_groups)
            borrowed.append((code, donor, level))
        writer.writerow([code] + [format_significant(value) for value in matrices[donor]])
    return countries_out.getvalue(), contacts_out.getvalue(), borrowed


def check(source: Path, output: Path) -> int:
    countries_text, contacts_text, _ = build_tables(source)
    status = 0
    for name, expected in (("countries.csv", countries_text), ("contacts.csv", contacts_text)):
        path = output / name
        if not path.exists():
            print(f"FAIL {path}: missing")
            status = 1
            continue
        committed = path.read_text(encoding="utf-8")
        if committed != expected:
            first = next((index for index, (a, b) in enumerate(zip(committed.splitlines(),
                                                                    expected.splitlines())) if a != b), None)
            where = f"first differing line {first + 2}" if first is not None else "line count differs"
            print(f"FAIL {path}: differs from the table recomputed from {source} ({where})")
            status = 1
        else:
            print(f"ok   {path}")
    return status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="the shared world data folder")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where the tables go")
    parser.add_argument("--check", action="store_true",
                        help="recompute and exit 1 if the committed tables differ (exit 0 if the source is absent)")
    args = parser.parse_args()

    status = shared_data.missing(args.source / "countries.csv", args.source, args.check, "the shared world data")
    if status is not None:
        return status
    if args.check:
        return check(args.source, args.output)

    countries_text, contacts_text, borrowed = build_tables(args.source)
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "countries.csv").write_text(countries_text, encoding="utf-8")
    (args.output / "contacts.csv").write_text(contacts_text, encoding="utf-8")
    print(f"wrote {args.output / 'countries.csv'} ({countries_text.count(chr(10)) - 1} countries)")
    print(f"wrote {args.output / 'contacts.csv'} ({len(contacts_text.encode())} bytes)")
    for code, donor, level in borrowed:
        print(f"  borrowed contact matrix: {code} <- {donor} (same {level}, closest population)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
