"""doseflow: a simulator of the 2021 global COVID-19 vaccine supply system, from Python.

    import doseflow
    results = doseflow.run(days=90)                      # the embedded default-2021 world
    results.deliveries.groupby("product").doses.sum()

    what_if = doseflow.Scenario.load("default-2021")
    what_if.set("contracts.gtm_sputnik_v.doses", 2e6)    # any parameter, by its path
    doseflow.run(what_if, seed=3).summary["figures"]["deaths_averted"]

A Scenario describes a world, `run` simulates it and returns Results, whose tables are pandas DataFrames with
the same rows and columns as the CLI's run directory (docs/report.md). Type hints: __init__.pyi.
"""
from __future__ import annotations

import datetime as _datetime
import json as _json
import math as _math
import numbers as _numbers
import os as _os
import pathlib as _pathlib
import shutil as _shutil
import tempfile as _tempfile
import tomllib as _tomllib
import weakref as _weakref

import numpy as _np
import pandas as _pd

from . import _core
from ._errors import Problem, ScenarioError

__version__ = _core.__version__
__all__ = ["Scenario", "ScenarioError", "Problem", "Results", "Comparison", "run", "compare", "report",
           "parameters", "embedded_scenarios"]

_DAYS_LIMIT = 36500  # as the CLI's --days


def _toml_value(value) -> str:
    """The TOML text of a Python value, for an override (what --set PATH=VALUE takes)."""
    if isinstance(value, _np.generic):
        value = value.item()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _numbers.Integral):
        return str(int(value))
    if isinstance(value, _numbers.Real):
        number = float(value)
        if _math.isnan(number):
            return "nan"
        if _math.isinf(number):
            return "inf" if number > 0 else "-inf"
        return repr(number)
    if isinstance(value, str):
        return _json.dumps(value, ensure_ascii=False)  # JSON's escapes are all valid in a TOML basic string
    if isinstance(value, _datetime.datetime):
        raise TypeError("doseflow parameters take dates, not date-times: pass datetime.date or 'YYYY-MM-DD'")
    if isinstance(value, _datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_json.dumps(str(k))} = {_toml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple, _np.ndarray)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write a {type(value).__name__} as a scenario value; use a bool, number, text, "
                    "date, or a list or dict of them")


def _frame(table) -> _pd.DataFrame:
    """A DataFrame from the columns the C++ side hands over as numpy arrays (no Python object per value)."""
    data = {}
    for name, kind, values, levels in table["columns"]:
        if kind == "number":
            data[name] = values
        elif kind == "date":
            # int64 days since 1970; the smallest int64 is numpy's NaT (an empty CSV field)
            data[name] = values.view("datetime64[D]").astype("datetime64[ns]")
        else:
            data[name] = _pd.Categorical.from_codes(values, categories=_pd.Index(levels, dtype=object))
    return _pd.DataFrame(data)


def parameters() -> _pd.DataFrame:
    """Every scenario parameter: path, type, unit, default (TOML text), range, help and source.

    The same registry as `doseflow params` and docs/parameters.md. Paths with ``[]`` name the entries of an array
    of tables (``contracts[].doses``); in ``Scenario.set`` and ``get`` an entry is named by its key instead
    (``contracts.gtm_sputnik_v.doses``).
    """
    return _pd.DataFrame(_core.parameters())


def embedded_scenarios() -> list[str]:
    """Names of the scenarios compiled into doseflow (``Scenario.load`` takes them, as does the CLI)."""
    return list(_core.embedded_scenarios())


