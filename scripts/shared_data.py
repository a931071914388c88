"""What the generator scripts of scripts/ share: whether the third-party data they derive from is at hand.

The data sits in ../shared/data beside a checkout (each folder with a README naming its sources and licences); the
derived tables are committed, so a checkout without it builds, runs and tests. A generator's --check then passes
with "skipped", and a generator asked to write fails with a message naming what is missing.
"""
from __future__ import annotations

import sys
from pathlib import Path


def missing(needed: Path, folder: Path, check: bool, what: str) -> int | None:
    """None where `needed` exists; else the exit status after saying so: 0 ("skipped") under --check, 2 otherwise."""
    if needed.exists():
        return None
    if check:
        print(f"skipped: ../shared/data not found ({folder})")
        return 0
    print(f"error: {folder} does not hold {what}", file=sys.stderr)
    return 2
