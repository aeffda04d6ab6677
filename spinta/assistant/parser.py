"""Read a coach's question: which players, which match, which statistics, what kind of answer.

Pure: no Flask, no database. :func:`parse_question` needs only the names the club knows (its
squad, the opponents it played, its own name) in a :class:`Vocabulary`.

Names are compared accent- and case-insensitively; a word may also match a name part with a
typo (``difflib`` ratio >= 0.8 on words of 4+ letters): "mesi" finds Messi, "di maria" finds
"Ángel Fabián Di María Hernández", "Lionel Mesi" finds Messi. A word shared by several players
("Martinez") is ambiguous unless another word of the mention decides ("Lautaro Martinez").
"""

from __future__ import annotations

import calendar
import difflib
import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from spinta.assistant.stats import PHRASES


def _words(text: str) -> frozenset[str]:
    """A set of words written as one string (easier to read and extend than a list)."""
    return frozenset(text.split())


SIMILARITY: Final = 0.8
MIN_FUZZY_LENGTH: Final = 4
# Name particles: they only count next to another word of the same name ("di maria").
PARTICLES: Final = _words(
    "da das de del della der di do dos du el la le los mac mc san st ten ter van von y"
)
NICKNAMES: Final = {
    "leo": "lionel",
    "lio": "lionel",
    "dibu": "emiliano",
    "cuti": "cristian",
    "fideo": "maria",
    "kun": "aguero",
    "papu": "gomez",
}
OPPONENT_ALIASES: Final = {
    "holland": "netherlands",
    "dutch": "netherlands",
    "usa": "united states",
}
GENERIC_TEAM_WORDS: Final = _words(
    "fc cf sc ac club united city real athletic atletico sporting deportivo the team "
    "football de la del academy youth juniors"
)

STOPWORDS: Final = _words("""
    a about above after again all also am an and any anyone anything are as at away back be
    been before being between both but by can cant could currently did didnt do does doing done
    dont each ever every far few for from get gets getting give given go going gone good got had
    has hasnt have havent having he her here hers him his how hows i if im in into is isnt it
    its just know last let lets like look looking looks made make many me much my need no nor
    not now of off ok okay on once one ones only or other our ours out over overall per please
    quick quickly really right s say see show so some such sure t tell than thank thanks that
    thats the their them then there these they this those through time times to today too total
    totals up us very want was wasnt we well were what whats when where which while who whom
    whos whose why will with would year yet you your d ll re ve m did so far how much
    number numbers stat stats statistic statistics info information detail details data
    figure figures summary breakdown overview full whole entire
    player players guy guys man men lad lads boy boys kid kids
    match matches game games fixture fixtures outing appearance team club side squad season
    campaign this year play played plays playing perform performed performing performance
    performances doing do does did went go goes gone
    vs versus v against facing faced face playing
    most more best top highest leader leaders leading max maximum greatest biggest lead leads
    fewest least lowest worst minimum min bottom less fewer poorest
    compare compared comparison comparing difference better worse than or
    who whom result results score scores scoreline final recap report
    list all every everyone everybody whole
    win won wins winning draw drew draws drawn lose lost loss losses defeat defeats beat
    record form clean sheet sheets conceded concede conceding shutout shutouts
    scorer scorers timeline penalties penalty shootout shoot pens
    joined join signed sign registered invite invites invited pending linked app account
    jersey jerseys shirt shirts roster lineup lineups
    help hello hi hey hiya morning afternoon evening thanks thank cheers
    has have average avg averages mean per90 p90 ninety minutes
    how many what which whats was were
    goal goals assist assists
    tournament cup world league competition rundown update brief briefly mine coach stuff
    thing things something anything everything ask question answer
    analyze analyse analysis analyzing analysing analyse evaluate evaluation assess
    """)

GREETINGS: Final = _words("hello hi hey hiya yo morning afternoon evening thanks cheers")

