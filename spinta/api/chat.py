"""/api/chat: the coach's assistant, answering questions about his own club offline."""

from __future__ import annotations

import uuid

from flask_smorest import Blueprint

from spinta.schemas.chat import (
    ChatHistorySchema,
    ChatQuestionSchema,
    ChatReplySchema,
    DeletedChatSessionSchema,
)
from spinta.security import coach_required, current_club
from spinta.services import chat
from spinta.services.chat.service import aware

blp = Blueprint("chat", __name__, description="Coach: the assistant chat")

SECURED = {"security": [{"bearerAuth": []}]}


@blp.route("/messages", methods=["POST"])
@coach_required
@blp.arguments(ChatQuestionSchema)
@blp.response(200, ChatReplySchema)
@blp.alt_response(404, description="Unknown session, or another coach's")
@blp.alt_response(422, description="Empty message or longer than 2000 characters")
@blp.doc(**SECURED)
def ask(body):
    """Ask the assistant a question about the club (starts a session without session_id)."""
    reply = chat.ask(club=current_club(), message=body["message"], session_id=body["session_id"])
    return {"session_id": reply.session_id, "message": reply.message, "timestamp": reply.timestamp}


@blp.route("/sessions/<uuid:session_id>/messages", methods=["GET"])
@coach_required
@blp.response(200, ChatHistorySchema)
@blp.alt_response(404, description="Unknown session, or another coach's")
@blp.doc(**SECURED)
def session_messages(session_id: uuid.UUID):
    """A chat session's messages, oldest first."""
    found_id, messages = chat.history(club=current_club(), session_id=session_id)
    return {
        "session_id": found_id,
        "messages": [
            {"role": m.role, "message": m.message, "timestamp": aware(m.created_at)}
            for m in messages
        ],
    }


@blp.route("/sessions/<uuid:session_id>", methods=["DELETE"])
@coach_required
@blp.response(200, DeletedChatSessionSchema)
@blp.alt_response(404, description="Unknown session, or another coach's")
@blp.doc(**SECURED)
def delete_session(session_id: uuid.UUID):
    """Delete a chat session and its messages."""
    count = chat.delete_session(club=current_club(), session_id=session_id)
    return {
        "message": "Chat session deleted.",
        "deleted_messages": count,
        "deleted": True,
        "session_id": session_id,
    }
