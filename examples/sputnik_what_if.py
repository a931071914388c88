#!/usr/bin/python3
"""Runs the default 2021 world and a what-if, and plots with matplotlib:

  sputnik_promised_vs_delivered.png  Sputnik V doses promised to other countries (contracts, cumulative by signing
                                     date) against those delivered to them, in both runs;
  deaths_averted_by_income_group.png deaths averted by vaccination (against the same world without vaccines) per
                                     World Bank income group, in both runs.

The what-if: Russia's largest Sputnik V plant (Generium) makes the second component (rAd5) as readily as the first
(component_yield 1.0 instead of 0.75, docs/default-2021.md), the bottleneck of 2021's Sputnik V supply.

    /usr/bin/python3 examples/sputnik_what_if.py [--days N] [--seed N] [--out DIR]
"""
import argparse
import pathlib

import matplotlib

matplotlib.use("Agg")  # files only, no display needed
import matplotlib.pyplot as plt  # noqa: E402

import doseflow  # noqa: E402

INCOME_ORDER = ["Low income", "Lower middle income", "Upper middle income", "High income"]


def sputnik_promised_and_delivered(results):
    """Cumulative Sputnik V doses promised to and delivered to other countries, by day."""
    contracts = results.contracts
    exports = contracts[(contracts["product"] == "sputnik_v") & (contracts["kind"] != "licence")
                        & (contracts["supplier"].astype(object) != contracts["recipient"].astype(object))]
    promised = exports.groupby("signed")["ordered_doses"].sum().cumsum()
    deliveries = results.deliveries
    shipped = deliveries[(deliveries["product"] == "sputnik_v") & (deliveries["kind"] != "domestic")
                         & (deliveries["supplier"].astype(object) != deliveries["recipient"].astype(object))]
    # a two-component course counts as one dose per component delivered, as deliveries.csv records them
    delivered = shipped.groupby("date")["doses"].sum().cumsum()
    return promised, delivered


def deaths_averted_by_income_group(results):
    countries = results.countries
    by_group = countries.groupby("income_group", observed=True)["deaths_averted"].sum()
    return by_group.reindex([g for g in INCOME_ORDER if g in by_group.index])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=None, help="days to simulate (default: the whole scenario)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("out/python-example"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    runs = {}
    runs["2021 as it was"] = doseflow.run(seed=args.seed, days=args.days)
    what_if = doseflow.Scenario.load("default-2021").set("sites.ru_generium.component_yield", [1.0, 1.0])
    runs["rAd5 made like rAd26"] = doseflow.run(what_if, seed=args.seed, days=args.days)

    figure, axes = plt.subplots(figsize=(9, 5))
    for (label, results), colour in zip(runs.items(), ["tab:blue", "tab:orange"]):
        promised, delivered = sputnik_promised_and_delivered(results)
        if label == "2021 as it was":  # the contracts are the same in both runs
            axes.step(promised.index, promised.to_numpy() / 1e6, where="post", color="black", label="promised")
        axes.plot(delivered.index, delivered.to_numpy() / 1e6, color=colour, label=f"delivered: {label}")
    axes.set_title("Sputnik V doses for other countries: promised and delivered")
    axes.set_ylabel("million doses (cumulative)")
    axes.legend()
    figure.autofmt_xdate()
    figure.tight_layout()
    sputnik_png = args.out / "sputnik_promised_vs_delivered.png"
    figure.savefig(sputnik_png, dpi=100)
    plt.close(figure)

    figure, axes = plt.subplots(figsize=(9, 5))
    width = 0.4
    for i, (label, results) in enumerate(runs.items()):
        averted = deaths_averted_by_income_group(results)
        positions = [k + (i - 0.5) * width for k in range(len(averted))]
        axes.bar(positions, averted.to_numpy() / 1e3, width=width, label=label)
        axes.set_xticks(range(len(averted)), averted.index)
    axes.set_title("Deaths averted by vaccination, by World Bank income group")
    axes.set_ylabel("thousand deaths")
    axes.legend()
    figure.tight_layout()
    deaths_png = args.out / "deaths_averted_by_income_group.png"
    figure.savefig(deaths_png, dpi=100)
    plt.close(figure)

    for label, results in runs.items():
        figures = results.summary["figures"]
        print(f"{label}: deaths averted {figures['deaths_averted']:,.0f}")
    print(f"Written: {sputnik_png}, {deaths_png}")


if __name__ == "__main__":
    main()
