"""What a person reads on an admin screen, and the English left in it.

Used by the Chinese-admin checks (client and browser): scripts, styles, hidden inputs, attribute
values that are not shown, and SVG icons are not read; the visible text and the titles/placeholders
/aria-labels a screen reader or a tooltip shows are.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Words allowed to stay Latin: names and abbreviations Chinese users read as such.
ALLOWLIST = {"Wagtail", "URL", "ID", "PDF", "OFD", "ICP", "Word", "Excel", "Email", "email", "API", "CMS", "HTML"}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]{2,}")
_SHOWN_ATTRS = ("title", "placeholder", "aria-label", "alt")


_VOID = {"input", "img", "br", "hr", "meta", "link", "source", "area", "col", "embed", "wbr", "track", "base"}
_NEVER_SHOWN = ("script", "style", "svg", "template", "noscript")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0
        self._stack: list[tuple[str, bool]] = []  # open elements, and whether each one hides its content

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in _VOID:
            hides = tag in _NEVER_SHOWN or "hidden" in attrs
            self._stack.append((tag, hides))
            self._skip += hides
        if self._skip:
            return
        if tag == "input" and attrs.get("type") == "hidden":
            return
        for name in _SHOWN_ATTRS:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if all(open_tag != tag for open_tag, _hides in self._stack):
            return  # a stray end tag closes nothing
        while self._stack:
            open_tag, hides = self._stack.pop()
            self._skip -= hides
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


def english_words(text: str, allow: set[str] | frozenset[str] = frozenset()) -> list[str]:
    return sorted({word for word in _WORD.findall(text) if word not in ALLOWLIST and word not in allow})
