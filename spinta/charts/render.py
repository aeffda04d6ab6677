"""Drawing with mplsoccer on matplotlib's Agg backend (imported only when a chart is drawn).

No pyplot: each chart is its own `Figure` (no global state, safe on threads), saved with fixed
metadata and SVG hash salt so equal data gives equal bytes.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from mplsoccer import Pitch, Radar
from PIL import Image

from spinta.charts.data import Network, PassLine, ShotPoint

OURS = "#1d4ed8"
THEIRS = "#b91c1c"
GRASS = "#f8fafc"
LINES = "#64748b"
GOAL = "#f59e0b"
INK = "#0f172a"
_RC = {
    "svg.hashsalt": "spinta",  # ids of clip paths and markers: the same on every run
    "svg.fonttype": "none",  # text stays text (smaller, selectable in the PDF report)
    "font.family": "DejaVu Sans",
    "path.simplify": True,
}
_METADATA = {
    "svg": {"Date": None, "Creator": None, "Format": None, "Type": None},
    "png": {"Software": None},
}


def _figure(width: int, ratio: float) -> Figure:
    return Figure(figsize=(width / 100, width / 100 * ratio), dpi=100, facecolor="white")


def _save(figure: Figure, fmt: str, dpi: int = 100) -> bytes:
    """The figure as SVG, PNG or, for a printed page, "print": an opaque (RGB) PNG quickly
    compressed (a PDF keeps no alpha channel: WeasyPrint would split it out and encode the
    picture twice). ``dpi``: pixels per inch of the figure (100: as wide as ``width``)."""
    buffer = io.BytesIO()
    with rc_context(_RC):
        if fmt == "print":
            figure.set_dpi(dpi)
            canvas = FigureCanvasAgg(figure)
            canvas.draw()
            picture = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
            picture.convert("RGB").save(buffer, format="PNG", compress_level=1)
        else:
            figure.savefig(buffer, format=fmt, dpi=dpi, metadata=_METADATA[fmt], facecolor="white")
    return buffer.getvalue()


@functools.cache
def _pitch(lines_on_top: bool) -> Pitch:
    """The pitch (its settings only: `draw` changes nothing in it), built once a process: the
    constructor costs ~8 ms of every chart."""
    return Pitch(
        pitch_type="statsbomb",
        pitch_color=GRASS,
        line_color=LINES,
        linewidth=1,
        line_zorder=2 if lines_on_top else 0.9,
    )


def _pitch_axes(
    width: int, title: str, subtitle: str = "", *, lines_on_top: bool = False
) -> tuple[Figure, object, Pitch]:
    with rc_context(_RC):
        figure = _figure(width, 0.74)
        ax = figure.add_axes((0.02, 0.02, 0.96, 0.84))
        pitch = _pitch(lines_on_top)
        pitch.draw(ax=ax)
        figure.text(0.03, 0.94, title, fontsize=14, color=INK, weight="bold", va="center")
        if subtitle:
            figure.text(0.03, 0.885, subtitle, fontsize=9, color=LINES, va="center")
    return figure, ax, pitch


def _marker_size(xg: float | None, width: int) -> float:
    scale = (width / 800) ** 2
    return (60 + 1400 * (xg if xg is not None else 0.05)) * scale


def shot_map(
    shots: Sequence[ShotPoint], *, title: str, color: str, width: int, fmt: str, dpi: int = 100
) -> bytes:
    """One marker per shot (area = xG; filled and gold for goals), squares for penalties,
    crosses for own goals scored for the team."""
    taken = [s for s in shots if not s.own_goal]
    xg = sum(s.xg or 0 for s in taken)
    goals = sum(1 for s in shots if s.goal)
    subtitle = (
        f"{len(taken)} shots, {xg:.2f} xG, {goals} goals. Size = xG; \u25a0 penalty; x own goal"
    )
    figure, ax, pitch = _pitch_axes(width, title, subtitle)
    with rc_context(_RC):
        for n, shot in enumerate(taken):
            pitch.scatter(
                shot.x,
                shot.y,
                s=_marker_size(shot.xg, width),
                marker="s" if shot.penalty else "o",
                c=GOAL if shot.goal else "white",
                edgecolors=color,
                linewidths=1.5,
                alpha=0.9,
                zorder=3 if shot.goal else 2,
                ax=ax,
                gid=f"shot-{n}",
            )
        for n, shot in enumerate(s for s in shots if s.own_goal):
            pitch.scatter(
                shot.x,
                shot.y,
                s=_marker_size(0.3, width),
                marker="X",
                c=GOAL,
                edgecolors=INK,
                ax=ax,
                gid=f"own-goal-{n}",
                zorder=3,
            )
    return _save(figure, fmt, dpi)


def pass_network(
    network: Network, *, title: str, color: str, width: int, fmt: str, dpi: int = 100
) -> bytes:
    """Starters at their average positions (size = touches), lines weighted by completed passes."""
    total = sum(network.edges.values())
    subtitle = f"Starters' average positions; lines: {total} completed passes between them"
    figure, ax, pitch = _pitch_axes(width, title, subtitle)
    where = {node.player_id: node for node in network.nodes}
    heaviest = max(network.edges.values(), default=1)
    scale = width / 800
    with rc_context(_RC):
        for n, ((a, b), count) in enumerate(network.edges.items()):
            if a not in where or b not in where:
                continue
            # a plain line (mplsoccer's `lines` makes a collection a call: a third slower)
            ax.add_artist(
                Line2D(
                    (where[a].x, where[b].x),
                    (where[a].y, where[b].y),
                    lw=(0.5 + 7 * count / heaviest) * scale,
                    color=color,
                    alpha=0.25 + 0.6 * count / heaviest,
                    solid_capstyle="butt",
                    zorder=1,
                    gid=f"edge-{n}",
                )
            )
        most = max((node.touches for node in network.nodes), default=1)
        for n, node in enumerate(network.nodes):
            pitch.scatter(
                node.x,
                node.y,
                s=(250 + 700 * node.touches / most) * scale**2,
                c=color,
                edgecolors="white",
                linewidths=1.5,
                zorder=3,
                ax=ax,
                gid=f"node-{n}",
            )
            label = str(node.jersey_number) if node.jersey_number is not None else "?"
            pitch.annotate(
                label,
                (node.x, node.y),
                va="center",
                ha="center",
                color="white",
                fontsize=9 * scale,
                weight="bold",
                zorder=4,
                ax=ax,
            )
    return _save(figure, fmt, dpi)


def _cumulative(shots: Sequence[ShotPoint], end: float) -> tuple[list[float], list[float]]:
    minutes, totals, total = [0.0], [0.0], 0.0
    for shot in shots:
        minutes.append(shot.clock)
        totals.append(total)
        total += shot.xg or 0.0
        minutes.append(shot.clock)
        totals.append(total)
    minutes.append(max(end, minutes[-1]))
    totals.append(total)
    return minutes, totals


def xg_race(
    teams: Sequence[tuple[str, Sequence[ShotPoint], str]],
    *,
    title: str,
    width: int,
    fmt: str,
    dpi: int = 100,
) -> bytes:
    """Cumulative xG by minute for both teams, goals marked on their line."""
    end = max((s.clock for _, shots, _ in teams for s in shots), default=90.0)
    end = max(90.0, end)
    with rc_context(_RC):
        figure = _figure(width, 0.55)
        ax = figure.add_axes((0.11, 0.12, 0.85, 0.72))  # room for the y label
        for n, (name, shots, color) in enumerate(teams):
            minutes, totals = _cumulative(shots, end)
            ax.plot(minutes, totals, color=color, lw=2, label=name, gid=f"xg-line-{n}")
            goals = [(s.clock, totals[2 * i + 2]) for i, s in enumerate(shots) if s.goal]
            if goals:
                ax.scatter(
                    [g[0] for g in goals],
                    [g[1] for g in goals],
                    s=70,
                    c=GOAL,
                    edgecolors=color,
                    zorder=3,
                    gid=f"xg-goals-{n}",
                )
        ax.axvline(45, color=LINES, lw=0.6, ls="--")
        ax.set_xlim(0, end + 1)
        ax.set_ylim(bottom=0)
        ax.set_xlabel("minute")
        ax.set_ylabel("cumulative xG")
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="upper left", frameon=False)
        figure.text(0.03, 0.93, title, fontsize=14, color=INK, weight="bold", va="center")
    return _save(figure, fmt, dpi)


def heatmap(
    points: Sequence[tuple[float, float]], *, title: str, width: int, fmt: str, dpi: int = 100
) -> bytes:
    """Where the player touched the ball: counts on a 12 x 8 grid of the pitch."""
    subtitle = f"{len(points)} touches, attacking to the right"
    figure, ax, pitch = _pitch_axes(width, title, subtitle, lines_on_top=True)
    with rc_context(_RC):
        stats = pitch.bin_statistic(
            [p[0] for p in points] or [0.0],
            [p[1] for p in points] or [0.0],
            statistic="count",
            bins=(12, 8),
        )
        if not points:
            stats["statistic"] = stats["statistic"] * 0
        pitch.heatmap(
            stats, ax=ax, cmap="Blues", edgecolors=GRASS, vmin=0, alpha=0.9, gid="heatmap"
        )
    return _save(figure, fmt, dpi)


def xt_by_zone(
    cells: Sequence[Sequence[float]], *, title: str, width: int, fmt: str, dpi: int = 100
) -> bytes:
    """The xT gained from each zone of a 12 x 8 grid: green gained, red lost (the colour scale
    symmetric around 0), the value written in each zone that moved it by 0.01 or more."""
    rows, columns = len(cells), len(cells[0])
    total = sum(sum(row) for row in cells)
    subtitle = f"xT gained by completed passes and carries from each zone: {total:+.2f} in all"
    figure, ax, _pitch = _pitch_axes(width, title, subtitle, lines_on_top=True)
    high = max((abs(v) for row in cells for v in row), default=0.0) or 1.0
    colours = matplotlib.colormaps["RdYlGn"]
    dx, dy = 120 / columns, 80 / rows
    scale = width / 800
    shades = colours([0.5 + value / high / 2 for row in cells for value in row])
    with rc_context(_RC):
        for r, row in enumerate(cells):
            for c, value in enumerate(row):
                # add_artist, not add_patch: the pitch sets the limits (add_patch's update of
                # the data limits was a third of the drawing time)
                ax.add_artist(
                    Rectangle(
                        (c * dx, r * dy),
                        dx,
                        dy,
                        facecolor=shades[r * columns + c],
                        edgecolor=GRASS,
                        alpha=0.85,
                        zorder=1,
                        gid=f"zone-{r * columns + c}",
                    )
                )
                if abs(value) >= 0.01:
                    ax.text(
                        (c + 0.5) * dx,
                        (r + 0.5) * dy,
                        f"{value:+.2f}",
                        ha="center",
                        va="center",
                        fontsize=7 * scale,
                        color=INK,
                        zorder=3,
                    )
    return _save(figure, fmt, dpi)


def passes(lines: Sequence[PassLine], *, title: str, width: int, fmt: str, dpi: int = 100) -> bytes:
    """His passes as arrows: blue completed, red not."""
    done = sum(1 for line in lines if line.complete)
    subtitle = f"{done} of {len(lines)} passes completed, attacking to the right"
    figure, ax, pitch = _pitch_axes(width, title, subtitle)
    with rc_context(_RC):
        for n, line in enumerate(lines):
            pitch.arrows(
                line.x,
                line.y,
                line.end_x,
                line.end_y,
                width=1.5 * width / 800,
                headwidth=5,
                color=OURS if line.complete else THEIRS,
                alpha=0.8,
                ax=ax,
                gid=f"pass-{n}",
            )
    return _save(figure, fmt, dpi)


def radar(
    labels: Sequence[str],
    percentiles: Sequence[float],
    *,
    title: str,
    subtitle: str,
    width: int,
    fmt: str,
    dpi: int = 100,
) -> bytes:
    """His per-90 numbers and rates as percentiles (0-100) of the squad."""
    with rc_context(_RC):
        figure = _figure(width, 1.05)
        ax = figure.add_axes((0.1, 0.05, 0.8, 0.8))
        chart = Radar(
            list(labels),
            [0] * len(labels),
            [100] * len(labels),
            round_int=[True] * len(labels),
            num_rings=4,
            ring_width=1,
            center_circle_radius=1,
        )
        chart.setup_axis(ax=ax, facecolor="white")
        chart.draw_circles(ax=ax, facecolor="#e2e8f0", edgecolor="white")
        chart.draw_radar(
            list(percentiles),
            ax=ax,
            kwargs_radar={"facecolor": OURS, "alpha": 0.55},
            kwargs_rings={"facecolor": "#93c5fd", "alpha": 0.55},
        )
        chart.draw_range_labels(ax=ax, fontsize=max(6, 8 * width / 800), color=LINES)
        chart.draw_param_labels(ax=ax, fontsize=max(7, 10 * width / 800), color=INK)
        figure.text(0.03, 0.96, title, fontsize=14, color=INK, weight="bold", va="center")
        figure.text(0.03, 0.925, subtitle, fontsize=9, color=LINES, va="center")
    return _save(figure, fmt, dpi)
