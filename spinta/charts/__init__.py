"""Charts of a match and of a player's season, drawn from neutral events (analytics.domain).

Pure: no Flask, no database. `spinta.charts.data` picks what a chart shows from a neutral
`Match` (standard library only, cheap to import); `spinta.charts.render` draws it with
mplsoccer on matplotlib's Agg backend and is imported only when a chart is drawn, so matplotlib
(about a second to import) stays off the path of every other endpoint.

Every chart is deterministic: the same data gives the same bytes (fixed SVG hash salt, no date
or software metadata), so a cache and an ETag stay stable and tests can compare outputs.
Markers carry SVG ids tests can count: ``shot-N`` (one per shot), ``node-N`` (one per starter
of a pass network), ``pass-N`` (one per pass of a player's pass chart), ``zone-N`` (the 96
zones of the xT-by-zone chart, row by row).
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "DEFAULT_WIDTH",
    "FORMATS",
    "MATCH_KINDS",
    "MAX_WIDTH",
    "MEDIA_TYPES",
    "MIN_WIDTH",
    "PLAYER_MATCH_KINDS",
]

MATCH_KINDS: Final = ("shot-map", "pass-network", "xg-race", "xt-by-zone")
PLAYER_MATCH_KINDS: Final = ("heatmap", "passes", "shots")
FORMATS: Final = ("svg", "png")
# "print": an opaque PNG for a PDF page (spinta.reports), never asked for over HTTP.
MEDIA_TYPES: Final = {"svg": "image/svg+xml", "png": "image/png", "print": "image/png"}
MIN_WIDTH: Final = 200
MAX_WIDTH: Final = 2000
DEFAULT_WIDTH: Final = 800
