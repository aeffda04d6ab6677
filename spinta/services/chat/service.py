"""The assistant chat use cases: ask a question, read a session's history, delete a session.

Sessions belong to one coach; another coach's session is reported as not found. Asking stores
the question and the answer in one transaction.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import delete, func, select
from sqlalchemy.exc import SQLAlchemyError

from spinta.assistant.intents import Intent, decide, next_context
from spinta.assistant.parser import parse_question
from spinta.errors import NotFound
from spinta.extensions import db
from spinta.models import ChatMessage, ChatSession, Club, utcnow
from spinta.services.chat.answers import ClubData, answer, help_text, load_club_data

log = structlog.get_logger(__name__)

SESSION_NOT_FOUND = "Chat session not found."
TITLE_LENGTH = 80
TICK = timedelta(microseconds=1)
FAILED = "Sorry, I could not work that one out. "


@dataclass(frozen=True, slots=True)
class Reply:
    session_id: uuid.UUID
    message: str
    timestamp: datetime


def aware(value: datetime) -> datetime:
    """Timestamps come back naive from SQLite; they are UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _owned_session(coach_id: uuid.UUID, session_id: uuid.UUID) -> ChatSession:
    """One of the coach's own sessions (another staff member's answers 404 too)."""
    session = db.session.scalar(
        select(ChatSession).where(ChatSession.id == session_id, ChatSession.coach_id == coach_id)
    )
    if session is None:
        raise NotFound(SESSION_NOT_FOUND)
    return session


def compose_answer(*, club: Club, question: str, context: dict[str, Any]) -> tuple[str, dict]:
    """The Markdown answer and the context to remember (reads only, never commits)."""
    data: ClubData = load_club_data(club)
    parsed = parse_question(question, data.vocabulary())
    intent: Intent = decide(parsed, context)
    result = answer(intent, data, context)
    return result.text, next_context(result.intent, match_id=result.match_id, context=context)


def ask(
    *,
    club: Club,
    message: str,
    session_id: uuid.UUID | None = None,
    coach_id: uuid.UUID | None = None,
) -> Reply:
    """Answer one question in a session (a new one without ``session_id``) of the staff
    member ``coach_id`` (default: the club's founder) and store both."""
    coach_id = coach_id or club.coach_id
    session = _owned_session(coach_id, session_id) if session_id is not None else None
    context = dict(session.context or {}) if session is not None else {}
    started = time.perf_counter()
    try:
        text, new_context = compose_answer(club=club, question=message, context=context)
    except SQLAlchemyError:
        raise
    except Exception:  # a bug in one answer must not lose the conversation
        log.exception("chat_answer_failed")
        text, new_context = help_text(opener=FAILED), context
    log.debug("chat_answer", ms=round((time.perf_counter() - started) * 1000, 1))

    if session is None:
        session = ChatSession(coach_id=coach_id, title=message[:TITLE_LENGTH], context={})
        db.session.add(session)
        previous = None
    else:
        previous = aware(session.updated_at) if session.updated_at else None
    # Strictly increasing timestamps keep the history in order even on a coarse clock.
    asked_at = utcnow()
    if previous is not None and asked_at <= previous:
        asked_at = previous + TICK
    answered_at = max(utcnow(), asked_at + TICK)
    session.context = new_context
    session.updated_at = answered_at
    db.session.flush()
    db.session.add_all(
        [
            ChatMessage(session_id=session.id, role="user", message=message, created_at=asked_at),
            ChatMessage(
                session_id=session.id, role="assistant", message=text, created_at=answered_at
            ),
        ]
    )
    db.session.commit()
    return Reply(session_id=session.id, message=text, timestamp=answered_at)


def history(
    *, club: Club, session_id: uuid.UUID, limit: int, offset: int, coach_id: uuid.UUID | None = None
) -> tuple[uuid.UUID, int, list[ChatMessage]]:
    """A page of a session's messages counted from the newest (offset 0: the latest ``limit``),
    returned oldest first as a chat shows them, and the session's message count."""
    session = _owned_session(coach_id or club.coach_id, session_id)
    where = ChatMessage.session_id == session.id
    total = db.session.scalar(select(func.count()).select_from(ChatMessage).where(where)) or 0
    newest_first = db.session.scalars(
        select(ChatMessage)
        .where(where)
        .order_by(ChatMessage.created_at.desc(), ChatMessage.role)
        .limit(limit)
        .offset(offset)
    ).all()
    return session.id, int(total), list(reversed(newest_first))


def delete_session(*, club: Club, session_id: uuid.UUID, coach_id: uuid.UUID | None = None) -> int:
    """Delete a session and its messages; the number of messages deleted."""
    session = _owned_session(coach_id or club.coach_id, session_id)
    count = db.session.scalar(
        select(func.count()).select_from(ChatMessage).where(ChatMessage.session_id == session.id)
    )
    db.session.execute(delete(ChatMessage).where(ChatMessage.session_id == session.id))
    db.session.execute(delete(ChatSession).where(ChatSession.id == session.id))
    db.session.commit()
    return int(count or 0)
