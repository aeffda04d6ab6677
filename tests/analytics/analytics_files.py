"""Where the shared real StatsBomb files are, and how tests load them."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest

# <project root>/../shared/statsbomb, resolved from this file (tests/analytics/...)
STATSBOMB_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "statsbomb"

BARCELONA_ALAVES = "barcelona-alaves-2018-08-18.json"
ARGENTINA_MEXICO = "argentina-mexico-2022-11-26.json"
NETHERLANDS_ARGENTINA = "netherlands-argentina-2022-12-09.json"
ARGENTINA_CROATIA = "argentina-croatia-2022-12-13.json"
ALL_FILES = (BARCELONA_ALAVES, ARGENTINA_MEXICO, NETHERLANDS_ARGENTINA, ARGENTINA_CROATIA)


def statsbomb_path(name: str) -> Path:
    """Path of a shared file: skipped when absent locally, a failure when CI is set."""
    path = STATSBOMB_DIR / name
    if not path.is_file():
        reason = f"the shared StatsBomb file {path.resolve()} is not available"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (it is required in CI)")
        pytest.skip(reason)
    return path


@cache
def _load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def load_events(name: str) -> list[dict[str, Any]]:
    """The file's event list (shared and cached: do not mutate it)."""
    return _load(statsbomb_path(name))
