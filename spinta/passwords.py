"""Password strength: a new password is refused when it is common or easy to guess.

zxcvbn (Dropbox's estimator, pure Python, its word and password lists ship inside the package,
so nothing is fetched at run time) scores a password 0-4 by the guesses an attacker needs,
knowing the most common passwords, names, words, keyboard walks, repeats and sequences. A score
below :data:`MIN_SCORE` is refused with zxcvbn's own reason ("This is a top-10 common
password."). Passwords are checked exactly as typed: never trimmed or normalised.
"""

from __future__ import annotations

from zxcvbn import zxcvbn

# 0 too guessable, 1 very guessable, 2 somewhat guessable (about 10^8 guesses: safe from an
# online attack, which rate limits and argon2 bound), 3 safely unguessable, 4 very unguessable.
MIN_SCORE = 2
# zxcvbn's own input limit; the characters past it add no guessability worth estimating.
CHECKED_LENGTH = 72
DEFAULT_REASON = "Add more words or characters that are less common."
COMMON = "It is one of the most common passwords."


def password_weakness(password: str) -> str | None:
    """Why ``password`` is too easy to guess, as a sentence; None when it is strong enough (or
    empty: zxcvbn fails on "", and the length rule, run alongside, names that problem)."""
    if not password:
        return None
    result = zxcvbn(password[:CHECKED_LENGTH])
    if result["score"] >= MIN_SCORE:
        return None
    feedback = result["feedback"]
    reason = feedback["warning"] or " ".join(feedback["suggestions"]) or DEFAULT_REASON
    if "common password" in reason:  # "This is a top-10 common password." and its kin
        reason = COMMON
    return f"This password is too easy to guess: {reason[0].lower()}{reason[1:]}"
