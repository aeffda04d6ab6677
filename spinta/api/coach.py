"""/api/coach: the coach's match uploads and screens (coach token)."""

from __future__ import annotations

import dataclasses
import uuid

from flask import Response, jsonify, request, url_for

from spinta.analytics.providers import PROVIDER_NAMES
from spinta.analytics.providers.csv_tagging import TEMPLATE as TAGGING_TEMPLATE
from spinta.api.audit import audited
from spinta.api.auth import token_account_limited
from spinta.api.blueprint import Blueprint
from spinta.api.docs import COACH, errors
from spinta.api.uploads import read_match_upload, upload_memory
from spinta.bodies import large_body
from spinta.extensions import db
from spinta.schemas.auth import IssuedInviteCodeSchema
from spinta.schemas.common import HTTP_URL_PATTERN
from spinta.schemas.jobs import JobAcceptedSchema, JobSchema
from spinta.schemas.matches import (
    DeletedMatchSchema,
    MatchListSchema,
    UploadResultSchema,
    upload_body,
)
from spinta.schemas.players import PlayerUpdateSchema
from spinta.schemas.screens import (
    CoachDashboardSchema,
    CoachPlayerCardSchema,
    CoachProfileSchema,
    DashboardQuerySchema,
    MatchDetailSchema,
    PlayerDetailSchema,
    PlayerMatchSchema,
    PlayingTimeQuerySchema,
    PlayingTimeSchema,
    ScopedPaginationSchema,
    ScopeQuerySchema,
    SeasonListSchema,
    SquadSchema,
    TeamListSchema,
)
from spinta.schemas.staff import (
    StaffInviteIssuedSchema,
    StaffInviteSchema,
    StaffListSchema,
    StaffRemovedSchema,
)
from spinta.screen_cache import screen
from spinta.security import (
    admin_required,
    coach_required,
    current_account,
    current_club,
    upload_team,
    visible_teams,
)
from spinta.services import invites, jobs, matches, players, playing_time, screens, staff, teams
from spinta.services.seasons import asked_scope, scope_for
from spinta.tasks import enqueue, registry
from spinta.tasks.jobs import UPLOAD

blp = Blueprint("coach", __name__, description="Coach: matches, squad, statistics")

NO_MATCH = (404, "No such match in this club")
NO_PLAYER = (404, "No such player in this club")
NO_SCOPE = (404, "No such team or season in this club")
# The typed fields as the admin panel sends them (form text) and as JSON; both forms follow
# MatchUploadFieldsSchema: "" or null mean "not given", scores come both or neither.
_SCORE_TEXT = {"type": "string", "pattern": "^([0-9]{1,2})?$", "description": "0-99, or empty"}
_SCORE = {"type": "integer", "minimum": 0, "maximum": 99, "nullable": True}
_OPPONENT = {"type": "string", "maxLength": 120, "example": "Mexico"}
_LOGO = {"type": "string", "maxLength": 500, "pattern": HTTP_URL_PATTERN}
_SAME_DAY = {
    "type": "boolean",
    "default": False,
    "description": "Store a second match against the same opponent on the same date"
    " (tournaments); without it such an upload answers 409 naming the stored match",
}
_TEAM = {
    "type": "string",
    "format": "uuid",
    "description": "The club's team the match is for; absent: the coach's default team",
}
_TEAM_TEXT = {
    "type": "string",
    "description": _TEAM["description"],
    "pattern": "^([0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
    "[0-9a-fA-F]{12})?$",
}
_SAME_DAY_TEXT = {**_SAME_DAY, "type": "string", "enum": ["true", "false", ""], "default": "false"}
UPLOAD_BODY = {
    "parameters": [
        {
            "in": "header",
            "name": "Prefer",
            "required": False,
            "schema": {"type": "string", "enum": ["respond-async"]},
            "description": "`respond-async`: answer 202 at once and store the match in a job",
        }
    ],
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["events_file", "match_date"],
                    "properties": {
                        "events_file": {
                            "type": "string",
                            "format": "binary",
                            "description": "The events: a StatsBomb JSON array, Wyscout v2/v3"
                            " JSON, Opta F24 XML, Stats Perform MA3 (JSON or XML), Sportec"
                            " events XML, Metrica JSON, Impect JSON, DataFactory JSON or"
                            " Spinta's CSV tagging template",
                        },
                        "meta_file": {
                            "type": "string",
                            "format": "binary",
                            "description": "The second file a provider needs: Opta F7, Stats"
                            " Perform MA1, Sportec match information, Metrica EPTS metadata,"
                            " Impect lineups",
                        },
                        "provider": {
                            "type": "string",
                            "enum": [*PROVIDER_NAMES, ""],
                            "description": "The file's provider; absent: detected from the"
                            " content (the answer's data_source names it)",
                        },
                        "our_team": {
                            "type": "string",
                            "maxLength": 120,
                            "description": "Our side when the club's name is not in the file:"
                            " home, away or the team's name in the file",
                        },
                        "opponent_name": _OPPONENT,
                        "match_date": {"type": "string", "format": "date"},
                        "our_score": _SCORE_TEXT,
                        "opponent_score": _SCORE_TEXT,
                        "opponent_logo_url": _LOGO,
                        "allow_same_day": _SAME_DAY_TEXT,
                        "team_id": _TEAM_TEXT,
                    },
                }
            },
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["match_date", "statsbomb_events"],
                    "properties": {
                        "opponent_name": {**_OPPONENT, "nullable": True},
                        "match_date": {"type": "string", "format": "date"},
                        "our_score": _SCORE,
                        "opponent_score": _SCORE,
                        "opponent_logo_url": {**_LOGO, "nullable": True},
                        "allow_same_day": {**_SAME_DAY, "nullable": True},
                        "team_id": {**_TEAM, "nullable": True},
                        "provider": {
                            "type": "string",
                            "enum": ["statsbomb", ""],
                            "nullable": True,
                            "description": "JSON bodies carry StatsBomb events only",
                        },
                        "our_team": {"type": "string", "maxLength": 120, "nullable": True},
                        "statsbomb_events": {
                            "type": "array",
                            "items": {"type": "object"},
                            "description": "The StatsBomb events",
                        },
                    },
                }
            },
        },
    },
}


