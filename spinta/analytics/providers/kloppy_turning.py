"""kloppy's two coordinate passes over a loaded event dataset, done as one pass in place.

`kloppy_loading.load` asks kloppy for StatsBomb coordinates and then for the acting team's
orientation: kloppy converts each point while it parses, copying each event
(``dataclasses.replace``, two coordinate-system comparisons per event), then copies every turned
event again. For a provider whose native coordinates kloppy leaves untouched, `turn` does both
steps on the loaded events with kloppy's own point functions in the same order (its conversion
to StatsBomb, then its flip where its rule says so), so every number is the one kloppy's passes
give, without the copies: on Metrica's file enlarged to ~3,500 events that pass was a third of
the upload.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

__all__ = ["StatsBombPoints", "turn"]

_COORDINATES: dict[type, tuple[str, ...]] = {}  # event class -> its coordinate fields


def _coordinate_fields(event: Any) -> tuple[str, ...]:
    names = _COORDINATES.get(type(event))
    if names is None:
        names = tuple(f.name for f in fields(event) if f.name.endswith("coordinates"))
        _COORDINATES[type(event)] = names
    return names


class _Axis:
    """One axis of kloppy's ``to_metric_base`` (the pitch's zones onto IFAB's) and
    ``from_metric_base`` (IFAB's onto the target's), with the zones, lengths and scales it
    computes for every point computed once by kloppy's own methods; each point then takes
    the same float operations in the same order."""

    def __init__(self, source: tuple, ifab: tuple, target: tuple) -> None:
        (self.source, self.source_length), (self.ifab, self.ifab_length) = source, ifab
        self.target, self.target_length = target
        self.half = self.ifab_length / 2
        self.to_scales = [_scale(i, s) for i, s in zip(self.ifab, self.source, strict=True)]
        self.from_scales = [_scale(t, i) for t, i in zip(self.target, self.ifab, strict=True)]

    def to_ifab(self, v: float) -> float:
        zones, ifab = self.source, self.ifab
        mirror = v > zones[-1][1]
        if mirror:
            v = self.source_length - (v - zones[0][0]) + zones[0][0]
        for index, (low, high) in enumerate(zones):
            if low <= v <= high:
                v = ifab[index][0] + (v - low) * _scaled(self.to_scales[index], ifab, zones, index)
                break
        else:
            v = ifab[0][0] + (v - zones[0][0]) * (self.ifab_length / self.source_length)
        return self.ifab_length - v if mirror else v

    def from_ifab(self, v: float) -> float:
        zones, target = self.ifab, self.target
        mirror = v > self.half
        if mirror:
            v = self.ifab_length - v
        for index, (low, high) in enumerate(zones):
            if low <= v <= high:
                scale = _scaled(self.from_scales[index], target, zones, index)
                v = target[index][0] + (v - low) * scale
                break
        else:
            v = target[0][0] + (v - zones[0][0]) * (self.target_length / self.ifab_length)
        return (self.target_length + target[0][0] - v) + target[0][0] if mirror else v


def _scale(upper: tuple, lower: tuple) -> float | None:
    """kloppy's zone scale (length in ``upper`` / length in ``lower``); None where it divides
    by zero, so that a point in that zone raises as kloppy's own code does."""
    try:
        return (upper[1] - upper[0]) / (lower[1] - lower[0])
    except ZeroDivisionError:
        return None


def _scaled(scale: float | None, upper: list, lower: list, index: int) -> float:
    if scale is None:
        return (upper[index][1] - upper[index][0]) / (lower[index][1] - lower[index][0])
    return scale


