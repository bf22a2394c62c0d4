"""The themes a site can wear. A theme is a colour scheme + stylesheet over one accessible layout,
so switching a site's theme never changes its URLs or content."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    key: str
    label: str
    stylesheet: str  # path under STATIC_URL


THEMES: dict[str, Theme] = {
    theme.key: theme
    for theme in (
        Theme("default", "政务蓝", "themes/default.css"),
        Theme("red", "党政红", "themes/red.css"),
        Theme("green", "生态绿", "themes/green.css"),
    )
}


def get_theme(key: str | None) -> Theme:
    return THEMES.get(key or "", THEMES["default"])


def theme_choices() -> list[tuple[str, str]]:
    return [(theme.key, theme.label) for theme in THEMES.values()]