@blp.route("/matches", methods=["POST"])
@large_body
@coach_required
@blp.response(201, UploadResultSchema)
@blp.alt_response(
    202,
    schema=JobAcceptedSchema,
    description="Asked with `Prefer: respond-async`: the match is stored by a background job",
    headers={
        "Location": {
            "description": "The job: `/api/coach/jobs/{job_id}`",
            "schema": {"type": "string"},
        }
    },
)
@errors(
    blp,
    (
        400,
        "The file or body is not valid JSON, not UTF-8 text (a lone surrogate escape), nested "
        "more than 32 levels, or the body is not a JSON object",
    ),
    (404, "`team_id` is not a team of this club"),
    (
        409,
        "This match was already uploaded, or a match of the team against the same opponent on"
        " the same date is stored and `allow_same_day` is not true (`match_id` names it)",
    ),
    (
        413,
        "The body is over MAX_UPLOAD_MB, the form has over 1,000 parts or a text field over "
        "1 MB, or the file holds far more objects and values than a match (the sentence says "
        "which)",
    ),
    (415, "Neither multipart/form-data nor JSON"),
    (
        422,
        "The events cannot be analysed, there are more than MAX_EVENTS of them, or a field is "
        "missing or invalid",
    ),
    body=True,
    auth=COACH,
)
@blp.doc(**UPLOAD_BODY)
def upload_match():
    """Upload a match's event file (any supported provider) and analyse the match.

    With `Prefer: respond-async` the checks that need no analysis run at once (400, 409 same
    day, 413, 415, 422 fields) and the match is stored by a background job: 202 with
    `Location: /api/coach/jobs/{job_id}`; the job's `result` is then this endpoint's 201 body.
    """
    with upload_memory() as keep:
        club = current_club()
        upload = read_match_upload(request, lambda typed: matches.check_upload(club.id, typed))
        upload = dataclasses.replace(upload, team_id=upload_team(upload.team_id))
        if prefers_async(request) and not isinstance(upload.events, matches.ProviderFile):
            # Other providers' files are read at once (RFC 7240: a preference may be ignored).
            return _queue_upload(club, upload)
        result = matches.import_match(club=club, upload=upload)
        keep(upload, result)
    registry.upload_committed(result.match.id, club.id)
    return upload_body(result)


def prefers_async(request) -> bool:
    """Whether a ``Prefer`` header (RFC 7240) asks for ``respond-async``."""
    for header in request.headers.getlist("Prefer"):
        for preference in header.split(","):
            if preference.split(";")[0].split("=")[0].strip().lower() == "respond-async":
                return True
    return False


def _queue_upload(club, upload) -> Response:
    job = jobs.create_upload_job(club=club, upload=upload)
    enqueue(UPLOAD, str(job.id))
    db.session.refresh(job)  # without a broker the job has run by now
    response = jsonify(JobAcceptedSchema().dump({"job_id": job.id, "status": job.status}))
    response.status_code = 202
    response.headers["Location"] = url_for("coach.get_job", job_id=job.id)
    response.headers["Preference-Applied"] = "respond-async"  # RFC 7240
    return response


