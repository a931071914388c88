#!/usr/bin/python3
"""Writes tests/browser/fixture/: a small, hand-designed run directory (seven countries, three suppliers, twelve
weeks of 2021) in the formats of a doseflow run, so that the browser test can render a report with every chart.

The numbers are invented to exercise the charts (a supplier far behind its contracts, Sputnik V's component 2
lagging component 1, COVAX deliveries, falling credibility); they describe no real country. Each contract's
deliveries sum to its delivered_doses, and component 1 + component 2 to delivered_doses for Sputnik V.

Usage: /usr/bin/python3 tests/browser/make_fixture.py   (rewrites the fixture; standard library only)
"""
from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

OUT = Path(__file__).resolve().parent / "fixture"
START = dt.date(2021, 1, 4)  # a Monday
WEEKS = 12
END = START + dt.timedelta(days=7 * WEEKS - 1)
WEEK_STARTS = [START + dt.timedelta(days=7 * i) for i in range(WEEKS)]

# contract, kind, supplier, recipient, product, signed, ordered, due, delivered component 1, component 2
CONTRACTS = [
    ("RUS-ARG-1", "sale", "RUS", "ARG", "sputnik_v", "2020-12-10", 20_000_000, 8_000_000, 3_000_000, 1_000_000),
    ("RUS-MEX-1", "sale", "RUS", "MEX", "sputnik_v", "2021-02-01", 24_000_000, 10_000_000, 2_500_000, 500_000),
    ("RUS-GTM-1", "sale", "RUS", "GTM", "sputnik_v", "2021-02-15", 16_000_000, 6_000_000, 100_000, 50_000),
    ("USA-MEX-1", "sale", "USA", "MEX", "pfizer", "2020-12-01", 10_000_000, 5_000_000, 5_000_000, 0),
    ("IND-COVAX-1", "covax", "IND", "", "astrazeneca", "2021-01-20", 100_000_000, 40_000_000, 10_000_000, 0),
    ("IND-ARG-1", "sale", "IND", "ARG", "astrazeneca", "2021-01-05", 5_000_000, 5_000_000, 4_500_000, 0),
    ("USA-GTM-1", "donation", "USA", "GTM", "pfizer", "2021-03-01", 1_000_000, 1_000_000, 1_000_000, 0),
]
COMPONENTS = {"sputnik_v": ["rAd26", "rAd5"], "pfizer": ["BNT162b2"], "astrazeneca": ["ChAdOx1"]}
COVAX_RECIPIENTS = ["KGZ", "GTM"]
POPULATION = {"ARG": 45_195_777, "MEX": 128_932_753, "GTM": 17_915_567, "IND": 1_380_004_385,
              "USA": 331_002_647, "RUS": 145_934_460, "KGZ": 6_524_191}
INCOME = {"ARG": 0.004, "MEX": 0.003, "GTM": 0.0005, "IND": 0.002, "USA": 0.012, "RUS": 0.004, "KGZ": 0.001}


def spread(total: int, first_week: int, last_week: int) -> list[tuple[int, int]]:
    """total doses in equal weekly shipments over [first_week, last_week], the remainder in the last one."""
    count = last_week - first_week + 1
    each = total // count
    shares = [each] * count
    shares[-1] += total - each * count
    return [(first_week + i, share) for i, share in enumerate(shares) if share > 0]


