"""Running a kloppy loader on uploaded bytes, with its failures turned into a coach's sentence.

kloppy raises whatever its parser meets (KeyError, ValueError, lxml's XMLSyntaxError,
DeserializationError ...) on a broken or partial file. `load` catches them all and raises
`ProviderFileError` naming the provider, the file and the problem, so an upload answers 422
and nothing is stored. XML with a DOCTYPE or an entity declaration is refused before kloppy
sees it (lxml would expand entities: no external files, no "billion laughs").
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections.abc import Callable
from typing import Any

from ..errors import EventDataError
from .kloppy_events import ReadResult, from_dataset
from .kloppy_turning import turn

__all__ = ["ProviderFileError", "load"]

# kloppy's own log lines may name players or teams of the file: only its errors are kept
logging.getLogger("kloppy").setLevel(logging.ERROR)

_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_MAX_REASON = 160


class ProviderFileError(EventDataError):
    """A provider's file that its reader cannot use (the message says which and why)."""


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, KeyError):
        text = f"the field {text} is missing"
    return text if len(text) <= _MAX_REASON else text[: _MAX_REASON - 3] + "..."


def _check_xml(raw: bytes, what: str) -> None:
    if _DECLARATION.search(raw[:65536]):
        raise ProviderFileError(
            f"The {what} declares a DOCTYPE or entities, which Spinta does not read."
        )


def _loaded(loader: Callable[..., Any], arguments: dict[str, Any], native: Any) -> Any:
    """The dataset in StatsBomb coordinates, its events with a team, turned to the acting team."""
    from kloppy.domain import Orientation  # imported when used: kloppy takes ~1 s to import

    if native is not None:
        return turn(loader(**arguments, coordinates=native.value), native)
    dataset = loader(**arguments, coordinates="statsbomb")
    # kloppy orients by the acting team, so events without a team are dropped first
    dataset = dataset.filter(lambda event: event.team is not None)
    if dataset.metadata.orientation != Orientation.ACTION_EXECUTING_TEAM:
        dataset = dataset.transform(to_orientation=Orientation.ACTION_EXECUTING_TEAM)
    return dataset


def load(
    provider: str,
    label: str,
    loader: Callable[..., Any],
    files: dict[str, tuple[bytes, str]],
    *,
    native: Any = None,
) -> ReadResult:
    """kloppy's `loader(**{argument: file})` on the given (bytes, description) files, mapped
    to the neutral match (`from_dataset`). ``native``: the provider (kloppy's ``Provider``)
    whose own coordinates kloppy loads untouched, to be converted and turned in one pass
    (`kloppy_turning.turn`, the same numbers)."""
    for raw, what in files.values():
        if raw.lstrip()[:1] == b"<":
            _check_xml(raw, what)
    arguments = {name: io.BytesIO(raw) for name, (raw, _) in files.items()}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            dataset = _loaded(loader, arguments, native)
    except EventDataError:
        raise
    except Exception as exc:  # kloppy's parsers raise anything on a broken file
        names = " and ".join(what for _, what in files.values())
        raise ProviderFileError(f"The {label} {names} could not be read: {_reason(exc)}.") from None
    try:
        return from_dataset(provider, dataset)
    except EventDataError:
        raise
    except Exception as exc:
        raise ProviderFileError(
            f"The {label} file has an event Spinta could not read: {_reason(exc)}."
        ) from None
