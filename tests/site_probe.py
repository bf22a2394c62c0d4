"""What the public sees of one site, as comparable data: every live page, library item and document
the site serves (status and body), and its files' bytes. Runs in the test process or, for another
platform's database, in a ``manage.py shell`` subprocess that prints it as JSON."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context
from wagtail.documents import get_document_model
from wagtail.models import Page
from wagtail.models import Site as WagtailSite

from shared_library.models import Resource
from tenants.models import Site
from tests.closure_scenario import public_view


def public_paths(site: Site) -> list[str]:
    with schema_context(site.schema_name):
        wagtail_site = WagtailSite.objects.get(is_default_site=True)
        pages = [page.relative_url(wagtail_site) for page in Page.objects.live().public().specific() if page.depth > 1]
        documents = [document.url for document in get_document_model().objects.all()]
    connection.set_schema_to_public()
    resources = Resource.objects.filter(syndications__site=site).distinct().values_list("pk", flat=True)
    return sorted({*pages, *documents, *(f"/library/{pk}/" for pk in resources), "/notices/?page=2", "/news/?page=2"})


# The footer's 站群导航 lists a site's parent chain and children: restoring a site next to others (or
# into a platform without its neighbours) changes it by design, and nothing else on a page.
CLUSTER_LINKS = re.compile(rb'<nav class="cluster-links" aria-label="[^"]*">.*?</nav>', re.S)


def public_snapshot(slug: str) -> dict:
    """Paths → [status, body as base64] without the cluster links; files → sha256 (site's own and
    library files)."""
    connection.set_schema_to_public()
    site = Site.objects.get(slug=slug)
    seen = public_view(site.primary_domain, public_paths(site))
    media = Path(settings.MEDIA_ROOT)
    return {
        "pages": {
            path: [status, base64.b64encode(CLUSTER_LINKS.sub(b"", body)).decode()]
            for path, (status, body) in seen.items()
        },
        "files": checksums(media / site.schema_name),
        "library_files": checksums(media / "library"),
    }


def checksums(root: Path) -> dict[str, str]:
    files = [p for p in root.rglob("*") if p.is_file()]
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def main(slug: str) -> None:  # manage.py shell -c "from tests.site_probe import main; main('x')"
    sys.stdout.write("PROBE" + json.dumps(public_snapshot(slug)) + "\n")