class Scenario:
    """A validated description of a world to simulate: a scenario file or embedded name plus changes by path.

    Load one with ``Scenario.load``; ``set`` changes one value and checks the result at once (a bad value raises
    ScenarioError and leaves the scenario as it was). The changes are kept as PATH=VALUE overrides, as the CLI's
    ``--set`` takes them, so a run of this scenario is the same as ``doseflow run SCENARIO --set ...``.
    """

    def __init__(self, loaded):
        """Use ``Scenario.load`` or ``Scenario.from_toml``."""
        self._loaded = loaded

    @classmethod
    def load(cls, name_or_path: str | _os.PathLike = "default-2021") -> "Scenario":
        """Loads a scenario file (.toml) or an embedded scenario by name (see ``embedded_scenarios()``).

        A path that exists is read as a file; otherwise an embedded name; otherwise the missing file is reported.
        Raises ScenarioError with every problem found, each with file, line and column.
        """
        return cls(_core.load(_os.fspath(name_or_path), []))

    @classmethod
    def from_toml(cls, text: str, name: str = "<text>") -> "Scenario":
        """Loads a scenario from TOML text; ``name`` stands for the file in messages."""
        return cls(_core.from_text(text, name))

    @property
    def name(self) -> str:
        """The scenario's name (``name`` in its file)."""
        return self._loaded.name

    @property
    def sha256(self) -> str:
        """SHA-256 of the merged document (after extends and overrides) in canonical TOML form."""
        return self._loaded.sha256

    @property
    def overrides(self) -> list[tuple[str, str]]:
        """The changes made with ``set``, as (path, TOML value text) pairs in order."""
        return list(self._loaded.overrides)

    @property
    def warnings(self) -> list[str]:
        """Warnings found while loading, as ``file:line:column: warning: message`` lines."""
        return list(self._loaded.warnings)

    def set(self, path: str, value) -> "Scenario":
        """Changes one value by its dotted path and checks the scenario again; returns the scenario itself.

        Paths are those of ``doseflow params`` with entries of arrays of tables named by their key:
        ``set("epidemic.r0", 3)``, ``set("contracts.gtm_sputnik_v.doses", 2e6)``. ``value`` is a bool, number,
        text, ``datetime.date``, or a list or dict of them. Raises ScenarioError (the scenario is unchanged) when
        the path is unknown or the value is out of range.
        """
        if not isinstance(path, str) or not path:
            raise TypeError("path must be a non-empty dotted path such as 'epidemic.r0'")
        overrides = self.overrides + [(path, _toml_value(value))]
        self._loaded = _core.reload(self._loaded, overrides)
        return self

    def get(self, path: str):
        """The value at a dotted path (as ``set`` takes it): the scenario's own value or the parameter's declared
        default, as a Python value (bool, int, float, str, ``datetime.date``, or a list or dict of them). Raises
        ValueError when the path names no parameter."""
        text = _core.get(self._loaded, path)
        return _tomllib.loads("value = " + text)["value"]

    def parameters(self) -> _pd.DataFrame:
        """Every parameter a scenario can set (the same as ``doseflow.parameters()``)."""
        return parameters()

    def to_toml(self) -> str:
        """The merged scenario (extends resolved, changes applied) as canonical TOML text."""
        return self._loaded.canonical_toml

    def __repr__(self) -> str:
        return f"<doseflow.Scenario {self.name!r}, {len(self._loaded.overrides)} change(s)>"


