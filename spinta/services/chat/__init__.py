"""The coach's assistant chat: an offline question answerer over the club's own data.

``parser`` (pure) reads a question, ``intents`` (pure) decides what it asks using the session
context, ``answers`` queries the club's rows and writes Markdown, ``service`` stores sessions.
"""

from spinta.services.chat.service import Reply, ask, compose_answer, delete_session, history

__all__ = ["Reply", "ask", "compose_answer", "delete_session", "history"]
