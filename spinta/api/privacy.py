"""Children's data (api.md "Children's data"): guardians, consent, export, erasure, removal,
the access log. Coach routes under /api/coach, the player's under /api/player, a guardian's
under /api/guardian (read-only screens of his children, their export and erasure requests)."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

from flask import Response, stream_with_context

from spinta.api.blueprint import Blueprint
from spinta.api.docs import COACH, GUARDIAN, PLAYER, errors
from spinta.errors import NotFound
from spinta.models import PURPOSES
from spinta.schemas.common import PaginationSchema
from spinta.schemas.privacy import (
    AccessLogSchema,
    ChildrenSchema,
    ConsentInSchema,
    ConsentStatusSchema,
    DeletedSchema,
    ErasureSchema,
    GuardianInSchema,
    GuardianInviteSchema,
    GuardianListSchema,
    RemovedSchema,
    WithdrawnSchema,
)
from spinta.schemas.screens import (
    PagedMatchesSchema,
    PlayerDashboardSchema,
    PlayerMatchSchema,
    PlayerProfileSchema,
)
from spinta.schemas.training import PlayerPlansSchema
from spinta.security import (
    admin_required,
    coach_required,
    current_account,
    current_club,
    current_player,
    guardian_required,
    player_required,
)
from spinta.services import consent, privacy, screens, training
from spinta.services.consent import club_player

coach_blp = Blueprint(
    "coach_privacy", __name__, description="Children's data: guardians, consent, export, erasure"
)
player_blp = Blueprint("player_privacy", __name__, description="A player's own data rights")
guardian_blp = Blueprint(
    "guardian", __name__, description="Guardians: their children's screens (read-only) and rights"
)

NO_PLAYER = (404, "No such player in this club")
NO_CHILD = (404, "Not one of your children")
ZIP = {"content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}
PURPOSE_PARAM = {
    "parameters": [
        {
            "in": "path",
            "name": "purpose",
            "required": True,
            "schema": {"type": "string", "enum": list(PURPOSES)},
        }
    ]
}


def _export_response(player, *, role: str) -> Response:
    """The player's data as a streamed ZIP (its access is logged first)."""
    tables = privacy.export_for(player, role=role, actor_id=current_account().id)
    response = Response(
        stream_with_context(privacy.export_zip(player, tables)), mimetype="application/zip"
    )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="spinta-player-{player.id}.zip"'
    )
    return response


def _erasure(player, *, role: str):
    return privacy.request_erasure(player, requested_by=role, actor_id=current_account().id)


def _audit(player, *, role: str, action: str, fields=()) -> None:
    privacy.log_access(
        player.id, actor_role=role, actor_id=current_account().id, action=action, fields=fields
    )


# ---------------------------------------------------------------- coach


@coach_blp.route("/players/<uuid:player_id>/guardians", methods=["POST"])
@coach_required
@coach_blp.arguments(GuardianInSchema)
@coach_blp.response(201, GuardianInviteSchema)
@errors(coach_blp, NO_PLAYER, body=True, auth=COACH)
def add_guardian(body, player_id: uuid.UUID):
    """Invite a guardian of a player: his invite code lets him sign up as a guardian."""
    guardian = consent.add_guardian(club=current_club(), player_id=player_id, **body)
    _audit(
        club_player(current_club(), player_id),
        role="coach",
        action="guardian_added",
        fields=("guardians",),
    )
    return guardian


@coach_blp.route("/players/<uuid:player_id>/guardians", methods=["GET"])
@coach_required
@coach_blp.response(200, GuardianListSchema)
@errors(coach_blp, NO_PLAYER, auth=COACH)
def list_guardians(player_id: uuid.UUID):
    """A player's guardians."""
    return {"guardians": consent.list_guardians(club=current_club(), player_id=player_id)}


@coach_blp.route("/players/<uuid:player_id>/guardians/<uuid:guardian_id>", methods=["DELETE"])
@coach_required
@coach_blp.response(200, DeletedSchema)
@errors(coach_blp, (404, "No such player in this club, or not his guardian"), auth=COACH)
def delete_guardian(player_id: uuid.UUID, guardian_id: uuid.UUID):
    """Remove a guardian (his login ends when he is nobody else's guardian)."""
    consent.delete_guardian(club=current_club(), player_id=player_id, guardian_id=guardian_id)
    _audit(
        club_player(current_club(), player_id),
        role="coach",
        action="guardian_removed",
        fields=("guardians",),
    )
    return {"deleted": True, "message": "Guardian removed."}


