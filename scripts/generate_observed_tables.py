#!/usr/bin/python3
"""Derive the compact observed tables embedded in doseflow (for `doseflow compare` and `doseflow calibrate`).

Reads ../shared/data/observed (JHU reported deaths, WHO and Economist excess deaths) and ../shared/data/owid
(vaccinations), whose READMEs give sources and licences, and writes:

  data/observed/deaths_monthly.csv         code,month,reported,excess,excess_cumulative_low,excess_cumulative_high,
                                           excess_type,economist_excess
  data/observed/vaccinations.csv           location,iso_code,date,people_vaccinated,people_fully_vaccinated
  data/observed/vaccinations_by_manufacturer.csv   location,date,vaccine,total_vaccinations
  data/observed/vaccination_groups.csv     group,month_end,people_dose1_per_100,people_full_per_100,doses_per_100,
                                           boosters_per_100

The vaccination tables keep, for every country (and vaccine) and every month end, only the last report on or before
the month end and the first report on or after it: the reports from which `doseflow compare` takes a month-end
value (interpolation between the two, or the last report), so that the comparison gives the same figures as on
Our World in Data's full files.

Usage:
  /usr/bin/python3 scripts/generate_observed_tables.py            # regenerate the tables
  /usr/bin/python3 scripts/generate_observed_tables.py --check    # recompute and compare with the committed files

Standard library only. data/observed/README.md describes the tables; keep the two in step.
"""
from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import io
import sys
from collections import defaultdict
from pathlib import Path

import shared_data

REPO_ROOT = Path(__file__).resolve().parents[1]
# The checkout sits beside shared/ (or deeper, in a worktree): the first shared/data above it.
SHARED = next((parent / "shared" / "data" for parent in REPO_ROOT.parents if (parent / "shared" / "data").is_dir()),
              REPO_ROOT.parent / "shared" / "data")
DEFAULT_OUTPUT = REPO_ROOT / "data" / "observed"

FIRST_MONTH = (2020, 1)
LAST_MONTH = (2021, 12)  # WHO and the Economist end there; JHU is cut there
# Month ends at which vaccinations are compared: OWID's vaccinations.csv runs 2020-12-02 ... 2021-12-31, the
# manufacturer series to 2024; a run of doseflow ends by 2022 in the shipped scenarios.
VACCINATION_MONTH_ENDS = (dt.date(2020, 12, 31), dt.date(2022, 12, 31))

# JHU's Country/Region names that differ from WHO's country names (observed/README.md: "map them to ISO3 with a
# table kept in the project").
JHU_COUNTRY_CODES = {
    "Bolivia": "BOL", "Brunei": "BRN", "Burma": "MMR", "Congo (Brazzaville)": "COG", "Congo (Kinshasa)": "COD",
    "Cote d'Ivoire": "CIV", "Iran": "IRN", "Korea, North": "PRK", "Korea, South": "KOR", "Kosovo": "XKX",
    "Laos": "LAO", "Liechtenstein": "LIE", "Micronesia": "FSM", "Moldova": "MDA", "Russia": "RUS", "Syria": "SYR",
    "Taiwan*": "TWN", "Tanzania": "TZA", "US": "USA", "United Kingdom": "GBR", "Venezuela": "VEN",
    "Vietnam": "VNM", "West Bank and Gaza": "PSE", "Holy See": "VAT",
}
# Not countries: cruise ships, the Olympic games, the Antarctic research stations.
JHU_NOT_COUNTRIES = {"Antarctica", "Diamond Princess", "MS Zaandam", "Summer Olympics 2020", "Winter Olympics 2022"}
# JHU provinces that are areas of their own in doseflow's country table (data/tables/countries.csv); every other
# province row is summed into its Country/Region.
JHU_PROVINCE_CODES = {
    ("China", "Hong Kong"): "HKG", ("China", "Macau"): "MAC", ("France", "Reunion"): "REU",
    ("France", "Guadeloupe"): "GLP", ("France", "Martinique"): "MTQ", ("France", "French Guiana"): "GUF",
    ("France", "Mayotte"): "MYT", ("France", "New Caledonia"): "NCL", ("France", "French Polynesia"): "PYF",
    ("Netherlands", "Aruba"): "ABW", ("Netherlands", "Curacao"): "CUW", ("Denmark", "Greenland"): "GRL",
    ("Denmark", "Faroe Islands"): "FRO", ("United Kingdom", "Bermuda"): "BMU", ("United Kingdom", "Gibraltar"): "GIB",
    ("United Kingdom", "Channel Islands"): "CHI",
}
# The Economist's country names that differ from WHO's.
ECONOMIST_COUNTRY_CODES = {
    "Aruba": "ABW", "Bermuda": "BMU", "Bolivia": "BOL", "Brunei": "BRN", "Cape Verde": "CPV",
    "Faroe Islands": "FRO", "French Polynesia": "PYF", "Gibraltar": "GIB", "Greenland": "GRL", "Hong Kong": "HKG",
    "Kosovo": "XKX", "Liechtenstein": "LIE", "Macao": "MAC", "Moldova": "MDA", "Palestine": "PSE", "Russia": "RUS",
    "Taiwan": "TWN",
}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def months() -> list[tuple[int, int]]:
    out, (year, month) = [], FIRST_MONTH
    while (year, month) <= LAST_MONTH:
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def month_end(year: int, month: int) -> dt.date:
    first_of_next = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return first_of_next - dt.timedelta(days=1)


