"""Checks for operator-typed text (site names, slugs, contacts) and safe echoes of it in messages.

Why refuse control characters: PostgreSQL rejects NUL in text outright (a 500 mid-provisioning), and
other invisible characters (zero-width, bidi overrides) make two names look the same on screen.
Why ``shorten``: an error message quotes what was given; a 128 KiB field or a NUL byte must not be
echoed back verbatim into a terminal or a page.
"""

from __future__ import annotations

import unicodedata


def control_characters(value: str) -> list[str]:
    """The distinct control/format/unassigned characters in ``value``, as ``U+XXXX`` codes."""
    found = {f"U+{ord(char):04X}" for char in value if unicodedata.category(char)[0] == "C"}
    return sorted(found)


def shorten(value: object, limit: int = 60) -> str:
    """``value`` as one printable line of at most ``limit`` characters (control characters escaped)."""
    text = "".join(
        char if unicodedata.category(char)[0] != "C" else f"\\x{ord(char):02x}" if ord(char) < 256 else "\ufffd"
        for char in str(value)[: limit + 1]
    )
    return text if len(text) <= limit else text[: limit - 1] + "…"
