"""The Content-Security-Policy of public pages and of the admin (django-csp directive dicts).

Public pages (every site, the unknown-host and closure notices) run no script and no inline style:
the themes are stylesheets from ``/static/``. The two routing notices keep one small ``<style>`` block,
allowed by a per-response nonce, so they need no static file on a host that serves nothing else.

The admin (Wagtail's, ``/admin/``) needs more. Measured in Chromium under the public policy over the
login, dashboard, explorer, page editor with live preview and the new-article form
(tests/test_admin_csp_browser.py): 8 inline ``<script>`` blocks (widget set-up such as the date
chooser) and 4 inline styles are refused — so the admin allows ``'unsafe-inline'`` for both, plus
``data:``/``blob:`` images for upload previews. The live preview frames the site's own pages
(``frame-src 'self'``). It still allows no ``eval``, no plugin and no foreign framing of itself.

Media on S3 come from another origin: it is added to ``img-src``/``media-src`` only (a CDN in front of
it: ``ZQ_CSP_MEDIA_SRC``). Extra sources for embedded videos (``frame-src``) come from ``ZQ_CSP_FRAME_SRC``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

ADMIN_PATH_PREFIXES = ("/admin/",)


def public_directives(media_origins: list[str] | None = None, frame_sources: list[str] | None = None) -> dict:
    media = [SELF, *(media_origins or [])]
    return {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [*media, "data:"],
        "media-src": media,
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF, *(frame_sources or [])],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }


def admin_directives(media_origins: list[str] | None = None, frame_sources: list[str] | None = None) -> dict:
    media = [SELF, *(media_origins or [])]
    return {
        **public_directives(media_origins, frame_sources),
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [*media, "data:", "blob:"],
    }


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL, or "" when it has none."""
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def media_origins(*, media_url: str, s3_endpoint: str | None, s3_bucket: str, extra: list[str]) -> list[str]:
    """Where uploaded images and files are served from, when that is not the site itself."""
    origins = [origin_of(media_url), *extra]
    if s3_endpoint:
        origins.append(origin_of(s3_endpoint))
    elif s3_bucket:
        origins.append("https://*.amazonaws.com")
    return [origin for origin in dict.fromkeys(origins) if origin]
