"""Rewriting the links inside X's rich text so that on P they point at P's copies.

Wagtail stores internal references by id (``<a linktype="page" id="12">``, ``<a linktype="document"
id="3">``, ``<embed embedtype="image" id="5"/>``); X's ids mean nothing (or something else) on P.
Plain hrefs to X's own URLs (relative, or on any of X's domains) are rewritten through the closure's
URL map. A reference to something that was not copied never keeps X's id: it would silently point at
an unrelated object of P.

Rewriting always starts from X's original text, so running it twice (a resumed run) is harmless.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit, urlunsplit

from django.utils.encoding import iri_to_uri
from django.utils.html import escape
from wagtail.rich_text.rewriters import FIND_A_TAG, FIND_EMBED_TAG, extract_attrs


@dataclass
class LinkMap:
    pages: dict[int, int]  # X page id -> P page id (copied so far)
    documents: dict[int, int]
    images: dict[int, int]
    page_paths: dict[int, str]  # X page id -> P path it will have / the URL that answers for it
    to_copy: set[int]  # X page ids that will be copied (a link to one not copied yet is pending)
    urls: dict[str, str]  # decoded X path (with query for list pages) -> new URL
    hosts: set[str]  # X's domains
    source_root: str  # X's root URL, for relative links that lead nowhere on P
    target_root: str  # P's root URL: new URLs on P are written as paths


@dataclass
class Result:
    html: str
    pending: bool = False  # it links to a page not copied yet: rewrite again once it is
    changed: int = 0
    dropped: list[str] = field(default_factory=list)


def _tag(name: str, attrs: dict, closing: str = ">") -> str:
    rendered = "".join(f' {key}="{escape(value)}"' for key, value in attrs.items())
    return f"<{name}{rendered}{closing}"


def _local(url: str, links: LinkMap) -> str:
    """A new URL as written on P: a path when it is on P, else the absolute URL."""
    if url.startswith(links.target_root + "/"):
        url = url[len(links.target_root) :]
    return iri_to_uri(url)


def rewrite_href(href: str, links: LinkMap) -> str | None:
    """The new href for one of X's own URLs, or None when ``href`` is not X's (leave it alone)."""
    parts = urlsplit(href)
    if parts.scheme not in ("", "http", "https"):
        return None
    if parts.netloc:
        if parts.hostname not in links.hosts:
            return None
    elif not parts.path.startswith("/"):
        return None  # "#top", "a.html": relative to the page, moves with it
    path = unquote(parts.path)
    with_query = f"{path}?{parts.query}" if parts.query else path
    new = links.urls.get(with_query)
    query = ""
    if new is None:
        new = links.urls.get(path)
        query = parts.query
    if not new:
        # Not a URL X mapped: keep pointing at X, whose domain answers it (redirect or notice).
        return urlunsplit(urlsplit(links.source_root)[:2] + (parts.path, parts.query, parts.fragment))
    new_parts = urlsplit(new)
    if query and not new_parts.query:
        new = urlunsplit(new_parts[:3] + (query, ""))
    if parts.fragment:
        new = f"{new}#{parts.fragment}"
    return _local(new, links)


def rewrite(html: str, links: LinkMap) -> Result:
    result = Result(html=html)
    if not html:
        return result

    def anchor(match) -> str:
        attrs = extract_attrs(match.group(1))
        linktype = attrs.get("linktype")
        if linktype in ("page", "document"):
            old = int(attrs["id"]) if attrs.get("id", "").isdigit() else None
            ids = links.pages if linktype == "page" else links.documents
            if old is not None and old in ids:
                result.changed += 1
                return _tag("a", {**attrs, "id": str(ids[old])})
            others = {key: value for key, value in attrs.items() if key not in ("linktype", "id")}
            if linktype == "page" and old in links.page_paths:
                # Not copied yet (or answered by one of P's columns): a plain link for now.
                result.pending = result.pending or old in links.to_copy
                result.changed += 1
                return _tag("a", {**others, "href": _local(links.page_paths[old], links)})
            result.changed += 1
            result.dropped.append(f"{linktype}:{attrs.get('id', '')}")
            return _tag("a", others)  # broken on X too: stays a link to nowhere, never to P's object
        if "href" in attrs:
            new = rewrite_href(attrs["href"], links)
            if new is not None and new != attrs["href"]:
                result.changed += 1
                return _tag("a", {**attrs, "href": new})
        return match.group(0)

    def embed(match) -> str:
        attrs = extract_attrs(match.group(1))
        if attrs.get("embedtype") != "image":
            return match.group(0)
        old = int(attrs["id"]) if attrs.get("id", "").isdigit() else None
        result.changed += 1
        if old is not None and old in links.images:
            return _tag("embed", {**attrs, "id": str(links.images[old])}, "/>")
        result.dropped.append(f"image:{attrs.get('id', '')}")
        return ""

    html = FIND_A_TAG.sub(anchor, html)
    result.html = FIND_EMBED_TAG.sub(embed, html)
    return result