class Results:
    """What a run produced. Tables are pandas DataFrames with the columns of the run directory's CSV files
    (docs/report.md): dates as datetime64, texts as categoricals, empty fields as NaN/NaT.

    ``summary`` is summary.json as a dict (``manifest`` and ``figures``); ``to_dir`` writes the run directory the
    CLI writes.
    """

    def __init__(self, run, scenario: Scenario):
        self._run = run
        self._tables: dict[str, _pd.DataFrame] = {}
        self.scenario = scenario
        self.directory: _pathlib.Path | None = None

    def _table(self, name: str) -> _pd.DataFrame:
        if name not in self._tables:
            self._tables[name] = _frame(self._run.table(name))
        return self._tables[name]

    @property
    def timeseries(self) -> _pd.DataFrame:
        """date, country, product, component, metric, value: per reporting period (weekly unless the scenario's
        simulation.output_resolution is "daily"); flows summed over the period, levels at its end."""
        return self._table("timeseries")

    @property
    def deliveries(self) -> _pd.DataFrame:
        """date, contract, kind, supplier, recipient, product, component, doses: every shipment that arrived."""
        return self._table("deliveries")

    @property
    def contracts(self) -> _pd.DataFrame:
        """One row per contract (the scenario's, then those signed during the run) with its ledger at the end."""
        return self._table("contracts")

    @property
    def events(self) -> _pd.DataFrame:
        """date, kind, supplier, recipient, contract, product, value, detail: what happened when."""
        return self._table("events")

    @property
    def diplomacy(self) -> _pd.DataFrame:
        """date, buyer, supplier, credibility, influence (every digit; diplomacy.csv rounds to 6)."""
        return self._table("diplomacy")

    @property
    def countries(self) -> _pd.DataFrame:
        """One row per country: code, name, income_group, population, people_dose1, people_full, deaths at the
        end and, when the run had its no-vaccination counterfactual, deaths_without_vaccination and
        deaths_averted."""
        return self._table("countries")

    @property
    def summary(self) -> dict:
        """summary.json as a dict: ``manifest`` (version, scenario, seed, days, options) and ``figures`` (the file's
        ``tables`` block, the sizes of the written tables, exists only in a written run directory)."""
        return {"manifest": _json.loads(self._run.manifest_json()), "figures": _json.loads(self._run.figures_json())}

    def summary_text(self) -> str:
        """The summary the CLI prints after a run."""
        return self._run.summary_text()

    def to_dir(self, path: str | _os.PathLike, *, force: bool = False) -> _pathlib.Path:
        """Writes the run directory the CLI writes (summary.json, timeseries.csv, deliveries.csv, contracts.csv,
        events.csv, diplomacy.csv), whole or not at all; refuses a non-empty directory, and with ``force`` replaces
        only a previous run directory (one holding summary.json). Returns the path."""
        directory = _pathlib.Path(path)
        self._run.write_directory(directory, force)
        self.directory = directory
        return directory

    def _directory(self) -> _pathlib.Path:
        """The run directory, written to a temporary one (removed with these Results) when none was written."""
        if self.directory is None:
            temporary = _tempfile.mkdtemp(prefix="doseflow-run-")
            _weakref.finalize(self, _shutil.rmtree, temporary, True)
            self.to_dir(temporary, force=True)
        return self.directory

    def __repr__(self) -> str:
        manifest = self.summary["manifest"]
        return (f"<doseflow.Results {manifest['scenario_name']!r}: {manifest['days']} days from "
                f"{manifest['start']}, seed {manifest['seed']}>")


def run(scenario: Scenario | str | _os.PathLike | None = None, *, seed: int | None = 1, days: int | None = None,
        set: dict | None = None, counterfactual: bool = True) -> Results:
    """Runs a scenario and returns its Results; the same as ``doseflow run SCENARIO --seed SEED --days DAYS
    --set PATH=VALUE...``.

    ``scenario``: a Scenario, a file or embedded name, or None for the embedded default-2021. ``seed`` sets
    simulation.seed (None keeps the scenario's). ``days`` runs that many days from the start. ``set`` maps paths to
    values, applied after the scenario's own changes. ``counterfactual`` also runs the world without vaccination
    for deaths averted (summary figures and the countries table). The simulation runs with the GIL released.
    Raises ScenarioError for an invalid scenario or change, ValueError for a bad ``days``.
    """
    if scenario is None:
        scenario = Scenario.load("default-2021")
    elif not isinstance(scenario, Scenario):
        scenario = Scenario.load(scenario)
    if days is not None:
        if isinstance(days, bool) or not isinstance(days, _numbers.Integral) or not 1 <= days <= _DAYS_LIMIT:
            raise ValueError(f"days must be a whole number from 1 to {_DAYS_LIMIT}, not {days!r}")
        days = int(days)
    changes = scenario.overrides + [(path, _toml_value(value)) for path, value in (set or {}).items()]
    overrides = list(changes)
    if seed is not None:
        if isinstance(seed, bool) or not isinstance(seed, _numbers.Integral):
            raise ValueError(f"seed must be a whole number, not {seed!r}")
        overrides.append(("simulation.seed", str(int(seed))))
    loaded = _core.reload(scenario._loaded, overrides) if overrides != scenario.overrides else scenario._loaded
    texts = [f"{path}={value}" for path, value in changes]
    return Results(_core.run(loaded, days, counterfactual, texts), Scenario(loaded))


class Ensemble:
    """What ``doseflow ensemble`` writes: ``members`` (members.csv: each member's drawn values and key figures),
    ``quantiles`` (quantiles.csv: q05, q25, q50, q75, q95 and the mean of each series point) and ``summary``
    (summary.json: the key figures with their intervals, the design and the uncertainties); ``directory`` holds
    the files. Method: docs/uncertainty.md."""

    def __init__(self, directory: _pathlib.Path):
        self.directory = directory
        self.members = _pd.read_csv(directory / "members.csv")
        self.quantiles = _pd.read_csv(directory / "quantiles.csv", parse_dates=["date"])
        self.summary = _json.loads((directory / "summary.json").read_text())


