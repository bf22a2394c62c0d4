"""Search in the admin: an editor's page search finds Chinese words; operators keep the user
dictionary on the console (audited, applied on both sides); a site's editors read what was searched
on their site and not found."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse

from audit.models import AuditEvent
from sitesearch import segmenter
from sitesearch.models import QueryStat, UserWord
from tests.console_helpers import operator_client
from tests.helpers import client_for, publish_article
from tests.people import editor, logged_in, submitter


def test_an_editors_admin_page_search_finds_a_page_by_a_two_character_word(cluster):
    site = cluster["township"]
    publish_article(site, "news", "城关镇卫生院开展义诊活动")
    publish_article(site, "news", "城关镇召开防汛工作会议")
    editor("town-search-editor", site)
    client = logged_in(site, "town-search-editor")
    response = client.get("/admin/pages/search/", {"q": "义诊"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "城关镇卫生院开展义诊活动" in html
    assert "城关镇召开防汛工作会议" not in html
    assert "城关镇召开防汛工作会议" in client.get("/admin/pages/search/", {"q": "防汛"}).content.decode()


def test_operators_add_and_remove_dictionary_words_audited_and_applied_on_both_sides(cluster):
    client = operator_client("ops-dictionary")
    url = reverse("sitesearch_dictionary")
    assert client.get(url).status_code == 200
    word = "青山绿水工程"
    assert word not in segmenter.index_terms(f"推进{word}建设")
    response = client.post(url, {"word": word})
    assert response.status_code == 302
    segmenter.refresh_dictionary()  # the test's transaction never commits: what on_commit would do
    assert word in segmenter.index_terms(f"推进{word}建设")
    assert segmenter.parse_query(word).words == (word,)
    event = AuditEvent.objects.get(action="search_word_add")
    assert event.actor_username == "ops-dictionary" and event.details["word"] == word
    # bad input: a clear message, nothing stored
    for bad, message in (("", "请输入词语"), ("有 空格", "不能有空格"), (word, "已在词典中"), ("长" * 60, "")):
        response = client.post(url, {"word": bad})
        assert response.status_code == 400, bad
        assert message in response.content.decode()
    assert client.post(url, {"remove": "abc"}).status_code == 404
    entry = UserWord.objects.get(word=word)
    assert client.post(url, {"remove": entry.pk}).status_code == 302
    segmenter.refresh_dictionary()
    assert not UserWord.objects.exists()
    assert AuditEvent.objects.filter(action="search_word_remove", details__word=word).exists()
    assert word not in segmenter.index_terms(f"推进{word}建设")


def test_the_dictionary_screen_is_for_operators_on_the_console_only(cluster):
    anonymous = client_for("platform.localhost").get(reverse("sitesearch_dictionary"))
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    editor("county-editor-dict", cluster["county_a"])
    on_site = logged_in(cluster["county_a"], "county-editor-dict")
    assert on_site.get(reverse("sitesearch_dictionary")).status_code == 404


def test_a_sites_editors_see_its_zero_result_and_hot_searches_and_nobody_elses(cluster):
    town, county = cluster["township"], cluster["county_a"]
    for q in ("火星探测", "火星探测", "门户网站"):
        client_for(town).get("/search/", {"q": q})
    client_for(county).get("/search/", {"q": "县里的秘密"})
    connection.set_schema_to_public()
    assert QueryStat.objects.get(site_id=town.pk, query="火星探测").zero_results == 2
    editor("town-stats-editor", town)
    client = logged_in(town, "town-stats-editor")
    html = client.get(reverse("sitesearch_stats")).content.decode()
    assert "火星探测" in html and "门户网站" in html
    assert "县里的秘密" not in html
    submitter("town-stats-submitter", town, ["news"])
    refused = logged_in(town, "town-stats-submitter").get(reverse("sitesearch_stats"))
    assert refused.status_code == 302 and refused["Location"] == "/admin/"  # Wagtail's answer to a refusal
