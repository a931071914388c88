"""Shared set-up of the Python package tests (run by ctest as python.pytest in the test host, see
python/CMakeLists.txt; they need DOSEFLOW_CLI, the command line to compare with)."""
import os
import pathlib
import subprocess

import pytest

SOURCE_DIR = pathlib.Path(os.environ.get("DOSEFLOW_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
TWO_COUNTRIES = SOURCE_DIR / "tests" / "scenarios" / "two-countries.toml"
# Under AddressSanitizer a run is several times slower: the tests then run the default world for fewer days.
SANITIZED = os.environ.get("DOSEFLOW_SANITIZED") == "1"


@pytest.fixture(scope="session")
def cli():
    """Runs the doseflow command line built alongside the package; returns the completed process."""
    path = os.environ.get("DOSEFLOW_CLI")
    if not path:
        pytest.fail("DOSEFLOW_CLI is not set: run these tests through ctest (make test)")

    def run(*args, check=True):
        done = subprocess.run([path, *map(str, args)], capture_output=True, text=True, encoding="utf-8")
        if check and done.returncode != 0:
            raise AssertionError(f"doseflow {' '.join(map(str, args))} failed ({done.returncode}):\n{done.stderr}")
        return done

    return run
