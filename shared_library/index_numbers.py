"""Index numbers (索引号): unique per resource, generated from a configurable pattern.

The pattern is ``settings.ZQ_INDEX_NUMBER_PATTERN`` (default ``{org}-{year}-{seq:05d}``) where
``org`` is the source site's 网站标识码 (or its slug; ``platform`` for the platform), ``year`` the
written/publish year and ``seq`` a per-(org, year) serial taken under a row lock, so two editors
saving at once never get the same number.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from shared_library.models import IndexSequence, Resource

DEFAULT_PATTERN = "{org}-{year}-{seq:05d}"


def org_code(resource: Resource) -> str:
    site = resource.source_site
    if site is None:
        return getattr(settings, "ZQ_INDEX_NUMBER_PLATFORM_ORG", "platform")
    return site.site_code or site.slug


def next_index_number(resource: Resource) -> str:
    """Take the next serial for the resource's org and year and format it (skipping numbers a
    person already entered by hand)."""
    pattern = getattr(settings, "ZQ_INDEX_NUMBER_PATTERN", DEFAULT_PATTERN)
    org = org_code(resource)
    date = resource.written_date or resource.publish_date
    year = date.year
    with transaction.atomic():
        sequence, _ = IndexSequence.objects.select_for_update().get_or_create(org=org, year=year)
        while True:
            sequence.last += 1
            number = pattern.format(org=org, year=year, seq=sequence.last, kind=resource.kind)
            if not Resource.objects.filter(index_number=number).exists():
                break
        sequence.save(update_fields=["last"])
    return number