TOPIC_PHRASES: Final[dict[str, tuple[str, ...]]] = {
    "help": (
        "help",
        "what can you do",
        "what can i ask",
        "what do you know",
        "how does this work",
        "examples",
        "commands",
    ),
    "squad": (
        "squad",
        "roster",
        "team list",
        "player list",
        "list of players",
        "list players",
        "list the players",
        "list my players",
        "list our players",
        "all players",
        "all the players",
        "our players",
        "my players",
        "who is in the team",
        "who is in the squad",
        "who are our players",
        "jersey numbers",
        "shirt numbers",
        "jerseys",
    ),
    "joined": (
        "joined",
        "signed up",
        "registered",
        "invite",
        "invites",
        "invited",
        "pending",
        "linked",
        "not joined",
    ),
    "scorers": (
        "who scored",
        "who score",
        "who got the goals",
        "scorer",
        "scorers",
        "goalscorer",
        "goalscorers",
        "goal scorer",
        "goal scorers",
        "golden boot",
    ),
    "timeline": ("timeline", "goal timeline", "goals timeline", "when did we score", "the goals"),
    "shootout": ("shootout", "shoot out", "penalty shootout", "penalties", "pens", "on penalties"),
    "match": (
        "result",
        "score",
        "scoreline",
        "final score",
        "how did we do",
        "how did we play",
        "how did it go",
        "how did the game go",
        "how did the match go",
        "match report",
        "report",
        "recap",
        "did we win",
        "did we lose",
        "did we draw",
        "match stats",
        "match statistics",
        "game stats",
        "lineup",
    ),
    "season": (
        "season",
        "record",
        "form",
        "wins",
        "win",
        "won",
        "draws",
        "drawn",
        "drew",
        "losses",
        "lost",
        "defeats",
        "clean sheets",
        "clean sheet",
        "shutouts",
        "conceded",
        "goals against",
        "so far",
        "this year",
        "how are we doing",
        "how is the team doing",
        "win rate",
        "average",
        "averages",
        "avg",
        "per match",
        "per game",
    ),
    "club": ("we", "us", "our", "ours", "team", "club"),
    "list_matches": (
        "results",
        "fixtures",
        "list matches",
        "list the matches",
        "list games",
        "our matches",
        "our games",
        "all matches",
        "all games",
        "all our matches",
        "which matches",
        "what matches",
        "which games",
        "what games",
        "match list",
        "matches have we played",
        "games have we played",
    ),
    "improve": (
        "improve",
        "improves",
        "improving",
        "improvement",
        "improvements",
        "work on",
        "weak spots",
        "weak points",
        "weakness",
        "weaknesses",
        "struggling",
        "underperforming",
    ),
    # What the assistant cannot show: it answers in words and numbers.
    "visual": (
        "map",
        "maps",
        "heatmap",
        "heatmaps",
        "heat map",
        "heat maps",
        "chart",
        "charts",
        "graph",
        "graphs",
        "plot",
        "diagram",
        "image",
        "video",
        "highlights",
        "network",
        "animation",
    ),
    "compare": ("compare", "compared", "comparison", "comparing", "difference", "better"),
    "who": ("who", "whos", "which player", "which players", "anyone", "anybody"),
    "per90": ("per 90", "per90", "p90", "per ninety", "every 90"),
    "player_talk": (
        "play",
        "played",
        "playing",
        "perform",
        "performed",
        "performance",
        "doing",
        "about",
        "how is",
        "how was",
        "how did",
        "profile",
    ),
}
DIRECTION_PHRASES: Final[dict[str, tuple[str, ...]]] = {
    "most": (
        "most",
        "highest",
        "top",
        "leader",
        "leaders",
        "leading",
        "max",
        "maximum",
        "greatest",
        "biggest",
        "more",
        "leads",
        "lead",
    ),
    "fewest": ("fewest", "least", "lowest", "minimum", "min", "bottom", "less", "fewer"),
    "best": ("best", "strongest", "finest"),
    "worst": ("worst", "poorest", "weakest"),
}
PRONOUNS: Final = _words("he his him himself hes")
PLURAL_PRONOUNS: Final = _words("they their them both")
FOLLOWUP_STARTS: Final = (
    ("and",),
    ("what", "about"),
    ("how", "about"),
    ("what", "of"),
    ("same", "for"),
    ("also",),
    ("now",),
    ("then",),
)
CONTEXT_MATCH_PHRASES: Final = (
    "that match",
    "that game",
    "this match",
    "this game",
    "the same match",
    "the same game",
    "in it",
)

