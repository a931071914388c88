# Type hints of the doseflow package (the docstrings are in __init__.py and _errors.py).
import datetime
import os
import pathlib
from typing import Any, Mapping, NamedTuple, Sequence, Union

import pandas as pd

__version__: str

Value = Union[bool, int, float, str, datetime.date, Sequence[Any], Mapping[str, Any]]
PathLike = Union[str, os.PathLike[str]]

class Problem(NamedTuple):
    file: str
    line: int
    column: int
    message: str
    severity: str

class ScenarioError(ValueError):
    problems: list[Problem]
    file: str
    line: int
    column: int
    message: str
    def __init__(self, problems: Sequence[Problem | tuple[str, int, int, str, str]]) -> None: ...

def parameters() -> pd.DataFrame: ...
def embedded_scenarios() -> list[str]: ...

class Scenario:
    @classmethod
    def load(cls, name_or_path: PathLike = "default-2021") -> Scenario: ...
    @classmethod
    def from_toml(cls, text: str, name: str = "<text>") -> Scenario: ...
    @property
    def name(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    @property
    def overrides(self) -> list[tuple[str, str]]: ...
    @property
    def warnings(self) -> list[str]: ...
    def set(self, path: str, value: Value) -> Scenario: ...
    def get(self, path: str) -> Value: ...
    def parameters(self) -> pd.DataFrame: ...
    def to_toml(self) -> str: ...

class Results:
    scenario: Scenario
    directory: pathlib.Path | None
    @property
    def timeseries(self) -> pd.DataFrame: ...
    @property
    def deliveries(self) -> pd.DataFrame: ...
    @property
    def contracts(self) -> pd.DataFrame: ...
    @property
    def events(self) -> pd.DataFrame: ...
    @property
    def diplomacy(self) -> pd.DataFrame: ...
    @property
    def countries(self) -> pd.DataFrame: ...
    @property
    def summary(self) -> dict[str, Any]: ...
    def summary_text(self) -> str: ...
    def to_dir(self, path: PathLike, *, force: bool = False) -> pathlib.Path: ...

def run(scenario: Scenario | PathLike | None = None, *, seed: int | None = 1, days: int | None = None,
        set: Mapping[str, Value] | None = None, counterfactual: bool = True) -> Results: ...

class Comparison:
    directory: pathlib.Path
    text: str
    vaccinations: pd.DataFrame
    deaths: pd.DataFrame
    deaths_monthly: pd.DataFrame
    deliveries: pd.DataFrame

def compare(results: Results, *, observed: PathLike | None = None) -> Comparison: ...
def report(results: Results, path: PathLike) -> pathlib.Path: ...

class Ensemble:
    directory: pathlib.Path
    members: pd.DataFrame
    quantiles: pd.DataFrame
    summary: dict[str, Any]

def ensemble(scenario: Scenario | PathLike | None = None, *, members: int, threads: int = 1, seed: int | None = None,
             days: int | None = None, set: Mapping[str, Value] | None = None, counterfactual: bool = True,
             out: PathLike | None = None, force: bool = False) -> Ensemble: ...