@blp.route("/jobs/<uuid:job_id>", methods=["GET"])
@coach_required
@blp.response(200, JobSchema)
@errors(blp, (404, "No such job in this club"), auth=COACH)
def get_job(job_id: uuid.UUID):
    """A background job of the club: status, progress, and its result or error (a staff
    member with the ``coach`` role: of his teams' uploads only)."""
    return jobs.get_club_job(club=current_club(), job_id=job_id, teams=visible_teams())


@blp.route("/matches", methods=["GET"])
@coach_required
@blp.arguments(ScopedPaginationSchema, location="query", as_kwargs=True)
@blp.response(200, MatchListSchema)
@errors(blp, NO_SCOPE, query=True, auth=COACH)
def list_matches(limit: int, offset: int, team_id=None, season_id=None):
    """The matches of a team and season (default: the first team, its latest season), newest
    first."""
    club = current_club()
    total, items = matches.list_matches(
        club=club, limit=limit, offset=offset, scope=scope_for(club.id, team_id, season_id)
    )
    return {"total_count": total, "matches": items}


@blp.route("/matches/<uuid:match_id>", methods=["DELETE"])
@coach_required
@blp.response(200, DeletedMatchSchema)
@errors(blp, NO_MATCH, auth=COACH)
def delete_match(match_id: uuid.UUID):
    """Delete a match and everything derived from it; the season is recomputed."""
    matches.delete_match(club=current_club(), match_id=match_id)
    return {"deleted": True, "match_id": match_id, "message": "Match deleted."}


# ---------------------------------------------------------------- screens (read only)


@blp.route("/dashboard", methods=["GET"])
@screen("coach")
@coach_required
@blp.arguments(DashboardQuerySchema, location="query", as_kwargs=True)
@blp.response(200, CoachDashboardSchema)
@errors(blp, NO_SCOPE, query=True, auth=COACH)
def dashboard(matches_limit: int, matches_offset: int, team_id=None, season_id=None):
    """The coach's home screen: season record, form, recent matches, season averages."""
    club = current_club()
    return screens.coach_dashboard(
        user=current_account(),
        club=club,
        limit=matches_limit,
        offset=matches_offset,
        scope=asked_scope(club.id, team_id, season_id),
    )


@blp.route("/matches/<uuid:match_id>", methods=["GET"])
@screen("coach")
@coach_required
@blp.response(200, MatchDetailSchema)
@errors(blp, NO_MATCH, auth=COACH)
def match_detail(match_id: uuid.UUID):
    """One match: score, goal timeline, both teams' statistics and lineups."""
    return screens.match_detail(club=current_club(), match_id=match_id)


@blp.route("/players", methods=["GET"])
@screen("coach")
@coach_required
@blp.arguments(ScopedPaginationSchema, location="query", as_kwargs=True)
@blp.response(200, SquadSchema)
@errors(blp, NO_SCOPE, query=True, auth=COACH)
def list_players(limit: int, offset: int, team_id=None, season_id=None):
    """The squad by jersey number (a page), with how many players have joined."""
    club = current_club()
    return screens.squad(
        club=club, limit=limit, offset=offset, scope=asked_scope(club.id, team_id, season_id)
    )


@blp.route("/players/<uuid:player_id>", methods=["GET"])
@audited("read", ("player_name", "height", "age", "profile_image_url", "training_plans"))
@screen("coach")
@coach_required
@blp.arguments(ScopedPaginationSchema, location="query", as_kwargs=True)
@blp.response(200, PlayerDetailSchema)
@errors(blp, (404, "No such player, team or season in this club"), query=True, auth=COACH)
def player_detail(player_id: uuid.UUID, limit: int, offset: int, team_id=None, season_id=None):
    """One player: card, ratings, season statistics, his matches and training plans."""
    club = current_club()
    return screens.player_detail(
        club=club,
        player_id=player_id,
        limit=limit,
        offset=offset,
        scope=asked_scope(club.id, team_id, season_id),
    )


@blp.route("/players/<uuid:player_id>", methods=["PATCH"])
@audited("changed", ("player_name", "jersey_number", "position"))
@coach_required
@blp.arguments(PlayerUpdateSchema)
@blp.response(200, CoachPlayerCardSchema)
@errors(blp, NO_PLAYER, body=True, auth=COACH)
def update_player(body, player_id: uuid.UUID):
    """Correct a squad player's name, jersey number (0-99) or position; absent fields stay."""
    player = players.update_player(
        club=current_club(), coach_user_id=current_account().id, player_id=player_id, changes=body
    )
    return screens.player_card(player)


@blp.route("/players/<uuid:player_id>/matches/<uuid:match_id>", methods=["GET"])
@screen("coach")
@coach_required
@blp.response(200, PlayerMatchSchema)
@errors(blp, (404, "No such player or match in this club, or he did not play"), auth=COACH)
def player_match(player_id: uuid.UUID, match_id: uuid.UUID):
    """One player's statistics in one match."""
    return screens.club_player_match(club=current_club(), player_id=player_id, match_id=match_id)


