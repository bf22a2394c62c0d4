"""The closure scenario (issue 13): a township with Chinese slugs, nested columns, same-named
attachments, an alias domain, library contributions and syndications, closed into its county.

``build()`` provisions a fresh county P and township X and fills them; inside a test's transaction it
all rolls back (schema DDL included). Crawling helpers read what the public sees on every URL.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django_tenants.utils import schema_context
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from identity import services as identity
from shared_library import services as library
from tenants.content.models import ArticlePage, ColumnKind, ColumnPage, HomePage, LibraryListItem, LibraryListPage
from tenants.provisioning import SiteSpec, provision_site
from tests.helpers import client_for, publish_article
from tests.people import PASSWORD

NEWS_ITEMS = 23  # + 2 syndicated resources = 25 listed: two pages of 20


@dataclass
class Scenario:
    county: object
    town: object
    alias: str
    pages: dict[str, int] = field(default_factory=dict)  # key -> X page id
    documents: dict[str, int] = field(default_factory=dict)
    images: dict[str, int] = field(default_factory=dict)
    resources: dict[str, object] = field(default_factory=dict)


def png(colour: str = "red") -> ContentFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), colour).save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="全景.png")


def _document(site, title: str, name: str, content: bytes, **fields):
    with schema_context(site.schema_name):
        document = get_document_model()(title=title, **fields)
        document.file.save(name, ContentFile(content), save=False)
        document.save()
        return document


def _column(parent, title: str, slug: str, kind=ColumnKind.GENERAL) -> ColumnPage:
    column = ColumnPage(title=title, slug=slug, kind=kind, show_in_menus=True)
    parent.add_child(instance=column)
    column.save_revision().publish()
    return column


def _article(column, title: str, slug: str, body: str, **fields) -> ArticlePage:
    article = ArticlePage(title=title, slug=slug, body=body, **fields)
    column.add_child(instance=article)
    article.save_revision(user=fields.get("owner")).publish()
    return article


def build(prefix: str = "cl", *, by: str = "test", parent_slug: str = "t-city") -> Scenario:
    """Provision and fill P (county) and X (township). Usernames and slugs carry ``prefix``."""
    # Earlier tests made (and rolled back) sites with the same schema names: what they cached (Wagtail's
    # renditions, site roots) would answer for this build's rows.
    cache.clear()
    connection.set_schema_to_public()
    county = provision_site(
        SiteSpec(name="青岭县人民政府", slug=f"{prefix}-county", kind="county", parent_slug=parent_slug)
    ).site
    alias = f"{prefix}-town-alias.localhost"
    town = provision_site(
        SiteSpec(
            name="青岭县城关镇人民政府",
            slug=f"{prefix}-town",
            kind="township",
            parent_slug=county.slug,
            aliases=[alias],
        )
    ).site
    scenario = Scenario(county=county, town=town, alias=alias)

    # People: the township's clerk (submitter), its editor, and someone who already edits the county.
    clerk = identity.create_account(f"{prefix}-clerk", PASSWORD, display_name="张文书")
    identity.grant_role(clerk, town, "submitter", columns=["news"], by=by)
    editor = identity.create_account(f"{prefix}-editor", PASSWORD, display_name="李编辑")
    identity.grant_role(editor, town, "editor", by=by)
    both = identity.create_account(f"{prefix}-both", PASSWORD, display_name="王主任")
    identity.grant_role(both, county, "editor", by=by)
    identity.grant_role(both, town, "submitter", columns=["notices"], by=by)
    reporter = identity.create_account(f"{prefix}-reporter", PASSWORD, display_name="赵通讯员")
    identity.grant_role(reporter, county, "submitter", columns=["news"], by=by)
    identity.grant_role(reporter, town, "editor", by=by)

    # P's own content: a news article and its own 通知.pdf.
    publish_article(county, "news", "青岭县召开全县工作会议", publish_date=datetime.date(2026, 10, 1))
    scenario.documents["county"] = _document(county, "通知", "通知.pdf", b"%PDF-1.4 county notice").pk

    # Files on X: a same-named 通知.pdf and an image with a rendition.
    scenario.documents["town"] = _document(town, "通知", "通知.pdf", b"%PDF-1.4 town notice").pk
    with schema_context(town.schema_name):
        editor_user = get_user_model().objects.get(username=editor.username)
        image = get_image_model()(title="城关镇全景", uploaded_by_user=editor_user)
        image.file.save("全景.png", png(), save=False)
        image.save()
        image.get_rendition("fill-32x24")
        scenario.images["panorama"] = image.pk

        home = HomePage.objects.get()
        news = ColumnPage.objects.get(slug="news")
        notices = ColumnPage.objects.get(slug="notices")
        overview = _column(home, "镇情概况", "镇情概况")
        history = _column(overview, "历史沿革", "历史沿革")

        intro = _article(
            overview,
            "城关镇简介",
            "城关镇简介",
            "<p>城关镇位于青岭县中部。</p>",
            publish_date=datetime.date(2026, 3, 1),
        )
        scenario.pages.update(home=home.pk, news=news.pk, notices=notices.pk, overview=overview.pk, history=history.pk)
        scenario.pages["intro"] = intro.pk
        first_news = None
        for n in range(1, NEWS_ITEMS + 1):
            article = _article(
                news,
                f"城关镇工作动态第{n}期",
                f"dongtai-{n}",
                f"<p>第{n}期工作动态。</p>",
                publish_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
                source="城关镇党政办",
                owner=editor_user,
            )
            first_news = first_news or article
        scenario.pages["news-1"] = first_news.pk
        notice = _article(
            notices,
            "关于春季防火的通知",
            "spring-fire",
            (
                f'<p>请阅<a linktype="document" id="{scenario.documents["town"]}">通知</a>，'
                f'并见<a linktype="page" id="{intro.pk}">城关镇简介</a>、'
                f'<a href="/notices/">通知公告</a>、'
                f'<a href="http://{alias}/{quote("镇情概况")}/">镇情概况（别名域名）</a>。</p>'
                f'<embed embedtype="image" format="fullwidth" id="{image.pk}" alt="全景"/>'
            ),
            publish_date=datetime.date(2026, 4, 1),
            source="城关镇应急办",
            owner=editor_user,
        )
        scenario.pages["notice"] = notice.pk
        private = _article(notices, "内部工作安排", "internal", "<p>仅限内部查看的安排。</p>")
        PageViewRestriction.objects.create(page=private, restriction_type="password", password="chengguan-2026")
        scenario.pages["private"] = private.pk
        # Written before the page it links to exists in tree order: its link is rewritten in a second pass.
        history_article = _article(
            history, "城关镇建制沿革", "建制沿革", "<p>建制沿革详见本页。</p>", publish_date=datetime.date(2026, 2, 1)
        )
        scenario.pages["history-article"] = history_article.pk
        first_news.body = f'<p>第1期工作动态，参见<a linktype="page" id="{history_article.pk}">建制沿革</a>。</p>'
        first_news.save_revision(user=editor_user).publish()
        Redirect.objects.create(old_path="/old-notice", redirect_page=notice)

    # The library: a platform resource syndicated into X's news and P's news, and X's own contribution
    # (a township submits; its county approves), syndicated into X's news.
    shared = library.create_resource(by=by, site=None, publish=True, kind="policy", title="江城市优化营商环境条例")
    library.syndicate(shared, [town, county], "news", by=by, site=None)
    own = library.create_resource(by=by, site=town, publish=True, kind="article", title="城关镇特色农业发展经验")
    library.approve(own, by=by, site=county)
    library.syndicate(own, [town], "news", by=by, site=None)
    scenario.resources.update(shared=shared, own=own)
    with schema_context(town.schema_name):
        picks = LibraryListPage(title="资料汇编", slug="资料汇编")
        picks.library_items = [LibraryListItem(resource_id=shared.pk)]
        HomePage.objects.get().add_child(instance=picks)
        picks.save_revision().publish()
        scenario.pages["picks"] = picks.pk
    connection.set_schema_to_public()
    return scenario


# An empty feed's build date is the time of the request, whatever the site's content.
BUILD_DATE = re.compile(rb"<lastBuildDate>[^<]*</lastBuildDate>")
# A form's CSRF token (the password form of a private page) differs on every request.
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


def public_view(host: str, paths: list[str]) -> dict[str, tuple[int, bytes]]:
    """What the public gets at each path of ``host``: status code and body."""
    client = client_for(host)
    seen = {}
    for path in paths:
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        seen[path] = (response.status_code, CSRF.sub(b"", BUILD_DATE.sub(b"", body)))
    return seen


def title_of(html: bytes) -> str:
    match = TITLE.search(html.decode())
    return match.group(1).strip() if match else ""
