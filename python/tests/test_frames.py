"""The DataFrames of doseflow.run equal the CSV files of `doseflow run` for the same scenario and seed."""
import json
import math

import numpy as np
import pandas as pd
import pytest

import doseflow
from conftest import SANITIZED, TWO_COUNTRIES

TABLES = ["timeseries", "deliveries", "contracts", "events", "diplomacy"]
# diplomacy.csv writes these with 6 significant digits; the DataFrame keeps every digit.
SIX_DIGITS = {("diplomacy", "credibility"), ("diplomacy", "influence")}


def assert_frame_equals_csv(table, frame, csv_path):
    text = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    assert list(frame.columns) == list(text.columns), table
    assert len(frame) == len(text), table
    assert len(frame) > 0, f"{table} is empty: the comparison would prove nothing"
    for name in frame.columns:
        column, expected = frame[name], text[name]
        if pd.api.types.is_datetime64_any_dtype(column):
            written = column.dt.strftime("%Y-%m-%d").fillna("")
            assert (written.to_numpy() == expected.to_numpy()).all(), (table, name)
        elif isinstance(column.dtype, pd.CategoricalDtype):
            written = column.astype(object).where(column.notna(), "")
            assert (written.to_numpy() == expected.to_numpy()).all(), (table, name)
        else:
            assert column.dtype == np.float64, (table, name)
            values = column.to_numpy()
            if (table, name) in SIX_DIGITS:
                values = np.array([float(f"{v:.6g}") for v in values])
            # float() reads the CSV's shortest round-trip text back to the exact double
            parsed = np.array([float(v) if v else math.nan for v in expected])
            same = (values == parsed) | (np.isnan(values) & np.isnan(parsed))
            assert same.all(), (table, name, values[~same][:5], parsed[~same][:5])


@pytest.fixture(scope="module")
def two_countries(cli, tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "run"
    changes = {"epidemic.r0": 2.9}
    cli("run", TWO_COUNTRIES, "--seed", 5, "--out", out, "--quiet", "--set", "epidemic.r0=2.9")
    return doseflow.run(str(TWO_COUNTRIES), seed=5, set=changes), out


@pytest.fixture(scope="module")
def default_world(cli, tmp_path_factory):
    days = 45 if SANITIZED else 60
    out = tmp_path_factory.mktemp("cli") / "default"
    cli("run", "--seed", 2, "--days", days, "--out", out, "--quiet")
    return doseflow.run(seed=2, days=days), out


@pytest.mark.parametrize("table", TABLES)
def test_two_countries_frames_equal_cli_csv(two_countries, table):
    results, out = two_countries
    assert_frame_equals_csv(table, getattr(results, table), out / f"{table}.csv")


@pytest.mark.parametrize("table", TABLES)
def test_default_world_frames_equal_cli_csv(default_world, table):
    results, out = default_world
    assert_frame_equals_csv(table, getattr(results, table), out / f"{table}.csv")


def test_column_types(default_world):
    results, _ = default_world
    frame = results.deliveries
    assert frame["date"].dtype == np.dtype("datetime64[ns]")
    for name in ["contract", "kind", "supplier", "recipient", "product", "component"]:
        assert isinstance(frame[name].dtype, pd.CategoricalDtype), name
    contracts = results.contracts
    assert contracts["first_delivery"].isna().any() and contracts["first_delivery"].notna().any()


def test_summary_and_run_directory_match_cli(default_world, tmp_path):
    results, out = default_world
    written_summary = json.loads((out / "summary.json").read_text())
    written_summary.pop("tables")  # sizes of the files, known only once they are written
    assert results.summary == written_summary
    written = results.to_dir(tmp_path / "python")
    for name in ["summary.json"] + [f"{table}.csv" for table in TABLES]:
        assert (written / name).read_bytes() == (out / name).read_bytes(), name


def test_to_dir_refuses_a_non_empty_directory(two_countries, tmp_path):
    results, _ = two_countries
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(ValueError, match="not empty"):
        results.to_dir(tmp_path)
    # force replaces only a previous run directory, never a folder of other files
    with pytest.raises(ValueError, match="not a previous run"):
        results.to_dir(tmp_path, force=True)
    assert (tmp_path / "keep.txt").read_text() == "mine"
    run_dir = tmp_path / "run"
    results.to_dir(run_dir)
    with pytest.raises(ValueError, match="not empty"):
        results.to_dir(run_dir)
    results.to_dir(run_dir, force=True)
    assert (run_dir / "summary.json").exists()


def test_same_seed_same_tables_other_seed_other_tables():
    first = doseflow.run(str(TWO_COUNTRIES), seed=11, set={"simulation.epidemic_mode": "stochastic"})
    again = doseflow.run(str(TWO_COUNTRIES), seed=11, set={"simulation.epidemic_mode": "stochastic"})
    other = doseflow.run(str(TWO_COUNTRIES), seed=12, set={"simulation.epidemic_mode": "stochastic"})
    pd.testing.assert_frame_equal(first.timeseries, again.timeseries)
    assert not first.timeseries["value"].equals(other.timeseries["value"])


def test_countries_deaths_averted_add_up_to_the_summary(default_world):
    results, _ = default_world
    countries = results.countries
    figures = results.summary["figures"]
    assert countries["deaths"].sum() == pytest.approx(figures["deaths"], rel=1e-9)
    assert countries["deaths_averted"].sum() == pytest.approx(figures["deaths_averted"], rel=1e-9, abs=1e-6)
    assert set(countries["income_group"].cat.categories) >= {"Low income", "High income"}