class StatsBombPoints:
    """kloppy's point conversion of a transformer (``__change_point_coordinate_system``:
    ``to_metric_base``, a vertical flip where the orientations differ, ``from_metric_base``)
    with the per-point set-up done once: a third of a Metrica upload was that set-up."""

    def __init__(self, converter: Any) -> None:
        from kloppy.domain import MetricPitchDimensions
        from kloppy.domain.models.pitch import DEFAULT_PITCH_LENGTH, DEFAULT_PITCH_WIDTH, Dimension

        source, target = converter._from_pitch_dimensions, converter._to_pitch_dimensions
        length = source.pitch_length or DEFAULT_PITCH_LENGTH
        width = source.pitch_width or DEFAULT_PITCH_WIDTH
        ifab = MetricPitchDimensions(
            x_dim=Dimension(0, length),
            y_dim=Dimension(0, width),
            pitch_length=length,
            pitch_width=width,
            standardized=False,
        )
        self.x = _Axis(
            _zones(source, "x"), (ifab._transformation_zones_x(length), length), _zones(target, "x")
        )
        self.y = _Axis(
            _zones(source, "y"), (ifab._transformation_zones_y(width), width), _zones(target, "y")
        )
        self.width = width
        self.flip_y = (
            converter._from_coordinate_system.vertical_orientation
            != converter._to_coordinate_system.vertical_orientation
        )
        self.source_goal, self.target_goal = source.goal_height, target.goal_height

    def __call__(self, point: Any) -> Any:
        from kloppy.domain import Point, Point3D

        y = self.y.to_ifab(point.y)
        if self.flip_y:
            y = self.width - y
        x, y = self.x.from_ifab(self.x.to_ifab(point.x)), self.y.from_ifab(y)
        if not isinstance(point, Point3D):
            return Point(x=x, y=y)
        z = point.z
        if z is not None and self.source_goal is not None:
            z = z * 2.44 / self.source_goal
        if z is not None and self.target_goal is not None:
            z = z * self.target_goal / 2.44
        return Point3D(x=x, y=y, z=z)


def _zones(dimensions: Any, axis: str) -> tuple[list, float]:
    """A pitch's zones along an axis and its length, as kloppy computes them per point."""
    dim = dimensions.x_dim if axis == "x" else dimensions.y_dim
    if dim.min is None or dim.max is None:
        from kloppy.exceptions import MissingDimensionError

        raise MissingDimensionError(
            "The pitch boundaries need to be fully specified to convert coordinates."
        )
    length = dim.max - dim.min
    zones = getattr(dimensions, f"_transformation_zones_{axis}")(length)
    return zones, length


def _transformers(dataset: Any, provider: Any) -> tuple[Any, Any]:
    """kloppy's converter to StatsBomb (what ``coordinates="statsbomb"`` builds for the
    provider's pitch) and its turner to the acting team's orientation (what ``transform``
    builds on the converted dataset)."""
    from kloppy.domain import DatasetTransformer, DatasetType, Orientation
    from kloppy.domain.services.transformers.dataset import DatasetTransformerBuilder

    native = dataset.metadata.coordinate_system
    converter = DatasetTransformerBuilder("statsbomb").build(
        provider=provider,
        dataset_type=DatasetType.EVENT,
        pitch_length=native.pitch_length,
        pitch_width=native.pitch_width,
    )
    target = converter.get_to_coordinate_system()
    turner = DatasetTransformer(
        from_coordinate_system=target,
        from_orientation=dataset.metadata.orientation,
        to_coordinate_system=target,
        to_orientation=Orientation.ACTION_EXECUTING_TEAM,
    )
    return converter, turner


def turn(dataset: Any, provider: Any) -> Any:
    """The dataset's events with a team, in StatsBomb coordinates and turned so the acting
    team attacks left to right: what ``load(coordinates="statsbomb")``, ``filter`` (events
    with a team) and ``transform(to_orientation=ACTION_EXECUTING_TEAM)`` give."""
    from kloppy.domain import Orientation

    dataset = dataset.filter(lambda event: event.team is not None)
    converter, turner = _transformers(dataset, provider)
    convert = StatsBombPoints(converter)
    must_turn = dataset.metadata.orientation != Orientation.ACTION_EXECUTING_TEAM
    needs_flip = turner._DatasetTransformer__needs_flip
    for event in dataset.records:
        flip = must_turn and needs_flip(
            period=event.period,
            ball_owning_team=event.ball_owning_team,
            action_executing_team=event.team,
        )
        for name in _coordinate_fields(event):
            point = getattr(event, name)
            if point:
                point = convert(point)
                setattr(event, name, turner.flip_point(point) if flip else point)
        if event.freeze_frame:  # as kloppy's two passes turn it (none in Metrica's events)
            frame = converter.transform_frame(event.freeze_frame)
            event.freeze_frame = turner.transform_frame(frame)
    target = converter.get_to_coordinate_system()
    dataset.metadata = replace(
        dataset.metadata,
        coordinate_system=target,
        pitch_dimensions=target.pitch_dimensions,
        orientation=Orientation.ACTION_EXECUTING_TEAM,  # also when it already was
    )
    return dataset
