"""SQLAlchemy models, one module per domain. Importing this package registers every table."""

from spinta.models.accounts import (
    AGE_GROUPS,
    STAFF_ROLES,
    USER_TYPES,
    Club,
    Coach,
    CoachTeam,
    Player,
    RevokedToken,
    StaffInvite,
    User,
)
from spinta.models.advanced import AdvancedMetric, DevelopmentGoal
from spinta.models.base import Base, JSONType, Timestamps, UUIDPrimaryKey, utcnow
from spinta.models.chat import CHAT_ROLES, ChatMessage, ChatSession
from spinta.models.jobs import JOB_KINDS, JOB_STATUSES, Job
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
from spinta.models.privacy import (
    PURPOSES,
    AccessLogEntry,
    Consent,
    ErasureRequest,
    Guardian,
)
from spinta.models.seasons import TEAM_FORMATS, Season, Team, TeamPlayer
from spinta.models.training import PLAN_STATUSES, TrainingExercise, TrainingPlan

__all__ = [
    "AGE_GROUPS",
    "CHAT_ROLES",
    "JOB_KINDS",
    "JOB_STATUSES",
    "PLAN_STATUSES",
    "PURPOSES",
    "STAFF_ROLES",
    "TEAM_FORMATS",
    "USER_TYPES",
    "AccessLogEntry",
    "AdvancedMetric",
    "Base",
    "ChatMessage",
    "ChatSession",
    "Club",
    "ClubSeasonStatistics",
    "Coach",
    "CoachTeam",
    "Consent",
    "DevelopmentGoal",
    "ErasureRequest",
    "Event",
    "Goal",
    "Guardian",
    "JSONType",
    "Job",
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
    "StaffInvite",
    "Team",
    "TeamPlayer",
    "Timestamps",
    "TrainingExercise",
    "TrainingPlan",
    "UUIDPrimaryKey",
    "User",
    "utcnow",
]
