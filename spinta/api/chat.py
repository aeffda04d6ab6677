"""/api/chat: the coach's assistant, answering questions about his own club offline."""

from __future__ import annotations

import uuid

from spinta.api.blueprint import Blueprint
from spinta.api.docs import COACH, errors
from spinta.schemas.chat import (
    ChatHistorySchema,
    ChatQuestionSchema,
    ChatReplySchema,
    DeletedChatSessionSchema,
)
from spinta.schemas.common import PaginationSchema
from spinta.security import coach_required, current_account, current_club
from spinta.services import chat
from spinta.services.chat.service import aware

blp = Blueprint("chat", __name__, description="Coach: the assistant chat")

UNKNOWN_SESSION = (404, "Unknown session, or another coach's")


@blp.route("/messages", methods=["POST"])
@coach_required
@blp.arguments(ChatQuestionSchema)
@blp.response(200, ChatReplySchema)
@errors(blp, UNKNOWN_SESSION, body=True, auth=COACH)
def ask(body):
    """Ask the assistant a question about the club (starts a session without session_id)."""
    reply = chat.ask(
        club=current_club(),
        message=body["message"],
        session_id=body["session_id"],
        coach_id=current_account().coach.id,
    )
    return {"session_id": reply.session_id, "message": reply.message, "timestamp": reply.timestamp}


@blp.route("/sessions/<uuid:session_id>/messages", methods=["GET"])
@coach_required
@blp.arguments(PaginationSchema, location="query", as_kwargs=True)
@blp.response(200, ChatHistorySchema)
@errors(blp, UNKNOWN_SESSION, query=True, auth=COACH)
def session_messages(session_id: uuid.UUID, limit: int, offset: int):
    """A page of a chat session's messages: offset 0 is the newest ``limit``, oldest first."""
    found_id, total, messages = chat.history(
        club=current_club(),
        session_id=session_id,
        limit=limit,
        offset=offset,
        coach_id=current_account().coach.id,
    )
    return {
        "session_id": found_id,
        "total_count": total,
        "messages": [
            {"role": m.role, "message": m.message, "timestamp": aware(m.created_at)}
            for m in messages
        ],
    }


@blp.route("/sessions/<uuid:session_id>", methods=["DELETE"])
@coach_required
@blp.response(200, DeletedChatSessionSchema)
@errors(blp, UNKNOWN_SESSION, auth=COACH)
def delete_session(session_id: uuid.UUID):
    """Delete a chat session and its messages."""
    count = chat.delete_session(
        club=current_club(), session_id=session_id, coach_id=current_account().coach.id
    )
    return {
        "message": "Chat session deleted.",
        "deleted_messages": count,
        "deleted": True,
        "session_id": session_id,
    }
