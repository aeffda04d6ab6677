"""Fixtures for the analytics tests."""

from __future__ import annotations

import pytest
from analytics_files import load_events as _load_events


@pytest.fixture
def load_events():
    """load_events(name) -> the file's event list; skipped (or failed in CI) when absent."""
    return _load_events