def fmt_number(value: float) -> str:
    return str(int(round(value))) if abs(value - round(value)) < 1e-9 else f"{value:.6g}"


# ------------------------------------------------------------------------------------------------------ deaths

def who_excess(source: Path) -> tuple[dict, dict[str, str]]:
    table, codes = {}, {}
    for row in read_csv(source / "who_excess" / "who_excess_country_by_month_2020-2021.csv"):
        codes[row["country"]] = row["iso3"]
        key = (row["iso3"], int(row["year"]), int(row["month"]))
        table[key] = (float(row["excess.mean"]), float(row["cumul.excess.low"]), float(row["cumul.excess.high"]),
                      row["type"].lower())
    return table, codes


def jhu_reported(source: Path, who_codes: dict[str, str]) -> dict:
    path = source / "jhu" / "time_series_covid19_deaths_global.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        dates = [dt.datetime.strptime(text, "%m/%d/%y").date() for text in header[4:]]
        cumulative: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(dates))
        for row in reader:
            province, country = row[0], row[1]
            if country in JHU_NOT_COUNTRIES:
                continue
            code = JHU_PROVINCE_CODES.get((country, province)) or JHU_COUNTRY_CODES.get(country) or who_codes.get(country)
            if code is None:
                sys.exit(f"{path}: no ISO3 code for Country/Region '{country}' (province '{province}'): add it to "
                         "JHU_COUNTRY_CODES")
            series = cumulative[code]
            for i, text in enumerate(row[4:]):
                series[i] += float(text) if text else 0.0
    index_of = {day: i for i, day in enumerate(dates)}
    table = {}
    for code, series in cumulative.items():
        previous = 0.0
        for year, month in months():
            day = month_end(year, month)
            if day < dates[0]:
                continue
            level = series[index_of[min(day, dates[-1])]]
            table[(code, year, month)] = level - previous  # JHU revisions can make a month negative: kept as reported
            previous = level
    return table


def economist_excess(source: Path, who_codes: dict[str, str]) -> dict:
    path = source / "economist_excess" / "all_monthly_excess_deaths.csv"
    table = {}
    for row in read_csv(path):
        if row["country"] != row["region"]:
            continue  # sub-national rows
        code = ECONOMIST_COUNTRY_CODES.get(row["country"]) or who_codes.get(row["country"])
        if code is None:
            sys.exit(f"{path}: no ISO3 code for country '{row['country']}': add it to ECONOMIST_COUNTRY_CODES")
        year, month = int(row["year"]), int(row["month"])
        if (year, month) < FIRST_MONTH or (year, month) > LAST_MONTH:
            continue
        table[(code, year, month)] = float(row["excess_deaths"])
    return table


def deaths_table(source: Path) -> str:
    who, who_codes = who_excess(source)
    reported = jhu_reported(source, who_codes)
    economist = economist_excess(source, who_codes)
    codes = sorted({key[0] for key in who} | {key[0] for key in reported} | {key[0] for key in economist})
    out = io.StringIO()
    out.write("code,month,reported,excess,excess_cumulative_low,excess_cumulative_high,excess_type,economist_excess\n")
    for code in codes:
        for year, month in months():
            key = (code, year, month)
            if key not in who and key not in reported and key not in economist:
                continue
            fields = [code, f"{year:04d}-{month:02d}", fmt_number(reported[key]) if key in reported else ""]
            if key in who:
                excess, low, high, kind = who[key]
                fields += [fmt_number(excess), fmt_number(low), fmt_number(high), kind]
            else:
                fields += ["", "", "", ""]
            fields.append(fmt_number(economist[key]) if key in economist else "")
            out.write(",".join(fields) + "\n")
    return out.getvalue()


# ------------------------------------------------------------------------------------------------ vaccinations

