"""Writing an article: a submitter is offered (and allowed) articles only, 来源 starts as the site's
name, a Chinese title gets a short dated URL, and an approving editor is told it is live."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import WorkflowState

from tests.people import add_article, article_by_title, article_form, column_id, editor, logged_in, submitter


def test_a_submitter_is_offered_and_allowed_articles_only(cluster):
    town = cluster["township"]
    submitter("only-articles", town, ["news"])
    client = logged_in(town, "only-articles")
    news = column_id(town, "news")

    choices = client.get(reverse("wagtailadmin_pages:add_subpage", args=(news,))).content.decode()
    assert "文章" in choices
    for model in ("columnpage", "librarylistpage"):
        assert reverse("wagtailadmin_pages:add", args=("content", model, news)) not in choices
        response = client.get(reverse("wagtailadmin_pages:add", args=("content", model, news)))
        assert response.status_code == 403 and "信息报送员只能在自己的栏目中撰写文章" in response.content.decode()
        client.post(reverse("wagtailadmin_pages:add", args=("content", model, news)), article_form("偷偷建栏目"))
    with schema_context(town.schema_name):
        from wagtail.models import Page

        assert not Page.objects.filter(title="偷偷建栏目").exists()


def test_an_editor_may_still_create_columns(cluster):
    county = cluster["county_a"]
    editor("makes-columns", county)
    client = logged_in(county, "makes-columns")
    news = column_id(county, "news")
    choices = client.get(reverse("wagtailadmin_pages:add_subpage", args=(news,))).content.decode()
    assert reverse("wagtailadmin_pages:add", args=("content", "columnpage", news)) in choices


def test_a_new_article_starts_with_the_site_as_its_source(cluster):
    town = cluster["township"]
    submitter("source-default", town, ["news"])
    client = logged_in(town, "source-default")
    form = client.get(reverse("wagtailadmin_pages:add", args=("content", "articlepage", column_id(town, "news"))))
    assert f'value="{town.name}"' in form.content.decode()


def test_chinese_titles_get_short_dated_urls(cluster):
    town = cluster["township"]
    submitter("short-urls", town, ["news"])
    client = logged_in(town, "short-urls")
    url = reverse("wagtailadmin_pages:add", args=("content", "articlepage", column_id(town, "news")))
    today = timezone.localdate().strftime("%Y%m%d")
    for n, title in enumerate(("关于开展冬季安全检查的通知", "城关镇召开年终总结大会"), start=1):
        client.post(url, article_form(title, slug=title))
        assert article_by_title(town, title).slug == f"{today}-{n}"
    client.post(url, article_form("保留自定义网址", slug="my-own-slug"))
    assert article_by_title(town, "保留自定义网址").slug == "my-own-slug"


def test_an_editor_is_told_the_approved_article_is_live(cluster):
    town = cluster["township"]
    submitter("tells-clerk", town, ["news"])
    editor("tells-editor", cluster["county_a"])
    add_article(logged_in(town, "tells-clerk"), town, "news", "审核后提示", action="action-submit")
    page = article_by_title(town, "审核后提示")
    with schema_context(town.schema_name):
        task_state = WorkflowState.objects.get(object_id=str(page.pk)).current_task_state
    client = logged_in(town, "tells-editor")
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
    response = client.post(url, {"comment": ""}, follow=True)
    assert "已审核通过“审核后提示”，已发布" in response.content.decode()


def test_existing_and_imported_articles_keep_their_slugs(cluster):
    """Only a new article written in the admin gets a dated slug: a closed site's pages moved
    upward keep their old (even Chinese) URLs, and editing never renames."""
    from tests.helpers import publish_article

    town = cluster["township"]
    imported = publish_article(town, "news", "迁入的旧文章", slug="旧网址")
    assert article_by_title(town, "迁入的旧文章").slug == "旧网址"
    editor("keeps-slugs", town)
    client = logged_in(town, "keeps-slugs")
    client.post(
        reverse("wagtailadmin_pages:edit", args=(imported.pk,)),
        article_form("迁入的旧文章", action="action-publish", slug="旧网址"),
    )
    assert article_by_title(town, "迁入的旧文章").slug == "旧网址"
