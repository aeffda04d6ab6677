"""SQLAlchemy models, one module per domain. Importing this package registers every table."""

from spinta.models.accounts import (
    AGE_GROUPS,
    USER_TYPES,
    Club,
    Coach,
    Player,
    RevokedToken,
    User,
)
from spinta.models.base import Base, JSONType, Timestamps, UUIDPrimaryKey, utcnow
from spinta.models.chat import CHAT_ROLES, ChatMessage, ChatSession
from spinta.models.matches import (
    ClubSeasonStatistics,
    Event,
    Goal,
    Match,
    MatchLineup,
    MatchStatistics,
    OpponentClub,
    OpponentPlayer,
    PlayerMatchStatistics,
    PlayerSeasonStatistics,
)
from spinta.models.seasons import TEAM_FORMATS, Season, Team, TeamPlayer
from spinta.models.training import PLAN_STATUSES, TrainingExercise, TrainingPlan

__all__ = [
    "AGE_GROUPS",
    "CHAT_ROLES",
    "PLAN_STATUSES",
    "TEAM_FORMATS",
    "USER_TYPES",
    "Base",
    "ChatMessage",
    "ChatSession",
    "Club",
    "ClubSeasonStatistics",
    "Coach",
    "Event",
    "Goal",
    "JSONType",
    "Match",
    "MatchLineup",
    "MatchStatistics",
    "OpponentClub",
    "OpponentPlayer",
    "Player",
    "PlayerMatchStatistics",
    "PlayerSeasonStatistics",
    "RevokedToken",
    "Season",
    "Team",
    "TeamPlayer",
    "Timestamps",
    "TrainingExercise",
    "TrainingPlan",
    "UUIDPrimaryKey",
    "User",
    "utcnow",
]
