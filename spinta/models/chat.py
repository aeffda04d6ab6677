"""The coach's assistant chat: sessions (with follow-up context) and their messages."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from spinta.models.base import Base, JSONType, Timestamps, UUIDPrimaryKey, utcnow

CHAT_ROLES = ("user", "assistant")


class ChatSession(UUIDPrimaryKey, Timestamps, Base):
    """One conversation of a coach with the assistant.

    ``context`` remembers what the last answer was about (player ids, match id, statistics,
    kind of question) so that follow-ups like "and his assists?" can be answered.
    """

    __tablename__ = "chat_sessions"

    coach_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("coaches.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str | None] = mapped_column(String(120))
    context: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)

    messages: Mapped[list[ChatMessage]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(ChatMessage.created_at, ChatMessage.id)",
    )


class ChatMessage(UUIDPrimaryKey, Base):
    """One message of a session: the coach's question or the assistant's Markdown answer."""

    __tablename__ = "chat_messages"
    __table_args__ = (CheckConstraint("role IN ('user', 'assistant')", name="role"),)

    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("chat_sessions.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[ChatSession] = relationship(back_populates="messages")
