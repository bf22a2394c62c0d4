"""``bench_closure`` runs end to end with tiny numbers and leaves nothing behind (its timings are
printed for people, never asserted)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from tenants.closure.bench import generate_content, make_site
from tenants.closure.models import ClosureUrl
from tenants.content.models import ArticlePage
from tenants.models import Site
from tests.helpers import client_for


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        yield
        connection.set_schema_to_public()
        assert not Site.objects.filter(slug__startswith="bench-").exists()


def test_the_redirect_part_prints_side_by_side_rates_and_drops_its_sites(committed, capsys):
    call_command("bench_closure", "--only", "redirects", "--requests", "5", "--rows", "300")
    out = capsys.readouterr().out
    assert "普通站点页面，跳转表 0 行" in out and "普通站点页面，跳转表 300 行" in out
    assert "关停站点的 301 跳转，跳转表 300 行" in out and "301×5" in out and "410×5" in out
    assert ClosureUrl.objects.count() == 0


def test_the_closure_part_times_each_step_and_rolls_back(committed, capsys):
    pytest.importorskip("tenants.closure.plan", reason="plan/notice/execute/rollback are another helper's modules")
    call_command("bench_closure", "--only", "closure", "--pages", "12", "--documents", "3", "--images", "3")
    out = capsys.readouterr().out
    for step in ("plan", "notice", "execute", "verify", "rollback"):
        assert step in out


def test_generated_content_is_a_valid_page_tree_with_real_files(cluster, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    site = make_site("bench-gen", "测量用镇政府", "township", parent=cluster["county_a"])
    generate_content(site, pages=7, documents=2, images=2)
    with schema_context(site.schema_name):
        assert not any(Page.find_problems())
        assert ArticlePage.objects.live().count() == 7
        assert get_document_model().objects.count() == 2 and get_image_model().objects.count() == 2
        article = ArticlePage.objects.get(slug="文章-6")
        document = get_document_model().objects.first()
    response = client_for(site).get(article.url_path.removeprefix("/home"))
    assert response.status_code == 200 and "测量文章第6篇" in response.content.decode()
    assert client_for(site).get(document.url).status_code == 200
