"""A coach's correction of a squad player (``PATCH /api/coach/players/{player_id}``)."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, pre_load, validate

from spinta.models import Player
from spinta.schemas.common import RequestSchema

# StatsBomb's position names, the ones uploads store (the plan generator groups each of them).
POSITIONS: tuple[str, ...] = (
    "Goalkeeper",
    "Right Back",
    "Right Center Back",
    "Center Back",
    "Left Center Back",
    "Left Back",
    "Right Wing Back",
    "Left Wing Back",
    "Right Defensive Midfield",
    "Center Defensive Midfield",
    "Left Defensive Midfield",
    "Right Midfield",
    "Right Center Midfield",
    "Center Midfield",
    "Left Center Midfield",
    "Left Midfield",
    "Right Wing",
    "Right Attacking Midfield",
    "Center Attacking Midfield",
    "Left Attacking Midfield",
    "Left Wing",
    "Right Center Forward",
    "Center Forward",
    "Left Center Forward",
    "Secondary Striker",
)
_BY_FOLDED = {" ".join(name.casefold().split()): name for name in POSITIONS}
_COLUMNS = Player.__table__.c
MAX_NAME = _COLUMNS.player_name.type.length
MAX_POSITION = _COLUMNS.position.type.length


class Position(fields.String):
    """One of :data:`POSITIONS`, compared case-insensitively and stored in its own spelling."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"enum": list(POSITIONS), **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        found = _BY_FOLDED.get(" ".join(text.casefold().split()))
        if found is None:
            raise ValidationError(f"Must be a StatsBomb position, e.g. {POSITIONS[3]!r}.")
        return found


class PlayerUpdateSchema(RequestSchema):
    """The fields to change, all optional (absent or null: unchanged). A name is trimmed and
    may not be blank; the jersey number is 0-99."""

    player_name = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(min=1, max=MAX_NAME)
    )
    jersey_number = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=0, max=99)
    )
    position = Position(
        load_default=None, allow_none=True, validate=validate.Length(max=MAX_POSITION)
    )

    @pre_load
    def _blank_is_none(self, data: Any, **kwargs: Any) -> Any:
        # A name sent blank is a mistake, not "unchanged" (other fields: "" means not given).
        if isinstance(data, dict):
            name = data.get("player_name")
            if isinstance(name, str) and not name.strip():
                raise ValidationError({"player_name": ["Must not be blank."]})
        return super()._blank_is_none(data, **kwargs)