ORDINALS: Final = {
    "first": 1,
    "1st": 1,
    "opening": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
    "sixth": 6,
    "6th": 6,
    "seventh": 7,
    "7th": 7,
    "eighth": 8,
    "8th": 8,
    "ninth": 9,
    "9th": 9,
    "tenth": 10,
    "10th": 10,
}
MATCH_WORDS: Final = ("match", "game", "fixture", "one", "outing", "time")
VERSUS: Final = _words("against vs versus v facing faced")

MONTHS: Final = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?\b")
DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+({_MONTH_RE})\.?(?:,?\s+(\d{{4}}))?\b"
)
MONTH_DAY = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b")
JERSEY = re.compile(r"(?:#\s*|\bnumber\s+|\bno\.?\s*|\bshirt\s+)(\d{1,2})\b")
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?|%")


def normalize(text: str) -> str:
    """Accent- and case-insensitive form ("Di María" -> "di maria"); same as team matching."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


# ---------------------------------------------------------------- inputs and outputs


@dataclass(frozen=True, slots=True)
class SquadName:
    player_id: str
    name: str
    jersey_number: int | None = None


@dataclass(frozen=True, slots=True)
class TeamName:
    team_id: str
    name: str
    age_group: str | None = None  # "U12"


@dataclass(frozen=True, slots=True)
class SeasonName:
    season_id: str
    name: str  # "2022/23"


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """What the club knows: its squad, the opponents it has played, its own name, its teams
    and its seasons."""

    players: tuple[SquadName, ...] = ()
    opponents: tuple[str, ...] = ()
    club_name: str = ""
    teams: tuple[TeamName, ...] = ()
    seasons: tuple[SeasonName, ...] = ()


@dataclass(frozen=True, slots=True)
class SeasonRef:
    """The season a question is about. ``kind``: this (the team's latest season with a
    match), last (the season before it), named (``season_id``; None when the club has no
    season of that name), all (every season)."""

    kind: str
    season_id: str | None = None
    text: str = ""


@dataclass(frozen=True, slots=True)
class TeamRef:
    """The team a question names (``team_id`` None: the club has no such team)."""

    team_id: str | None
    text: str


@dataclass(frozen=True, slots=True)
class MatchRef:
    """A reference to one match. ``kind``: recent (``offset`` 0 = the latest, 1 = the one
    before), ordinal (``offset`` 1 = the first played), opponent, date or context (the match
    the conversation is about)."""

    kind: str
    offset: int = 0
    opponent: str | None = None
    dates: tuple[date, ...] = ()
    month_day: tuple[int, int] | None = None
    text: str = ""


@dataclass(frozen=True, slots=True)
class Ambiguity:
    mention: str
    candidates: tuple[str, ...]  # player ids


@dataclass(frozen=True, slots=True)
class ParsedQuestion:
    text: str
    tokens: tuple[str, ...] = ()
    players: tuple[str, ...] = ()  # player ids, in the order they are mentioned
    ambiguous: tuple[Ambiguity, ...] = ()
    unknown_names: tuple[str, ...] = ()
    unknown_opponent: str | None = None
    match_ref: MatchRef | None = None
    stats: tuple[str, ...] = ()
    direction: str | None = None
    topics: frozenset[str] = field(default_factory=frozenset)
    pronoun: bool = False
    plural_pronoun: bool = False
    followup: bool = False
    greeting_only: bool = False
    season: SeasonRef | None = None
    team: TeamRef | None = None


# ---------------------------------------------------------------- tokens


@dataclass(slots=True)
class _Token:
    original: str
    norm: str
    used: bool = False


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for raw in WORD.findall(text):
        word = raw
        if "'" in word:
            head, _, tail = word.partition("'")
            word = head if tail.lower() in {"s", "t", "re", "ve", "ll", "d", "m"} else head + tail
            if tail.lower() == "t" and head.lower().endswith("n"):
                word = head  # didn't -> didn
        if not word:
            continue
        norm = normalize(word)
        if norm:
            tokens.append(_Token(word, norm))
    return tokens


def _phrase_tokens(phrase: str) -> tuple[str, ...]:
    return tuple(phrase.split())


_PHRASE_TABLE: Final = sorted(
    [
        *((tokens, "stat", keys) for tokens, keys in PHRASES),
        *(
            (_phrase_tokens(p), "topic", (topic,))
            for topic, phrases in TOPIC_PHRASES.items()
            for p in phrases
        ),
        *(
            (_phrase_tokens(p), "dir", (direction,))
            for direction, phrases in DIRECTION_PHRASES.items()
            for p in phrases
        ),
        *((_phrase_tokens(p), "context_match", ()) for p in CONTEXT_MATCH_PHRASES),
    ],
    key=lambda item: -len(item[0]),
)


def _scan_phrases(tokens: list[_Token]) -> list[tuple[int, int, str, tuple[str, ...]]]:
    """Known phrases, longest first at each position: (start, end, tag, values)."""
    found: list[tuple[int, int, str, tuple[str, ...]]] = []
    norms = [t.norm for t in tokens]
    i = 0
    while i < len(tokens):
        for words, tag, values in _PHRASE_TABLE:
            n = len(words)
            if tuple(norms[i : i + n]) == words and not any(t.used for t in tokens[i : i + n]):
                found.append((i, i + n, tag, values))
                i += n - 1
                break
        i += 1
    return found


# ---------------------------------------------------------------- seasons and teams

# "2022/23", "22/23", "2022-23", "2022/2023": two consecutive years (not part of a date).
SEASON_NAME = re.compile(r"(?<![\w/.-])((?:19|20)?\d{2})\s*[/-]\s*((?:19|20)?\d{2})(?![\w/.-])")
SEASON_PHRASES: Final = (
    (re.compile(r"\b(?:this|current|the present)\s+(?:season|campaign)\b"), "this"),
    (re.compile(r"\b(?:last|previous|past|the prior)\s+(?:season|campaign)\b"), "last"),
    (re.compile(r"\b(?:season before|year before)\b"), "last"),
    (
        re.compile(r"\b(?:all[- ]time|all (?:the )?seasons|every season|over the years)\b"),
        "all",
    ),
)
# "U12", "the U12s", "u-12": an age group; "under 12s" only when the club has such a team.
AGE_GROUP = re.compile(r"\b(?:the\s+)?(u\s?-?|under[- ]?)(\d{1,2})(?:'?s)?\b", re.IGNORECASE)


def _full_year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _season_name(text: str, vocabulary: Vocabulary) -> tuple[str, SeasonRef | None]:
    """A season named by its years ("2022/23", "22/23"); the text without it. Two short years
    ("20/21") name a season only when the club has it (they may be a count: "20/21 passes")."""
    for found in SEASON_NAME.finditer(text):
        first = _full_year(found.group(1))
        second = int(found.group(2))
        if second % 100 != (first + 1) % 100 or (second >= 100 and second != first + 1):
            continue
        name = f"{first}/{(first + 1) % 100:02d}"
        season = next((s for s in vocabulary.seasons if normalize(s.name) == name), None)
        if season is None and len(found.group(1)) == 2:
            continue
        return _cut(text, found), SeasonRef("named", season.season_id if season else None, name)
    return text, None


def _extract_season(text: str, vocabulary: Vocabulary) -> tuple[str, SeasonRef | None]:
    """The season the question names, if any. A season name leaves the text (its digits are no
    date); "this season" and the like stay (they also make the question about a season)."""
    rest, named = _season_name(text, vocabulary)
    if named is not None:
        return rest, named
    lowered = normalize(text)
    for pattern, kind in SEASON_PHRASES:
        found = pattern.search(lowered)
        if found:
            return text, SeasonRef(kind, text=found.group(0))
    return text, None


def _team_names(vocabulary: Vocabulary) -> list[TeamName]:
    """The teams, longest name first; the club's own name is not a team name (it says "we",
    the club's first team)."""
    club = normalize(vocabulary.club_name)
    teams = [t for t in vocabulary.teams if normalize(t.name) != club]
    return sorted(teams, key=lambda t: -len(t.name))