def ensemble(scenario: Scenario | str | _os.PathLike | None = None, *, members: int, threads: int = 1,
             seed: int | None = None, days: int | None = None, set: dict | None = None, counterfactual: bool = True,
             out: str | _os.PathLike | None = None, force: bool = False) -> Ensemble:
    """Runs an ensemble of the scenario's ``[[uncertainty]]`` values drawn by Latin hypercube, as ``doseflow
    ensemble SCENARIO --members N --threads T --seed S --days D --set PATH=VALUE... --out DIR`` does; the members run
    on ``threads`` threads with the GIL released and the result does not depend on their number. ``out`` is the
    folder to write (a temporary one, removed with the Ensemble, when None). Raises ScenarioError for an invalid
    scenario or change, ValueError for bad options or a non-empty ``out`` without ``force``."""
    if scenario is None:
        scenario = Scenario.load("default-2021")
    elif not isinstance(scenario, Scenario):
        scenario = Scenario.load(scenario)
    for name, value, low in (("members", members, 1), ("threads", threads, 1)):
        if isinstance(value, bool) or not isinstance(value, _numbers.Integral) or value < low:
            raise ValueError(f"{name} must be a whole number of at least {low}, not {value!r}")
    if days is not None and (isinstance(days, bool) or not isinstance(days, _numbers.Integral)
                             or not 1 <= days <= _DAYS_LIMIT):
        raise ValueError(f"days must be a whole number from 1 to {_DAYS_LIMIT}, not {days!r}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, _numbers.Integral) or seed < 0):
        raise ValueError(f"seed must be a whole number of at least 0, not {seed!r}")
    changes = scenario.overrides + [(path, _toml_value(value)) for path, value in (set or {}).items()]
    loaded = _core.reload(scenario._loaded, changes) if changes != scenario.overrides else scenario._loaded
    temporary = out is None
    directory = _pathlib.Path(_tempfile.mkdtemp(prefix="doseflow-ensemble-")) / "ensemble" if temporary \
        else _pathlib.Path(out)
    _core.ensemble(loaded, int(members), int(threads), None if seed is None else int(seed),
                   None if days is None else int(days), directory, force, counterfactual)
    result = Ensemble(directory)
    if temporary:
        _weakref.finalize(result, _shutil.rmtree, str(directory.parent), True)
    return result


class Comparison:
    """A run against the record, as ``doseflow compare`` computes it: ``vaccinations`` (compare.csv: people
    vaccinated and doses by manufacturer against Our World in Data), ``deaths`` (compare_deaths.csv: per country,
    income group and year against WHO excess and JHU reported deaths), ``deaths_monthly``
    (compare_deaths_monthly.csv) and ``deliveries`` (compare_deliveries.csv: against published delivery figures);
    ``text`` is what the CLI prints. Method: docs/report.md."""

    def __init__(self, directory: _pathlib.Path, text: str):
        self.directory = directory
        self.text = text
        self.vaccinations = _pd.read_csv(directory / "compare.csv")
        self.deaths = _pd.read_csv(directory / "compare_deaths.csv")
        self.deaths_monthly = _pd.read_csv(directory / "compare_deaths_monthly.csv")
        self.deliveries = _pd.read_csv(directory / "compare_deliveries.csv")

    def __str__(self) -> str:
        return self.text


def compare(results: Results, *, observed: str | _os.PathLike | None = None) -> Comparison:
    """Compares a run with observed vaccinations, deaths and deliveries (tables embedded in doseflow, or OWID's
    vaccinations.csv in the folder ``observed``). Writes compare*.csv into the run directory (a temporary one
    unless ``to_dir`` was called). Needs a run that covers whole months for the deaths."""
    directory = results._directory()
    text = _core.compare(directory, None if observed is None else _pathlib.Path(observed))
    return Comparison(directory, text)


def report(results: Results, path: str | _os.PathLike) -> _pathlib.Path:
    """Writes the self-contained HTML report of ``doseflow report`` (charts that open offline) to ``path``."""
    html = _pathlib.Path(path)
    _core.report(results._directory(), html)
    return html
