"""Command line: print the analysis report of one StatsBomb event file as JSON.

    python -m spinta.analytics EVENTS.json --club-name NAME [--club-team-id ID]
        [--our-score N --opponent-score M]

Exit status 2 with one line on stderr when the file cannot be analysed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from . import EventDataError, analyse_match
from .providers import PROVIDER_NAMES, UnknownFormatError, detect, read_file

_loads: Callable[[bytes], Any]
_dumps: Callable[[Any], bytes]
try:  # orjson is fast; the CLI falls back to the standard library without it
    import orjson

    _loads = orjson.loads

    def _dumps(value: Any) -> bytes:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n"

except ImportError:  # pragma: no cover - orjson is a pinned dependency
    import json

    _loads = json.loads

    def _dumps(value: Any) -> bytes:
        return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _fail(message: str) -> NoReturn:
    sys.stderr.write(" ".join(message.split()) + "\n")
    raise SystemExit(2)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        _fail(f"Cannot read {path}: {exc.strerror or exc}.")


def _events(path: Path, data: bytes, provider: str | None, meta: Path | None) -> object:
    """StatsBomb's parsed array, or another provider's read match."""
    if provider is None:
        try:
            provider = detect(data)
        except UnknownFormatError:
            provider = "statsbomb"
    if provider != "statsbomb":
        return read_file(provider, data, _read(meta) if meta is not None else None)
    try:
        return _loads(data)
    except (ValueError, RecursionError):
        _fail(f"{path} is not a valid JSON file.")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _Parser(
        prog="python -m spinta.analytics",
        description="Analyse one match file (any provider) and print the report as JSON.",
    )
    parser.add_argument("file", type=Path, help="the events file (StatsBomb JSON by default)")
    parser.add_argument("--club-name", help="the club's name as in the file")
    parser.add_argument(
        "--provider", choices=PROVIDER_NAMES, help="the file's provider (default: detected)"
    )
    parser.add_argument("--meta", type=Path, help="the provider's second file (F7, MA1 ...)")
    parser.add_argument("--our-team", help="our side: home, away or the team's name in the file")
    parser.add_argument("--club-team-id", type=int, help="the club's StatsBomb team id")
    parser.add_argument("--our-score", type=int, help="the score typed by the coach (ours)")
    parser.add_argument("--opponent-score", type=int, help="the typed score (opponent's)")
    args = parser.parse_args(argv)
    if args.club_name is None and args.our_team is None:
        parser.error("give --club-name or --our-team")
    if (args.our_score is None) != (args.opponent_score is None):
        parser.error("give both --our-score and --opponent-score, or neither")
    typed = None
    if args.our_score is not None:
        if args.our_score < 0 or args.opponent_score < 0:
            parser.error("scores cannot be negative")
        typed = (args.our_score, args.opponent_score)

    path: Path = args.file
    data = _read(path)
    try:
        events = _events(path, data, args.provider, args.meta)
        report = analyse_match(
            events,
            club_name=args.club_name,
            club_team_id=args.club_team_id,
            typed_score=typed,
            our_team=args.our_team,
        )
    except EventDataError as exc:
        _fail(f"{path}: {exc}")
    sys.stdout.buffer.write(_dumps(report.to_dict()))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