def _cut(text: str, found: re.Match) -> str:
    return text[: found.start()] + " " + text[found.end() :]


def _extract_team(text: str, vocabulary: Vocabulary) -> tuple[str, TeamRef | None]:
    """The team named by its name ("Lions U12") or age group ("the U12s"); the text
    without it."""
    for team in _team_names(vocabulary):
        pattern = rf"(?<!\w)(?:the\s+)?{re.escape(team.name)}(?:'?s)?(?!\w)"
        found = re.search(pattern, text, re.IGNORECASE)
        if found:
            return _cut(text, found), TeamRef(team.team_id, team.name)
    found = AGE_GROUP.search(text)
    if found is None:
        return text, None
    group = f"U{int(found.group(2))}"
    team = next((t for t in vocabulary.teams if t.age_group == group), None)
    if team is None:
        team = next((t for t in vocabulary.teams if group.lower() in t.name.lower().split()), None)
    if team is None and found.group(1).lower().startswith("under"):
        return text, None  # "under 10 minutes" is no team
    return _cut(text, found), TeamRef(team.team_id if team else None, team.name if team else group)


# ---------------------------------------------------------------- dates and match references


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _extract_dates(text: str) -> tuple[str, MatchRef | None]:
    """Find one date in the text; return the text without it and the reference."""
    match = ISO_DATE.search(text)
    if match:
        found = _valid_date(*(int(g) for g in match.groups()))
        if found:
            rest = text[: match.start()] + " " + text[match.end() :]
            return rest, MatchRef("date", dates=(found,), text=found.isoformat())
    for pattern, order in ((DAY_MONTH, "dm"), (MONTH_DAY, "md")):
        match = pattern.search(text.lower())
        if match:
            if order == "dm":
                day, month_name, year = match.groups()
            else:
                month_name, day, year = match.groups()
            month = MONTHS[month_name.rstrip(".")]
            rest = text[: match.start()] + " " + text[match.end() :]
            label = f"{calendar.month_name[month]} {int(day)}" + (f", {year}" if year else "")
            if year:
                found = _valid_date(int(year), month, int(day))
                if found:
                    return rest, MatchRef("date", dates=(found,), text=label)
            elif 1 <= int(day) <= 31:
                return rest, MatchRef("date", month_day=(month, int(day)), text=label)
    match = NUMERIC_DATE.search(text)
    if match and match.group(3):
        first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        year = year + 2000 if year < 100 else year
        candidates = tuple(
            d
            for d in (_valid_date(year, second, first), _valid_date(year, first, second))
            if d is not None
        )
        if candidates:
            rest = text[: match.start()] + " " + text[match.end() :]
            return rest, MatchRef("date", dates=tuple(dict.fromkeys(candidates)), text=match[0])
    return text, None