@blp.route("/templates/tagging.csv", methods=["GET"])
@coach_required
@errors(blp, auth=COACH)
@blp.doc(
    responses={
        "200": {
            "description": "Spinta's CSV tagging template with example rows (README, \"CSV"
            ' tagging template"); upload a filled copy as `events_file`',
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
)
def tagging_template():
    """The CSV tagging template for a match tagged by hand."""
    return Response(
        TAGGING_TEMPLATE,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="spinta-tagging.csv"'},
    )


@blp.route("/players/<uuid:player_id>/invite-code", methods=["POST"])
@coach_required
@blp.response(201, IssuedInviteCodeSchema)
@errors(blp, NO_PLAYER, (409, "The player has already joined"), auth=COACH)
def reissue_invite_code(player_id: uuid.UUID):
    """Revoke a player's invite code and issue a new one (until he has joined)."""
    return invites.reissue_invite_code(club=current_club(), player_id=player_id)


@blp.route("/profile", methods=["GET"])
@screen("coach")
@coach_required
@blp.arguments(ScopeQuerySchema, location="query", as_kwargs=True)
@blp.response(200, CoachProfileSchema)
@errors(blp, NO_SCOPE, query=True, auth=COACH)
def profile(team_id=None, season_id=None):
    """The coach's profile, club and club figures."""
    user = current_account()
    club = current_club()
    return screens.coach_profile(
        user=user, coach=user.coach, club=club, scope=scope_for(club.id, team_id, season_id)
    )


# ---------------------------------------------------------------- teams and seasons


@blp.route("/teams", methods=["GET"])
@coach_required
@blp.response(200, TeamListSchema)
@errors(blp, auth=COACH)
def list_teams():
    """The club's teams (the first is the default of every screen); a staff member with the
    `coach` role: the teams he coaches."""
    return {"teams": teams.list_teams(current_club().id, only=visible_teams())}


@blp.route("/seasons", methods=["GET"])
@coach_required
@blp.response(200, SeasonListSchema)
@errors(blp, auth=COACH)
def list_seasons():
    """The club's seasons, newest first."""
    return {"seasons": teams.list_seasons(current_club().id)}


@blp.route("/teams/<uuid:team_id>/playing-time", methods=["GET"])
@screen("coach")
@coach_required
@blp.arguments(PlayingTimeQuerySchema, location="query", as_kwargs=True)
@blp.response(200, PlayingTimeSchema)
@errors(blp, NO_SCOPE, query=True, auth=COACH)
def team_playing_time(team_id: uuid.UUID, season_id=None):
    """Each player's matches, starts, minutes (by position) and share of the minutes the team
    played in a season (default: its latest season with a match; `all`: every season), lowest
    share first, flagged below the club's minimum share."""
    return playing_time.playing_time(club=current_club(), team_id=team_id, season_id=season_id)


# ---------------------------------------------------------------- staff

ADMIN_ONLY = (403, "A player token, or a staff member with the `coach` role (admins only)")


@blp.route("/staff-invites", methods=["POST"])
@coach_required
@admin_required
@token_account_limited
@blp.arguments(StaffInviteSchema)
@blp.response(201, StaffInviteIssuedSchema)
@errors(
    blp,
    ADMIN_ONLY,
    (404, "A team of another club"),
    body=True,
    auth=COACH,
    rate_limited=True,
)
def issue_staff_invite(body):
    """Invite a staff member (admin): a single-use code to register with
    (`POST /api/auth/register/coach` with `invite_code`), as `admin` or as the `coach` of
    `team_ids`; it expires like a player's code."""
    return staff.issue_invite(club=current_club(), **body)


@blp.route("/staff", methods=["GET"])
@coach_required
@blp.response(200, StaffListSchema)
@errors(blp, auth=COACH)
def list_staff():
    """The club's staff: admins, and coaches with the teams they coach."""
    return {"staff": staff.list_staff(current_club().id)}


@blp.route("/staff/<uuid:coach_id>", methods=["DELETE"])
@coach_required
@admin_required
@blp.response(200, StaffRemovedSchema)
@errors(
    blp,
    ADMIN_ONLY,
    (404, "No such staff member in this club"),
    (409, "The club's last admin"),
    auth=COACH,
)
def remove_staff(coach_id: uuid.UUID):
    """Remove a staff member (admin): his account is deleted and his tokens stop working;
    the club's last admin cannot be removed."""
    staff.remove_member(club=current_club(), coach_id=coach_id)
    return {"deleted": True, "coach_id": coach_id, "message": "Staff member removed."}