@coach_blp.route("/players/<uuid:player_id>/consents", methods=["POST"])
@coach_required
@coach_blp.arguments(ConsentInSchema)
@coach_blp.response(201, ConsentStatusSchema)
@errors(coach_blp, NO_PLAYER, body=True, auth=COACH)
def record_consent(body, player_id: uuid.UUID):
    """Record consent to one purpose: who gave it, how, to which version of the text."""
    consent.record_consent(club=current_club(), player_id=player_id, **body)
    player = club_player(current_club(), player_id)
    _audit(player, role="coach", action="consent_recorded", fields=(body["purpose"],))
    return consent.consent_status(player)


@coach_blp.route("/players/<uuid:player_id>/consents", methods=["GET"])
@coach_required
@coach_blp.response(200, ConsentStatusSchema)
@errors(coach_blp, NO_PLAYER, auth=COACH)
def consents(player_id: uuid.UUID):
    """The consent age, whether he is a minor, every consent and the purposes missing one."""
    return consent.consent_status(club_player(current_club(), player_id))


@coach_blp.route("/players/<uuid:player_id>/consents/<purpose>", methods=["DELETE"])
@coach_required
@coach_blp.response(200, WithdrawnSchema)
@coach_blp.doc(**PURPOSE_PARAM)
@errors(coach_blp, (404, "No such player, purpose or active consent"), auth=COACH)
def withdraw_consent(player_id: uuid.UUID, purpose: str):
    """Withdraw consent to a purpose: that processing stops from now on."""
    return _withdraw(club_player(current_club(), player_id), purpose, role="coach")


def _withdraw(player, purpose: str, *, role: str) -> dict:
    if purpose not in PURPOSES:
        raise NotFound(f"No such purpose: use one of {', '.join(PURPOSES)}.")
    consent.withdraw_consent(player=player, purpose=purpose)
    _audit(player, role=role, action="consent_withdrawn", fields=(purpose,))
    return {"purpose": purpose, "withdrawn": True, "message": "Consent withdrawn."}


@coach_blp.route("/players/<uuid:player_id>/data-export", methods=["GET"])
@coach_required
@coach_blp.response(200, description="ZIP: player.json and one CSV per table")
@coach_blp.doc(responses={"200": ZIP})
@errors(coach_blp, NO_PLAYER, auth=COACH)
def data_export(player_id: uuid.UUID):
    """Everything Spinta holds about a player, as a ZIP of JSON and CSV (Art. 15/20)."""
    return _export_response(club_player(current_club(), player_id), role="coach")


@coach_blp.route("/players/<uuid:player_id>/erasure", methods=["POST"])
@coach_required
@coach_blp.response(202, ErasureSchema)
@errors(coach_blp, NO_PLAYER, auth=COACH)
def request_erasure(player_id: uuid.UUID):
    """Request the erasure of a player (carried out by the purge when due)."""
    return _erasure(club_player(current_club(), player_id), role="coach")


@coach_blp.route("/players/<uuid:player_id>", methods=["DELETE"])
@coach_required
@coach_blp.response(200, RemovedSchema)
@errors(coach_blp, NO_PLAYER, auth=COACH)
def remove_player(player_id: uuid.UUID):
    """Remove a player from the club: his login ends and the retention clock starts."""
    player = privacy.remove_player(
        club=current_club(), player_id=player_id, actor_id=current_account().id
    )
    return {
        "player_id": player.id,
        "removed": True,
        "retained_until": privacy.retention_until(player),
        "message": "Player removed from the club.",
    }


@coach_blp.route("/players/<uuid:player_id>/access-log", methods=["GET"])
@coach_required
@admin_required
@coach_blp.response(200, AccessLogSchema)
@errors(coach_blp, NO_PLAYER, (403, "Not the club's admin, or not a coach's token"), auth=COACH)
def access_log(player_id: uuid.UUID):
    """Who read or changed the player's personal data, newest first (club admins only)."""
    return {"entries": privacy.access_log(club=current_club(), player_id=player_id)}


# ---------------------------------------------------------------- player


@player_blp.route("/data-export", methods=["GET"])
@player_required
@player_blp.response(200, description="ZIP: player.json and one CSV per table")
@player_blp.doc(responses={"200": ZIP})
@errors(player_blp, auth=PLAYER)
def own_data_export():
    """Everything Spinta holds about you, as a ZIP of JSON and CSV."""
    return _export_response(current_player(), role="player")


@player_blp.route("/erasure-request", methods=["POST"])
@player_required
@player_blp.response(202, ErasureSchema)
@errors(player_blp, auth=PLAYER)
def own_erasure_request():
    """Ask for your data to be erased (carried out by the deadline)."""
    return _erasure(current_player(), role="player")


# ---------------------------------------------------------------- guardian