def _recent_ref(tokens: list[_Token]) -> MatchRef | None:
    """ "last match", "previous game", "the first match", "second to last game", ..."""
    norms = [t.norm for t in tokens]
    for i, word in enumerate(norms):
        window = norms[i + 1 : i + 4]
        if window and window[0].isdigit():
            continue  # "the last 5 matches" is the form, not one match
        has_match_word = any(w in MATCH_WORDS or w in ("matches", "games") for w in window)
        if word in ("penultimate",) and has_match_word:
            return _consume(
                tokens, i, 1, MatchRef("recent", offset=1, text="the match before last")
            )
        if word == "before" and norms[i + 1 : i + 2] == ["last"]:
            return _consume(
                tokens, i, 2, MatchRef("recent", offset=1, text="the match before last")
            )
        if word in ("second", "2nd") and norms[i + 1 : i + 2] in (["last"], ["latest"]):
            return _consume(
                tokens, i, 2, MatchRef("recent", offset=1, text="the match before last")
            )
        if norms[i : i + 3] == ["second", "to", "last"]:
            return _consume(
                tokens, i, 3, MatchRef("recent", offset=1, text="the match before last")
            )
        if word in ("last", "latest", "previous", "recent") and (
            has_match_word or word in ("latest", "recent")
        ):
            start = i - 1 if i > 0 and norms[i - 1] == "most" else i
            return _consume(tokens, start, i - start + 1, MatchRef("recent", text="the last match"))
        if word in ORDINALS and any(w in MATCH_WORDS for w in norms[i + 1 : i + 3]):
            n = ORDINALS[word]
            return _consume(tokens, i, 1, MatchRef("ordinal", offset=n, text=f"match {n}"))
    return None


