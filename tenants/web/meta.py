"""What a public page says about itself in ``<head>``: description, OpenGraph and canonical link.

Everything comes from what the view already put in the template context (the page, the library
resource, the site) plus the site's primary domain from ``tenants.relations`` (cached), so the
include adds no query to a page. The only exception is an article's picture for ``og:image``, read
once per published revision and then cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.images import get_image_model

from tenants.addresses import site_root
from tenants.relations import absolute_url, relations_for

DESCRIPTION_CHARS = 120
_SPACES = re.compile(r"\s+")
_IMAGE_EMBED = re.compile(r'<embed[^>]*embedtype="image"[^>]*\sid="(\d+)"')
_IMAGE_EMBED_ID_FIRST = re.compile(r'<embed[^>]*\sid="(\d+)"[^>]*embedtype="image"')


@dataclass(frozen=True)
class HeadMeta:
    title: str
    description: str
    canonical: str
    og_type: str  # "article" or "website"
    site_name: str
    image: str = ""


def plain_text(html: object, limit: int = DESCRIPTION_CHARS) -> str:
    """Rich text as one line of at most ``limit`` characters (tags and runs of spaces removed)."""
    text = _SPACES.sub(" ", strip_tags(str(html or ""))).strip()
    return Truncator(text).chars(limit, truncate="…")


def describe_page(page) -> str:
    """search_description, else the summary, else the start of the body/intro."""
    for candidate in (getattr(page, "search_description", ""), getattr(page, "summary", "")):
        if candidate and str(candidate).strip():
            return plain_text(candidate)
    for name in ("body", "intro"):
        text = plain_text(getattr(page, name, ""))
        if text:
            return text
    return ""


def describe_resource(resource) -> str:
    return plain_text(getattr(resource, "summary", "")) or plain_text(getattr(resource, "body", ""))


def canonical_path(request: HttpRequest) -> str:
    """The request's path, keeping only ``?page=N`` (a list's later pages are pages of their own;
    tracking parameters and filters are not)."""
    page_number = request.GET.get("page", "")
    return f"{request.path}?page={page_number}" if page_number.isdigit() and page_number != "1" else request.path


def picture_url(page, site, request: HttpRequest) -> str:
    """An absolute URL of the page's picture: its ``cover`` image if the page type has one, else the
    first image embedded in its body. Cached per page revision, so a page view costs no query."""
    key = f"zq-web:picture:{page.pk}:{getattr(page, 'latest_revision_id', '') or ''}"
    path = cache.get(key)
    if path is None:
        path = _picture_path(page)
        cache.set(key, path, 24 * 60 * 60)
    return absolute_url(site, path, request) if path else ""


def _picture_path(page) -> str:
    """The picture's file path on this site (a query, run once per revision)."""
    image = getattr(page, "cover", None)
    if image is None:
        body = str(getattr(page, "body", "") or "")
        match = _IMAGE_EMBED.search(body) or _IMAGE_EMBED_ID_FIRST.search(body)
        if match is None:
            return ""
        image = get_image_model().objects.filter(pk=int(match.group(1))).first()
    if image is None:
        return ""
    try:
        return image.file.url
    except ValueError:  # an image row without a file
        return ""


def head_meta(context) -> HeadMeta | None:
    """The head metadata for the template context of any public page (None outside a site)."""
    request = context.get("request")
    site = context.get("zq_site")
    if request is None or site is None or getattr(site, "is_platform", False):
        return None
    page = context.get("page")
    resource = context.get("resource")
    title = context.get("meta_title") or ""
    description = context.get("meta_description") or ""
    og_type = "website"
    if resource is not None and getattr(resource, "is_withdrawn", False):
        # The 410 notice of a withdrawn resource: its title may be named, its content not repeated.
        title = title or "该信息已撤回"
        description = description or f"{site.name}：该信息已撤回。"
    elif resource is not None and hasattr(resource, "get_path"):
        title = title or resource.title
        description = description or describe_resource(resource)
        og_type = "article"
    elif page is not None and hasattr(page, "url_path"):
        title = title or (getattr(page, "seo_title", "") or page.title)
        description = description or describe_page(page)
        og_type = "article" if hasattr(page, "publish_date") else "website"
    canonical = context.get("canonical_url") or absolute_url(site, canonical_path(request), request)
    image = ""
    if page is not None and og_type == "article" and getattr(page, "pk", None):
        image = picture_url(page, site, request)
    title = title or site.name
    return HeadMeta(
        title=title,
        description=description or (site.name if title == site.name else f"{site.name}：{title}"),
        canonical=canonical,
        og_type=og_type,
        site_name=site.name,
        image=image,
    )


def portal_root(site, request: HttpRequest | None = None) -> str:
    """The city portal's root URL (the top of the site's chain, or the site itself when it is the
    top): where platform-library resources without a source site are canonical."""
    relations = relations_for(site)
    portal = relations.portal
    return site_root(portal.domain if portal else relations.domain, request)
