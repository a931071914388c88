"""Scenario loading, changes by path, errors with positions, the parameter registry, the GIL."""
import datetime
import json
import tomllib
import threading
import time

import pytest

import doseflow
from conftest import TWO_COUNTRIES

BROKEN = """format = 1
name = "broken"

[simulation]
start = 2021-01-01
end = 2021-03-31
seed = "seven"

[epidemic]
r0 = -4
"""


def test_load_embedded_and_file():
    default = doseflow.Scenario.load("default-2021")
    assert default.name == "default-2021"
    assert "default-2021" in doseflow.embedded_scenarios()
    small = doseflow.Scenario.load(TWO_COUNTRIES)
    assert small.name == "two-countries"
    assert tomllib.loads(small.to_toml())["name"] == "two-countries"


def test_errors_carry_every_problem_with_its_position():
    with pytest.raises(doseflow.ScenarioError) as caught:
        doseflow.Scenario.from_toml(BROKEN, "broken.toml")
    error = caught.value
    errors = [p for p in error.problems if p.severity == "error"]
    assert len(errors) >= 2
    by_line = {p.line: p for p in errors}
    assert 7 in by_line and 10 in by_line, error.problems
    assert by_line[7].file == "broken.toml" and by_line[7].column == 8
    assert "seed" in by_line[7].message or "integer" in by_line[7].message
    assert by_line[10].column == 6
    assert (error.file, error.line, error.column) == (errors[0].file, errors[0].line, errors[0].column)
    assert "broken.toml:7:8: error:" in str(error)
    assert isinstance(error, ValueError)


def test_missing_file_is_a_scenario_error(tmp_path):
    with pytest.raises(doseflow.ScenarioError) as caught:
        doseflow.Scenario.load(tmp_path / "absent.toml")
    assert "absent.toml" in caught.value.file


def test_set_checks_at_once_and_leaves_the_scenario_unchanged_on_error():
    scenario = doseflow.Scenario.load(TWO_COUNTRIES)
    before = scenario.sha256
    with pytest.raises(doseflow.ScenarioError) as caught:
        scenario.set("epidemic.r0", -1)
    assert caught.value.problems and "r0" in str(caught.value)
    with pytest.raises(doseflow.ScenarioError) as caught:
        scenario.set("epidemic.rnought", 3)
    assert "r0" in str(caught.value)  # suggests the parameter meant
    assert scenario.sha256 == before and scenario.overrides == []
    assert scenario.set("epidemic.r0", 3.25) is scenario
    assert scenario.sha256 != before
    assert scenario.overrides == [("epidemic.r0", "3.25")]
    assert tomllib.loads(scenario.to_toml())["epidemic"]["r0"] == 3.25


def test_set_takes_python_values():
    scenario = doseflow.Scenario.load(TWO_COUNTRIES)
    import datetime
    scenario.set("simulation.end", datetime.date(2021, 3, 31))
    scenario.set("simulation.epidemic_mode", "stochastic")
    assert tomllib.loads(scenario.to_toml())["simulation"]["end"] == datetime.date(2021, 3, 31)
    assert doseflow.run(scenario).summary["manifest"]["days"] == 90
    with pytest.raises(TypeError):
        scenario.set("epidemic.r0", object())


def test_run_rejects_bad_days():
    with pytest.raises(ValueError, match="days"):
        doseflow.run(str(TWO_COUNTRIES), days=0)


def test_parameters_are_the_registry_of_the_cli(cli):
    frame = doseflow.Scenario.load(TWO_COUNTRIES).parameters()
    for column in ["path", "unit", "default", "range", "help", "source"]:
        assert column in frame.columns
    listed = json.loads(cli("params", "--json").stdout)
    paths = [entry["path"] for entry in (listed if isinstance(listed, list) else listed["parameters"])]
    assert list(frame["path"]) == paths
    r0 = frame.set_index("path").loc["epidemic.r0"]
    assert r0["default"] != "" and r0["range"] != ""


def test_the_gil_is_released_while_simulating():
    # While a run works in another thread, this thread keeps running Python: the longest pause it sees must be
    # far shorter than the run (holding the GIL would stall it for the whole run).
    finished = threading.Event()
    started = time.perf_counter()

    def work():
        for _ in range(5):  # long enough to tell on a fast machine
            doseflow.run(str(TWO_COUNTRIES), counterfactual=False)
        finished.set()

    worker = threading.Thread(target=work)
    worker.start()
    longest, last, ticks = 0.0, time.perf_counter(), 0
    while not finished.is_set():
        now = time.perf_counter()
        longest, last, ticks = max(longest, now - last), now, ticks + 1
    worker.join()
    elapsed = time.perf_counter() - started
    assert elapsed > 0.05, "the run is too short to tell"
    assert ticks > 1000 and longest < 0.5 * elapsed, (ticks, longest, elapsed)


def test_get_reads_what_set_wrote_and_defaults():
    scenario = doseflow.Scenario.load("default-2021")
    assert scenario.get("epidemic.history_start") == datetime.date(2020, 2, 1)
    scenario.set("epidemic.r0", 1.7)
    assert scenario.get("epidemic.r0") == 1.7
    with pytest.raises(ValueError, match="no parameter"):
        scenario.get("epidemic.no_such_value")