def _child(player_id: uuid.UUID):
    return consent.guardian_child(current_account(), player_id)


def _read(player_id: uuid.UUID, screen: str):
    player = _child(player_id)
    _audit(player, role="guardian", action="read", fields=(screen,))
    return player


@guardian_blp.route("/children", methods=["GET"])
@guardian_required
@guardian_blp.response(200, ChildrenSchema)
@errors(guardian_blp, auth=GUARDIAN)
def children():
    """The children whose guardian you are."""
    return {
        "children": [
            {"player_id": p.id, "player_name": p.player_name, "club_name": club_name}
            for p, club_name in consent.guardian_children(current_account())
        ]
    }


@guardian_blp.route("/children/<uuid:player_id>/dashboard", methods=["GET"])
@guardian_required
@guardian_blp.response(200, PlayerDashboardSchema)
@errors(guardian_blp, NO_CHILD, auth=GUARDIAN)
def child_dashboard(player_id: uuid.UUID):
    """Your child's home screen (read-only)."""
    return screens.player_dashboard(player=_read(player_id, "dashboard"))


@guardian_blp.route("/children/<uuid:player_id>/matches", methods=["GET"])
@guardian_required
@guardian_blp.arguments(PaginationSchema, location="query", as_kwargs=True)
@guardian_blp.response(200, PagedMatchesSchema)
@errors(guardian_blp, NO_CHILD, query=True, auth=GUARDIAN)
def child_matches(player_id: uuid.UUID, limit: int, offset: int):
    """The matches your child played, newest first."""
    player = _read(player_id, "matches")
    return screens.player_matches(player=player, limit=limit, offset=offset)


@guardian_blp.route("/children/<uuid:player_id>/matches/<uuid:match_id>", methods=["GET"])
@guardian_required
@guardian_blp.response(200, PlayerMatchSchema)
@errors(guardian_blp, (404, "Not one of your children, or he did not play it"), auth=GUARDIAN)
def child_match(player_id: uuid.UUID, match_id: uuid.UUID):
    """Your child's statistics in one match."""
    player = _read(player_id, "match")
    return screens.player_match(club_id=player.club_id, player_id=player.id, match_id=match_id)


@guardian_blp.route("/children/<uuid:player_id>/training", methods=["GET"])
@guardian_required
@guardian_blp.arguments(PaginationSchema, location="query")
@guardian_blp.response(200, PlayerPlansSchema)
@errors(guardian_blp, NO_CHILD, query=True, auth=GUARDIAN)
def child_training(query, player_id: uuid.UUID):
    """Your child's training plans, newest first."""
    page = training.list_player_plans(player=_read(player_id, "training"), **query)
    return {"total_count": page.total_count, "training_plans": page.plans}


@guardian_blp.route("/children/<uuid:player_id>/profile", methods=["GET"])
@guardian_required
@guardian_blp.response(200, PlayerProfileSchema)
@errors(guardian_blp, NO_CHILD, auth=GUARDIAN)
def child_profile(player_id: uuid.UUID):
    """Your child's profile."""
    player = _read(player_id, "profile")
    user = player.user or SimpleNamespace(email="")
    return screens.player_profile(user=user, player=player)


@guardian_blp.route("/children/<uuid:player_id>/consents/<purpose>", methods=["DELETE"])
@guardian_required
@guardian_blp.response(200, WithdrawnSchema)
@guardian_blp.doc(**PURPOSE_PARAM)
@errors(guardian_blp, (404, "Not one of your children, or no such active consent"), auth=GUARDIAN)
def child_withdraw_consent(player_id: uuid.UUID, purpose: str):
    """Withdraw a consent given for your child: that processing stops from now on."""
    return _withdraw(_child(player_id), purpose, role="guardian")


@guardian_blp.route("/children/<uuid:player_id>/data-export", methods=["GET"])
@guardian_required
@guardian_blp.response(200, description="ZIP: player.json and one CSV per table")
@guardian_blp.doc(responses={"200": ZIP})
@errors(guardian_blp, NO_CHILD, auth=GUARDIAN)
def child_data_export(player_id: uuid.UUID):
    """Everything Spinta holds about your child, as a ZIP of JSON and CSV."""
    return _export_response(_child(player_id), role="guardian")


@guardian_blp.route("/children/<uuid:player_id>/erasure-request", methods=["POST"])
@guardian_required
@guardian_blp.response(202, ErasureSchema)
@errors(guardian_blp, NO_CHILD, auth=GUARDIAN)
def child_erasure_request(player_id: uuid.UUID):
    """Ask for your child's data to be erased (carried out by the deadline)."""
    return _erasure(_child(player_id), role="guardian")