def write_csv(name: str, header: list[str], rows: list[list]) -> None:
    with (OUT / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    deliveries, contracts = [], []
    for contract, kind, supplier, recipient, product, signed, ordered, due, first, second in CONTRACTS:
        components = COMPONENTS[product]
        signed_week = max(0, (dt.date.fromisoformat(signed) - START).days // 7)
        amounts = [(components[0], first, signed_week + 1)]
        if second:
            amounts.append((components[1], second, signed_week + 4))  # component 2 ships weeks later
        first_day, last_day = None, None
        for component, total, from_week in amounts:
            for week, doses in spread(total, min(from_week, WEEKS - 1), WEEKS - 1):
                day = WEEK_STARTS[week] + dt.timedelta(days=2)
                targets = [recipient] if recipient else COVAX_RECIPIENTS
                for index, target in enumerate(targets):
                    part = doses // len(targets) + (doses % len(targets) if index == 0 else 0)
                    deliveries.append([day.isoformat(), contract, kind, supplier, target, product, component, part])
                first_day = min(first_day or day, day)
                last_day = max(last_day or day, day)
        delivered = first + second
        status = "on_time" if delivered >= due else ("refund_demanded" if delivered < due / 10 else "late")
        contracts.append([contract, kind, supplier, recipient, product, signed, ordered, due, delivered,
                          first if product == "sputnik_v" else delivered, second, 0,
                          ordered * 5 if kind == "sale" else 0, 0, status, first_day.isoformat(),
                          last_day.isoformat()])
    deliveries.sort()
    write_csv("deliveries.csv", ["date", "contract", "kind", "supplier", "recipient", "product", "component", "doses"],
              deliveries)
    write_csv("contracts.csv", ["contract", "kind", "supplier", "recipient", "product", "signed", "ordered_doses",
                                "due_doses", "delivered_doses", "delivered_component_1", "delivered_component_2",
                                "wasted_doses", "prepaid_usd", "refunded_usd", "status", "first_delivery",
                                "last_delivery"], contracts)

    series = []
    for code, persons in POPULATION.items():
        series.append([START.isoformat(), code, "", "", "population", persons])
        for week, day in enumerate(WEEK_STARTS):
            first_share = INCOME[code] * (week + 1)
            full_share = INCOME[code] * max(0, week - 2) * 0.8
            series.append([day.isoformat(), code, "", "", "people_dose1", round(persons * first_share)])
            series.append([day.isoformat(), code, "", "", "people_full", round(persons * full_share)])
            series.append([day.isoformat(), code, "", "", "deaths", round(persons * 2e-5 * (1 + week % 5))])
            series.append([day.isoformat(), code, "", "", "rt", f"{1.3 - 0.03 * week:.2f}"])
    world_deaths = {}
    for row in series:
        if row[4] == "deaths":
            world_deaths[row[0]] = world_deaths.get(row[0], 0) + row[5]
    for day, deaths in world_deaths.items():
        series.append([day, "", "", "", "deaths", deaths])
    for week, day in enumerate(WEEK_STARTS):
        series.append([day.isoformat(), "RUS", "sputnik_v", "rAd26", "produced_doses", 2_000_000 + 50_000 * week])
        series.append([day.isoformat(), "RUS", "sputnik_v", "rAd5", "produced_doses", 500_000 + 20_000 * week])
    series.sort(key=lambda row: (row[0], row[1], row[4], row[2], row[3]))
    write_csv("timeseries.csv", ["date", "country", "product", "component", "metric", "value"], series)

    diplomacy = []
    pairs = [("ARG", "RUS"), ("MEX", "RUS"), ("GTM", "RUS"), ("MEX", "USA"), ("GTM", "USA"), ("ARG", "IND")]
    for week, day in enumerate(WEEK_STARTS):
        for buyer, supplier in pairs:
            fall = 0.04 if supplier == "RUS" else 0.005
            diplomacy.append([day.isoformat(), buyer, supplier, f"{max(0.0, 0.8 - fall * week):.3f}",
                              f"{0.1 + 0.01 * week * (2 if supplier == 'USA' else 1):.3f}"])
    write_csv("diplomacy.csv", ["date", "buyer", "supplier", "credibility", "influence"], diplomacy)

    events = [
        ["2021-01-04", "campaign_start", "", "ARG", "", "", "", "first doses in Argentina"],
        ["2021-02-22", "escalation", "RUS", "GTM", "RUS-GTM-1", "sputnik_v", "1", "late: ultimatum"],
        ["2021-03-08", "escalation", "RUS", "GTM", "RUS-GTM-1", "sputnik_v", "2", "refund demanded"],
        ["2021-03-15", "export_ban", "IND", "", "", "astrazeneca", "1", "India halts exports, \"for now\""],
        ["2021-03-15", "refund", "RUS", "GTM", "RUS-GTM-1", "sputnik_v", "0", "requested, <none> paid yet"],
    ]
    write_csv("events.csv", ["date", "kind", "supplier", "recipient", "contract", "product", "value", "detail"], events)

    summary = {
        "manifest": {"version": "0.1.0", "git_revision": "fixture", "scenario_name": "browser-test fixture </script>",
                     "scenario_sha256": "0" * 64, "seed": 7, "days": (END - START).days + 1,
                     "start": START.isoformat(), "end": END.isoformat(), "options": {"output_resolution": "weekly"}},
        "figures": {
            "world": {"doses_produced": 32_000_000, "doses_delivered": 27_650_000, "doses_administered": 20_000_000,
                      "doses_wasted": 120_000},
            "deaths": 123_456,
            "deaths_averted": 4_321,
            "deaths_by_income_group": {"High income": 50_000, "Upper middle income": 60_000,
                                       "Lower middle income": 13_456},
            "covax_delivered": 10_000_000,
        },
    }
    (OUT / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    # The run's scenario names the product the report features (report.featured_products).
    (OUT / "scenario.toml").write_text(
        '[[report.featured_products]]\nproduct = "sputnik_v"\nanchor = "sputnik"\ntitle = "Sputnik V"\n'
        'note = "Component 2 lags component 1."\n', encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
