"""Errors raised for event files that cannot be analysed.

Every message is one sentence a coach can act on; the upload API shows it as is.
"""

from __future__ import annotations

__all__ = [
    "ClubNotFoundError",
    "EmptyEventsError",
    "EventDataError",
    "LineupError",
    "MalformedEventError",
    "NotAListError",
    "TeamsError",
]


class EventDataError(ValueError):
    """Base class: the event data cannot be analysed (the message says why)."""


class NotAListError(EventDataError):
    """The file is not a JSON array of events."""


class EmptyEventsError(EventDataError):
    """The file contains no events."""


class MalformedEventError(EventDataError):
    """One event is not an object or lacks a required field."""


class TeamsError(EventDataError):
    """The events do not name exactly two teams."""


class LineupError(EventDataError):
    """The Starting XI events are missing, duplicated or incomplete."""


class ClubNotFoundError(EventDataError):
    """No team in the file is the club (or the club name matches both teams)."""
