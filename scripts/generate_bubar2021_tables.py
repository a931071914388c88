#!/usr/bin/env python3
"""Derives the compact input tables of the Bubar et al. 2021 reproduction (data/bubar2021/) from the transcribed
inputs in ../shared/data/bubar2021 (see data/bubar2021/README.md for sources and licences).

Output (wide, one row per country or age group; every number written with Python's repr, i.e. the shortest text
that reads back as the same IEEE double, so the model sees exactly the authors' values):
  countries.csv   country, name, total_population, population_share_1..9, life_expectancy_1..9
  contacts.csv    country, participant (1..9), contacts_1..9   (mean contacts per day, row = participant)
  age_groups.csv  age_group, ifr, susceptibility, ve_default, ve_age_dependent

Usage: /usr/bin/python3 scripts/generate_bubar2021_tables.py [SOURCE_DIR] [OUT_DIR]
"""
import csv
import os
import sys

AGE_GROUPS = ["0-9", "10-19", "20-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80+"]
COUNTRIES = ["USA", "IND", "ESP", "ZWE", "BRA", "BEL", "CHN", "POL", "ZAF"]


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def by_country_and_group(rows, value):
    table = {}
    for row in rows:
        table.setdefault(row["country"], {})[row["age_group"]] = float(row[value])
    return table


def number(x):
    return repr(float(x))


def write(path, header, rows):
    tmp = path + ".tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    os.replace(tmp, path)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    source = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "shared", "data", "bubar2021")
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "..", "data", "bubar2021")
    os.makedirs(out, exist_ok=True)

    countries = {row["country"]: row for row in read(os.path.join(source, "countries.csv"))}
    shares = by_country_and_group(read(os.path.join(source, "population.csv")), "population_share")
    life = by_country_and_group(read(os.path.join(source, "remaining_life_expectancy.csv")),
                                "remaining_life_expectancy_years")
    contacts = {}
    for row in read(os.path.join(source, "contact_matrices.csv")):
        contacts.setdefault(row["country"], {})[(row["age_group_participant"], row["age_group_contact"])] = \
            float(row["mean_contacts_per_day"])

    rows = []
    for code in COUNTRIES:
        c = countries[code]
        rows.append([code, c["country_name"], number(c["total_population"])] +
                    [number(shares[code][g]) for g in AGE_GROUPS] + [number(life[code][g]) for g in AGE_GROUPS])
    write(os.path.join(out, "countries.csv"),
          ["country", "name", "total_population"] + [f"population_share_{i}" for i in range(1, 10)] +
          [f"life_expectancy_{i}" for i in range(1, 10)], rows)

    rows = []
    for code in COUNTRIES:
        for i, participant in enumerate(AGE_GROUPS, start=1):
            rows.append([code, i] + [number(contacts[code][(participant, g)]) for g in AGE_GROUPS])
    write(os.path.join(out, "contacts.csv"), ["country", "participant"] + [f"contacts_{j}" for j in range(1, 10)], rows)

    ages = {row["age_group"]: row for row in read(os.path.join(source, "age_parameters.csv"))}
    rows = [[g, number(ages[g]["ifr"]), number(ages[g]["susceptibility_u"]), number(ages[g]["ve_default"]),
             number(ages[g]["ve_age_dependent"])] for g in AGE_GROUPS]
    write(os.path.join(out, "age_groups.csv"), ["age_group", "ifr", "susceptibility", "ve_default", "ve_age_dependent"],
          rows)


if __name__ == "__main__":
    main()
