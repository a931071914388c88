"""doseflow.ensemble: the CLI's ensemble from Python, independent of the thread count."""
import pandas as pd
import pytest

import doseflow
from conftest import SOURCE_DIR

UNCERTAIN = SOURCE_DIR / "tests" / "scenarios" / "two-countries-uncertain.toml"


def test_ensemble_frames_do_not_depend_on_threads(tmp_path):
    one = doseflow.ensemble(str(UNCERTAIN), members=4, threads=1, seed=5, days=20, out=tmp_path / "one")
    two = doseflow.ensemble(str(UNCERTAIN), members=4, threads=2, seed=5, days=20, out=tmp_path / "two")
    assert len(one.members) == 4
    assert {"q05", "q50", "q95", "mean"} <= set(one.quantiles.columns)
    assert one.summary["members"] == 4
    pd.testing.assert_frame_equal(one.members, two.members)
    assert (tmp_path / "one" / "quantiles.csv").read_bytes() == (tmp_path / "two" / "quantiles.csv").read_bytes()
    other = doseflow.ensemble(str(UNCERTAIN), members=4, seed=6, days=20)
    assert not other.members.equals(one.members)


def test_ensemble_refuses_bad_options(tmp_path):
    with pytest.raises(ValueError, match="members"):
        doseflow.ensemble(str(UNCERTAIN), members=0, days=5)
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(ValueError, match="not empty"):
        doseflow.ensemble(str(UNCERTAIN), members=2, days=5, out=tmp_path)
