"""Goal minutes as football reports them (statistics.md): the rule on its own, without files."""

from __future__ import annotations

import pytest

from spinta.schemas.screens import reported_minute


@pytest.mark.parametrize(
    ("period", "clock", "expected"),
    [
        (1, 0, (1, "1'")),
        (1, 22, (23, "23'")),  # Messi's penalty in the 2022 final, 22:xx on the clock
        (1, 35, (36, "36'")),
        (1, 44, (45, "45'")),  # the last regular minute of the first half
        (1, 45, (46, "45+1'")),
        (1, 46, (47, "45+2'")),  # 46:10 of period 1
        (2, 45, (46, "46'")),  # the second half starts at 45:00 on the clock
        (2, 79, (80, "80'")),
        (2, 80, (81, "81'")),
        (2, 89, (90, "90'")),
        (2, 97, (98, "90+8'")),  # 97:03 of period 2
        (3, 90, (91, "91'")),
        (3, 104, (105, "105'")),
        (3, 105, (106, "105+1'")),
        (4, 107, (108, "108'")),
        (4, 105, (106, "106'")),
        (4, 117, (118, "118'")),
        (4, 119, (120, "120'")),
        (4, 122, (123, "120+3'")),
    ],
)
def test_reported_minute(period, clock, expected):
    assert reported_minute(period, clock) == expected


def test_the_2022_final_reads_as_reported():
    # Argentina-France: the six goals' clock minutes and periods (the file is not shared here).
    clocks = [(1, 22), (1, 35), (2, 79), (2, 80), (4, 107), (4, 117)]
    shown = [reported_minute(period, minute)[1] for period, minute in clocks]
    assert shown == ["23'", "36'", "80'", "81'", "108'", "118'"]


def test_a_shootout_kick_gets_no_added_time():
    # Shootout kicks are never goals of the timeline; should one reach the rule, period 5
    # has no regular end to count added time from.
    assert reported_minute(5, 121) == (122, "122'")
