"""The themes a site can wear. A theme is more than a colour: each has its own header (banner,
centred emblem, compact), its own navigation style, its own home-page arrangement, its own favicon
and its own emblem (drawn by its stylesheet from ``emblem-<key>.svg``, so the header carries no
``<img>``) — over one accessible HTML layout, so switching a site's theme never changes its URLs
or content, and the page cache (per site + URL) stays valid for every visitor.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    key: str
    label: str
    stylesheet: str  # path under STATIC_URL
    favicon: str  # path under STATIC_URL (SVG)
    header: str  # "banner" (tall band), "centred" (emblem above the name), "compact" (one row)
    nav: str  # "bar" (full-width band), "tabs" (underlined tabs), "pills" (rounded buttons)
    home: str  # "sidebar" (two columns), "cards" (card grid), "list" (one stacked column)

    @property
    def body_classes(self) -> str:
        """Classes on <body> that the stylesheets key the layout choices on."""
        return f"theme-{self.key} header-{self.header} nav-{self.nav} home-{self.home}"


THEMES: dict[str, Theme] = {
    theme.key: theme
    for theme in (
        Theme(
            "default",
            "政务蓝",
            "themes/default.css",
            "themes/favicon-default.svg",
            header="banner",
            nav="bar",
            home="sidebar",
        ),
        Theme(
            "red",
            "党政红",
            "themes/red.css",
            "themes/favicon-red.svg",
            header="centred",
            nav="tabs",
            home="cards",
        ),
        Theme(
            "green",
            "生态绿",
            "themes/green.css",
            "themes/favicon-green.svg",
            header="compact",
            nav="pills",
            home="list",
        ),
    )
}


def get_theme(key: str | None) -> Theme:
    return THEMES.get(key or "", THEMES["default"])


def theme_choices() -> list[tuple[str, str]]:
    return [(theme.key, theme.label) for theme in THEMES.values()]
