"""The one rule for a site's slug (站点代号), used by ``create_site``, ``create_sites`` and the console.

Why this strict: the slug becomes the schema name (``site_<slug>``, at most 63 characters, compared
case-insensitively by PostgreSQL) and the default domain's first label (no ``_`` in hosts). Only
lower-case letters, digits and inner hyphens survive both unchanged, so two different slugs can never
give the same schema or domain. Surrounding spaces and upper case are normalised, not refused:
they carry no meaning and come from copy-paste.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tenants.lib.plain_text import shorten

MAX_LENGTH = 50  # Site.slug's max_length; "site_" + 50 stays under PostgreSQL's 63
_SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")


def normalise_slug(value: str) -> str:
    """Return the slug as stored (trimmed, lower case) or raise a ValidationError saying why not."""
    slug = (value or "").strip().lower()
    if not slug:
        raise ValidationError(_("请填写站点代号。"), code="required")
    if len(slug) > MAX_LENGTH or not _SLUG_RE.match(slug):
        raise ValidationError(
            _(
                "站点代号“%(value)s”无效：只能使用小写字母、数字和连字符（-），以字母或数字开头和结尾，"
                "最长 %(max)d 个字符。"
            ),
            params={"value": shorten(value), "max": MAX_LENGTH},
            code="invalid_slug",
        )
    return slug


def schema_name_for(slug: str) -> str:
    """The PostgreSQL schema of a site (``slug`` already normalised)."""
    return "site_" + slug.replace("-", "_")
