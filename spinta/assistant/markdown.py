"""Text from users inside the assistant's Markdown answers, shown as text and nothing else.

Player names (a player picks his own at signup), club and opponent names, names in uploaded
files and words of the question all go through :func:`md` before they are put into an answer,
so ``[x](https://evil)``, ``![x](...)``, ``<b>``, ``**`` or a table's ``|`` are shown as typed
instead of becoming a link, an image, HTML or formatting. Letters (accents included), digits,
spaces and the punctuation of ordinary names (``' - . ,``) are left as they are.

A dozen lines of standard library: the Markdown libraries render Markdown, none of them
escapes text for inclusion in it.
"""

from __future__ import annotations

import re

# HTML first (as entities), then every character CommonMark/GFM gives a meaning inside a line
# (emphasis, code, links, images, headings, tables, strikethrough, autolinked e-mails).
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_MARKDOWN = re.compile(r"[\\`*_{}\[\]()#!|~@]")
# GFM turns bare "https://..." and "www...." into links: escape the character that triggers it.
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto)(?=:)|\b(www)(?=\.)")


def md(text: object) -> str:
    """``text`` as literal Markdown: one line, every Markdown-significant character escaped."""
    line = " ".join(str(text).split())  # no line breaks: a name cannot start a heading or list
    line = _MARKDOWN.sub(lambda found: "\\" + found.group(0), line.translate(_HTML))
    return _AUTOLINK.sub(lambda found: found.group(0) + "\\", line)
