"""Template tags of the web conventions: the head metadata and the cluster links, used by the theme's
two includes (``themes/includes/head_meta.html`` and ``cluster_links.html``)."""

from __future__ import annotations

from django import template

from tenants.addresses import site_root
from tenants.relations import relations_for
from tenants.web.meta import head_meta

register = template.Library()


@register.simple_tag(takes_context=True)
def zq_head_meta(context):
    """The page's ``HeadMeta`` (None outside a site, or on a page rendered without a database)."""
    if context.get("zq_no_database"):
        return None
    return head_meta(context)


@register.simple_tag(takes_context=True)
def zq_relations(context):
    """The current site's ``Relations`` (cached; None outside a site or without a database)."""
    site = context.get("zq_site")
    if context.get("zq_no_database") or site is None or getattr(site, "is_platform", False):
        return None
    return relations_for(site)


@register.simple_tag(takes_context=True)
def zq_site_url(context, domain: str) -> str:
    """A site's home page URL, on the visitor's scheme and port (``/`` appended)."""
    root = site_root(domain, context.get("request"))
    return f"{root}/" if root else ""
