"""The example script runs and writes its plots; repeated runs do not leak; compare and report work."""
import gc
import os
import runpy
import sys
import weakref

import pytest

import doseflow
from conftest import SANITIZED, SOURCE_DIR, TWO_COUNTRIES

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_example_writes_its_plots(tmp_path, monkeypatch, capsys):
    # In this process, as `/usr/bin/python3 examples/sputnik_what_if.py --days N --out DIR` would run it.
    days = 35 if SANITIZED else 120
    script = SOURCE_DIR / "examples" / "sputnik_what_if.py"
    monkeypatch.setattr(sys, "argv", [str(script), "--days", str(days), "--out", str(tmp_path)])
    runpy.run_path(str(script), run_name="__main__")
    for name in ["sputnik_promised_vs_delivered.png", "deaths_averted_by_income_group.png"]:
        data = (tmp_path / name).read_bytes()
        assert data.startswith(PNG_MAGIC) and len(data) > 10_000, name
    assert "deaths averted" in capsys.readouterr().out


def resident_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def run_and_read():
    results = doseflow.run(str(TWO_COUNTRIES), seed=3)
    for table in ["timeseries", "deliveries", "contracts", "events", "diplomacy", "countries"]:
        assert len(getattr(results, table)) > 0
    return results


def test_ten_runs_do_not_leak():
    for _ in range(2):  # warm up: caches, allocator pools
        run_and_read()
    gc.collect()
    baseline = resident_bytes()
    held = run_and_read()  # what one run's results take
    one_run = max(resident_bytes() - baseline, 1)
    watch = weakref.ref(held)
    del held
    gc.collect()
    assert watch() is None, "Results outlive their last reference"
    for _ in range(10):
        run_and_read()
    gc.collect()
    growth = resident_bytes() - baseline
    # A leak of each run's results would grow by ten of them; allow two plus allocator slack.
    assert growth < 2 * one_run + (64 << 20 if SANITIZED else 16 << 20), (growth, one_run)


def test_compare_and_report(tmp_path):
    results = doseflow.run(days=59 if SANITIZED else 90)  # whole months for the deaths comparison
    comparison = doseflow.compare(results)
    assert {"country", "metric", "month_end", "simulated", "observed", "error_pp"} <= set(comparison.vaccinations)
    assert len(comparison.vaccinations) > 0 and len(comparison.deaths) > 0
    assert "people" in comparison.text
    html = doseflow.report(results, tmp_path / "report.html")
    text = html.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") or text.lower().startswith("<!doctype html>")
    assert "vega" in text