def _consume(tokens: list[_Token], start: int, length: int, ref: MatchRef) -> MatchRef:
    for token in tokens[start : start + length]:
        token.used = True
    return ref


def _ratio(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < SIMILARITY or matcher.quick_ratio() < SIMILARITY:
        return 0.0
    return matcher.ratio()


def _opponent_ref(tokens: list[_Token], opponents: Sequence[str]) -> MatchRef | None:
    """A known opponent named anywhere: whole name, then one distinctive word of it."""
    norms = [t.norm if not t.used else "" for t in tokens]
    norms = [OPPONENT_ALIASES.get(n, n) for n in norms]
    known = [(normalize(name), name) for name in opponents if name.strip()]
    # Whole names, longest first ("united states" before "states").
    for norm_name, _name in sorted(known, key=lambda item: -len(item[0].split())):
        words = norm_name.split()
        n = len(words)
        for i in range(len(tokens) - n + 1):
            window = " ".join(norms[i : i + n])
            if window and (
                window == norm_name or (len(norm_name) >= 5 and _ratio(window, norm_name) >= 0.85)
            ):
                return _consume(tokens, i, n, MatchRef("opponent", opponent=norm_name, text=_name))
    best: tuple[float, int, str, str] | None = None
    for norm_name, name in known:
        for word in norm_name.split():
            if len(word) < 4 or word in GENERIC_TEAM_WORDS:
                continue
            for i, token in enumerate(norms):
                if not token or token in STOPWORDS:
                    continue
                score = 1.0 if token == word else _ratio(token, word)
                if score >= 0.85 and (best is None or score > best[0]):
                    best = (score, i, norm_name, name)
    if best is None:
        return None
    _score, i, norm_name, name = best
    return _consume(tokens, i, 1, MatchRef("opponent", opponent=norm_name, text=name))


# ---------------------------------------------------------------- players


@dataclass(frozen=True, slots=True)
class _IndexedPlayer:
    player_id: str
    words: frozenset[str]
    long_words: tuple[str, ...]


def _index(players: Iterable[SquadName]) -> list[_IndexedPlayer]:
    indexed = []
    for player in players:
        words = normalize(player.name).replace("-", " ").split()
        keys = set(words)
        keys.update(a + b for a, b in itertools.pairwise(words))  # "dimaria"
        indexed.append(
            _IndexedPlayer(
                player.player_id,
                frozenset(keys),
                tuple(k for k in keys if len(k) >= MIN_FUZZY_LENGTH),
            )
        )
    return indexed


def _word_scores(word: str, index: Sequence[_IndexedPlayer]) -> dict[str, float]:
    """How well one question word matches each player (exact 1.0, a typo >= 0.8)."""
    word = NICKNAMES.get(word, word)
    scores: dict[str, float] = {}
    for player in index:
        if word in player.words:
            scores[player.player_id] = 1.0
        elif len(word) >= MIN_FUZZY_LENGTH and word not in PARTICLES:
            best = max((_ratio(word, key) for key in player.long_words), default=0.0)
            if best >= SIMILARITY:
                scores[player.player_id] = best
    return scores


def _is_name_like(token: _Token) -> bool:
    return (
        not token.used
        and token.norm.isalpha()
        and token.norm not in STOPWORDS
        and (len(token.norm) >= 3 or token.norm in PARTICLES)
    )


def _find_players(
    tokens: list[_Token], index: Sequence[_IndexedPlayer]
) -> tuple[list[str], list[Ambiguity], list[str]]:
    """Group adjacent name-like words into mentions and resolve each to one player.

    Words that match nobody are returned as unknown names (adjacent words joined).
    """
    groups: list[tuple[list[_Token], dict[str, float]]] = []
    unknown_runs: list[list[_Token]] = []
    current: tuple[list[_Token], dict[str, float]] | None = None
    pending: list[_Token] = []

    def close_pending() -> None:
        if any(len(t.norm) >= 3 and t.norm not in PARTICLES for t in pending):
            unknown_runs.append(list(pending))
        pending.clear()

    for token in tokens:
        if not _is_name_like(token):
            current = None
            close_pending()
            continue
        scores = _word_scores(token.norm, index)
        if not scores:
            current = None
            pending.append(token)
            continue
        close_pending()
        if current is not None and set(current[1]) & set(scores):
            current[0].append(token)
            for player_id, score in scores.items():
                current[1][player_id] = current[1].get(player_id, 0.0) + score
        else:
            current = ([token], dict(scores))
            groups.append(current)
    close_pending()

    players: list[str] = []
    ambiguous: list[Ambiguity] = []
    for group_tokens, scores in groups:
        if all(t.norm in PARTICLES for t in group_tokens):
            continue
        best = max(scores.values())
        leaders = [pid for pid, score in scores.items() if score >= best - 0.01]
        for token in group_tokens:
            token.used = True
        if len(leaders) == 1:
            if leaders[0] not in players:
                players.append(leaders[0])
        else:
            mention = " ".join(t.original for t in group_tokens)
            ambiguous.append(Ambiguity(mention, tuple(leaders)))
    unknown = [" ".join(t.original for t in run) for run in unknown_runs]
    return players, ambiguous, unknown


def _unknown_opponent(tokens: list[_Token]) -> str | None:
    """The words after "against"/"vs" when they name no known opponent (maybe a player)."""
    for i, token in enumerate(tokens):
        if token.norm not in VERSUS:
            continue
        words: list[_Token] = []
        for following in tokens[i + 1 : i + 5]:
            if following.norm == "the" and not words:
                continue
            if not _is_name_like(following):
                break
            words.append(following)
        if words:
            for word in words:
                word.used = True
            return " ".join(word.original for word in words)
    return None


# ---------------------------------------------------------------- the parser


def _jersey_players(rest: str, vocabulary: Vocabulary) -> tuple[str, list[str]]:
    """ "number 10": the one squad player with that number; his words leave the question."""
    jersey_players: list[str] = []
    for found in JERSEY.finditer(rest):
        number = int(found.group(1))
        ids = [p.player_id for p in vocabulary.players if p.jersey_number == number]
        if len(ids) == 1:
            jersey_players.append(ids[0])
            rest = rest.replace(found.group(0), " ")
    return rest, jersey_players


def _match_reference(
    tokens: list[_Token], match_ref: MatchRef | None, vocabulary: Vocabulary
) -> MatchRef | None:
    if match_ref is None:
        match_ref = _recent_ref(tokens)
    opponent = _opponent_ref(tokens, vocabulary.opponents)
    # "the last match against Croatia": the opponent is the more precise reference.
    if opponent is not None and (match_ref is None or match_ref.kind == "recent"):
        match_ref = opponent
    return match_ref


@dataclass
class _Phrases:
    stats: list[str] = field(default_factory=list)
    topics: set[str] = field(default_factory=set)
    direction: str | None = None
    context_match: bool = False


def _phrases(tokens: list[_Token], vocabulary: Vocabulary) -> _Phrases:
    """The club's own name ("we"), then the statistics, topics and directions named."""
    found = _Phrases()
    club_words = set(normalize(vocabulary.club_name).split()) - GENERIC_TEAM_WORDS
    for token in tokens:
        if not token.used and token.norm in club_words:
            token.used = True
            found.topics.add("club")
    for start, end, tag, values in _scan_phrases(tokens):
        if tag == "stat":
            found.stats.extend(v for v in values if v not in found.stats)
        elif tag == "topic":
            found.topics.add(values[0])
        elif tag == "dir":
            found.direction = found.direction or values[0]
        elif tag == "context_match":
            found.context_match = True
        for token in tokens[start:end]:
            if tag != "topic" or values[0] not in ("club", "who", "player_talk"):
                token.used = True
    return found


def _players(
    tokens: list[_Token],
    vocabulary: Vocabulary,
    jersey_players: list[str],
    match_ref: MatchRef | None,
) -> tuple[list[str], list[Ambiguity], list[str], str | None]:
    """(players, ambiguous names, unknown names, unknown opponent) the question names."""
    index = _index(vocabulary.players)
    unknown_opponent = _unknown_opponent(tokens) if match_ref is None else None
    players, ambiguous, unknown = _find_players(tokens, index)
    for player_id in jersey_players:
        if player_id not in players:
            players.append(player_id)
    if unknown_opponent is not None:
        # "Messi vs Alvarez": the words after "vs" named a player, not an opponent.
        retry = _tokens(unknown_opponent)
        found, _amb, _unk = _find_players(retry, index)
        if found:
            unknown_opponent = None
            players.extend(p for p in found if p not in players)
    return players, ambiguous, unknown, unknown_opponent


def _greeting_only(norms: tuple[str, ...]) -> bool:
    return (
        bool(norms)
        and all(n in GREETINGS or n in STOPWORDS for n in norms)
        and any(n in GREETINGS for n in norms)
    )


def parse_question(text: str, vocabulary: Vocabulary) -> ParsedQuestion:
    """Everything the question names; unresolved names are reported, never guessed."""
    rest, season = _extract_season(text, vocabulary)
    rest, team = _extract_team(rest, vocabulary)
    rest, match_ref = _extract_dates(rest)
    rest, jersey_players = _jersey_players(rest, vocabulary)
    tokens = _tokens(rest)
    norms = tuple(t.norm for t in tokens)
    match_ref = _match_reference(tokens, match_ref, vocabulary)
    phrases = _phrases(tokens, vocabulary)
    players, ambiguous, unknown, unknown_opponent = _players(
        tokens, vocabulary, jersey_players, match_ref
    )
    if match_ref is None and phrases.context_match:
        match_ref = MatchRef("context", text="that match")
    stats, topics, direction = phrases.stats, phrases.topics, phrases.direction
    followup = any(norms[: len(start)] == start for start in FOLLOWUP_STARTS)
    greeting_only = _greeting_only(norms)
    return ParsedQuestion(
        text=text,
        tokens=norms,
        players=tuple(players),
        ambiguous=tuple(ambiguous),
        unknown_names=tuple(unknown),
        unknown_opponent=unknown_opponent,
        match_ref=match_ref,
        stats=tuple(stats),
        direction=direction,
        topics=frozenset(topics),
        pronoun=any(n in PRONOUNS for n in norms),
        plural_pronoun=any(n in PLURAL_PRONOUNS for n in norms),
        followup=followup,
        greeting_only=greeting_only,
        season=season,
        team=team,
    )
