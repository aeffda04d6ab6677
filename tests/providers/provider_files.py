"""kloppy's own test files for each provider, read from the installed kloppy package.

kloppy's wheel ships its test files (kloppy/tests/files, BSD-3-Clause like kloppy, see
kloppy's LICENSE in its dist-info); nothing is copied into this repository and nothing is
fetched. Each case: (provider, events file, meta file or None).
"""

from __future__ import annotations

import io
from pathlib import Path

import kloppy

FILES = Path(kloppy.__file__).parent / "tests" / "files"

CASES = {
    "wyscout_v2": ("wyscout", "wyscout_events_v2.json", None),
    "wyscout_v3": ("wyscout", "wyscout_events_v3.json", None),
    "opta": ("opta", "opta_f24.xml", "opta_f7.xml"),
    "statsperform_json": (
        "statsperform",
        "statsperform_event_ma3.json",
        "statsperform_event_ma1.json",
    ),
    "statsperform_xml": (
        "statsperform",
        "statsperform_event_ma3.xml",
        "statsperform_event_ma1.xml",
    ),
    "sportec": ("sportec", "sportec_events.xml", "sportec_meta.xml"),
    "metrica": ("metrica", "metrica_events.json", "epts_metrica_metadata.xml"),
    "impect": ("impect", "impect_events.json", "impect_lineups.json"),
    "datafactory": ("datafactory", "datafactory_events.json", None),
}


def read(name: str) -> bytes:
    return (FILES / name).read_bytes()


def case_bytes(case: str) -> tuple[str, bytes, bytes | None]:
    provider, events, meta = CASES[case]
    return provider, read(events), read(meta) if meta else None


def kloppy_dataset(case: str, events: bytes | None = None, meta: bytes | None = None):
    """kloppy's own reading of a case (the reference for the counts), or of other bytes of
    the case's provider (bench/providers.py's enlarged files)."""
    from kloppy import datafactory, impect, metrica, opta, sportec, statsperform, wyscout

    provider, bundled, bundled_meta = case_bytes(case)
    if events is None:
        events, meta = bundled, bundled_meta
    e, m = io.BytesIO(events), io.BytesIO(meta) if meta else None
    loaders = {
        "wyscout": lambda: wyscout.load(event_data=e),
        "opta": lambda: opta.load(f24_data=e, f7_data=m),
        "statsperform": lambda: statsperform.load_event(ma3_data=e, ma1_data=m),
        "sportec": lambda: sportec.load_event(event_data=e, meta_data=m),
        "metrica": lambda: metrica.load_event(event_data=e, meta_data=m),
        "impect": lambda: impect.load(event_data=e, lineup_data=m),
        "datafactory": lambda: datafactory.load(event_data=e),
    }
    return loaders[provider]()