def all_month_ends() -> list[dt.date]:
    ends, (year, month) = [], (VACCINATION_MONTH_ENDS[0].year, VACCINATION_MONTH_ENDS[0].month)
    while month_end(year, month) <= VACCINATION_MONTH_ENDS[1]:
        ends.append(month_end(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return ends


def bracketing_dates(report_dates: list[dt.date], ends: list[dt.date]) -> set[dt.date]:
    """The last report on or before and the first on or after each month end (report_dates sorted)."""
    keep = set()
    for end in ends:
        i = bisect.bisect_right(report_dates, end)
        if i > 0:
            keep.add(report_dates[i - 1])
        j = bisect.bisect_left(report_dates, end)
        if j < len(report_dates):
            keep.add(report_dates[j])
    return keep


def quote(text: str) -> str:
    return f'"{text}"' if any(c in text for c in ',"\n') else text


def vaccination_tables(source: Path) -> tuple[str, str]:
    ends = all_month_ends()
    rows = read_csv(source / "vaccinations.csv")
    iso_by_location = {row["location"]: row["iso_code"] for row in rows}
    for row in read_csv(source / "locations.csv"):
        iso_by_location.setdefault(row["location"], row["iso_code"])
    by_country: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        if row["iso_code"] and not row["iso_code"].startswith("OWID_"):
            by_country[row["iso_code"]].append(row)
    people = io.StringIO()
    people.write("location,iso_code,date,people_vaccinated,people_fully_vaccinated\n")
    for code in sorted(by_country):
        reports = sorted(by_country[code], key=lambda row: row["date"])
        keep = set()
        for column in ("people_vaccinated", "people_fully_vaccinated"):
            dates = sorted(dt.date.fromisoformat(row["date"]) for row in reports if row[column])
            keep |= bracketing_dates(dates, ends)
        for row in reports:
            if dt.date.fromisoformat(row["date"]) in keep and (row["people_vaccinated"] or row["people_fully_vaccinated"]):
                people.write(",".join([quote(row["location"]), code, row["date"], row["people_vaccinated"],
                                       row["people_fully_vaccinated"]]) + "\n")

    by_series: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in read_csv(source / "vaccinations-by-manufacturer.csv"):
        code = iso_by_location.get(row["location"], "")
        if not code or code.startswith("OWID_") or not row["total_vaccinations"]:
            continue  # the European Union; locations without a code are reported by `compare` from the full file
        by_series[(row["location"], row["vaccine"])].append(row)
    doses = io.StringIO()
    doses.write("location,date,vaccine,total_vaccinations\n")
    kept = []
    for (location, vaccine), reports in by_series.items():
        dates = sorted(dt.date.fromisoformat(row["date"]) for row in reports)
        keep = bracketing_dates(dates, ends)
        kept += [row for row in reports if dt.date.fromisoformat(row["date"]) in keep]
    for row in sorted(kept, key=lambda row: (row["location"], row["vaccine"], row["date"])):
        doses.write(",".join([quote(row["location"]), row["date"], quote(row["vaccine"]), row["total_vaccinations"]]) + "\n")
    return people.getvalue(), doses.getvalue()


# OWID's aggregates compared by `doseflow compare`: the world and the World Bank income groups.
GROUPS = ("World", "High income", "Upper middle income", "Lower middle income", "Low income")
GROUP_SERIES = (  # column of the table, grapher file, value column
    ("people_dose1_per_100", "share-people-vaccinated-covid.csv", "people_vaccinated_per_hundred"),
    ("people_full_per_100", "share-people-fully-vaccinated-covid.csv", "people_fully_vaccinated_per_hundred"),
    ("doses_per_100", "covid-vaccination-doses-per-capita.csv", "total_vaccinations_per_hundred"),
    ("boosters_per_100", "covid-vaccine-booster-doses-per-capita.csv", "total_boosters_per_hundred"),
)


def groups_table(source: Path) -> str:
    """Each aggregate's value at the 2021 month ends: its last report on or before the month end (the grapher
    series of the aggregates are daily); empty before its first report."""
    ends = [month_end(2021, month) for month in range(1, 13)]
    values: dict[tuple[str, str], dict[dt.date, str]] = defaultdict(dict)
    for column, name, field in GROUP_SERIES:
        for row in read_csv(source / "grapher" / name):
            if row["Entity"] in GROUPS and row[field]:
                values[(row["Entity"], column)][dt.date.fromisoformat(row["Day"])] = row[field]
    out = io.StringIO()
    out.write("group," + ",".join(["month_end"] + [column for column, _, _ in GROUP_SERIES]) + "\n")
    for group in GROUPS:
        for end in ends:
            fields = []
            for column, _, _ in GROUP_SERIES:
                series = values[(group, column)]
                dates = sorted(day for day in series if day <= end)
                fields.append(series[dates[-1]] if dates else "")
            out.write(",".join([group, end.isoformat()] + fields) + "\n")
    return out.getvalue()


# ------------------------------------------------------------------------------------------------------- main

def build(shared: Path) -> dict[str, str]:
    people, doses = vaccination_tables(shared / "owid")
    return {
        "deaths_monthly.csv": deaths_table(shared / "observed"),
        "vaccinations.csv": people,
        "vaccinations_by_manufacturer.csv": doses,
        "vaccination_groups.csv": groups_table(shared / "owid"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared data folder (default: %(default)s)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--check", action="store_true", help="compare with the committed tables instead of writing")
    args = parser.parse_args()
    status = shared_data.missing(args.shared / "observed", args.shared, args.check, "the shared data (observed/)")
    if status is not None:
        return status
    tables = build(args.shared)
    if args.check:
        stale = [name for name, text in tables.items()
                 if not (args.output / name).exists() or (args.output / name).read_text(encoding="utf-8") != text]
        for name in stale:
            print(f"{args.output / name}: differs from what the script derives", file=sys.stderr)
        return 1 if stale else 0
    args.output.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (args.output / name).write_text(text, encoding="utf-8")
        print(f"{args.output / name}: {text.count(chr(10)) - 1} rows, {len(text.encode())} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
