"""Web conventions on every site, through real HTTP requests by host: head metadata and canonical
links, robots.txt, sitemap.xml, the themed 404/500 pages, 网站地图, 联系我们 and the cluster links."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from console.sites import suspend, update_site
from shared_library import services
from tenants.models import Domain
from tests.helpers import client_for, publish_article

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def meta(html: str, prop: str) -> str | None:
    match = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)">', html)
    return match.group(1) if match else None


def canonical(html: str) -> list[str]:
    return re.findall(r'<link rel="canonical" href="([^"]*)">', html)


# --- 1. head metadata -----------------------------------------------------------------------------


def test_an_article_describes_itself_with_its_summary_and_opengraph(cluster):
    county = cluster["county_a"]
    article = publish_article(
        county, "news", "青山县召开春耕生产调度会", summary="部署全县春耕备耕工作。", slug="chungeng"
    )
    html = client_for(county).get(article.url_path.replace("/home", "", 1)).content.decode()
    url = f"http://{county.primary_domain}/news/chungeng/"
    assert canonical(html) == [url]
    assert meta(html, "description") == "部署全县春耕备耕工作。"
    assert meta(html, "og:title") == "青山县召开春耕生产调度会"
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:url") == url
    assert meta(html, "og:site_name") == county.name
    assert meta(html, "og:locale") == "zh_CN"
    assert meta(html, "og:image") is None  # no picture, no og:image


def test_without_a_summary_the_description_is_the_start_of_the_text(cluster):
    body = "<p>" + "全县农业农村系统" * 30 + "</p>"
    publish_article(cluster["county_b"], "news", "白水县农业工作", body=body, slug="nongye")
    html = client_for(cluster["county_b"]).get("/news/nongye/").content.decode()
    description = meta(html, "description")
    assert description.startswith("全县农业农村系统") and description.endswith("…")
    assert len(description) <= 120 and "<p>" not in description


def test_search_description_wins_over_the_summary(cluster):
    publish_article(
        cluster["county_b"], "news", "白水县招商", summary="摘要", search_description="搜索引擎摘要", slug="zhaoshang"
    )
    html = client_for(cluster["county_b"]).get("/news/zhaoshang/").content.decode()
    assert meta(html, "description") == "搜索引擎摘要"


def test_a_served_alias_still_names_the_primary_domain_as_canonical(cluster):
    town = cluster["township"]
    Domain.objects.filter(domain="chengguan-alias.localhost").update(serve_alias=True)
    response = client_for("chengguan-alias.localhost").get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert canonical(html) == [f"http://{town.primary_domain}/"]
    assert meta(html, "og:type") == "website"
    assert "chengguan-alias" not in meta(html, "og:url")


def test_every_kind_of_page_has_one_canonical_link(cluster):
    client = client_for(cluster["city"])
    for path in ("/", "/news/", "/news/welcome/", "/xxgk/", "/sitemap/", "/contact/"):
        html = client.get(path).content.decode()
        assert canonical(html) == [f"http://{cluster['city'].primary_domain}{path}"], path
        assert meta(html, "description"), path


def test_a_list_page_keeps_its_page_number_in_the_canonical_link_and_drops_other_parameters(cluster):
    html = client_for(cluster["city"]).get("/news/?page=2&utm_source=x").content.decode()
    assert canonical(html) == [f"http://{cluster['city'].primary_domain}/news/?page=2"]


def test_a_syndicated_resource_is_canonical_on_its_source_site(cluster):
    resource = services.create_resource(
        by="a-editor", site=cluster["county_a"], publish=True, kind="article", title="青山县经验做法", summary="经验"
    )
    services.syndicate(resource, [cluster["county_b"]], "news", by="operator", site=None)
    html = client_for(cluster["county_b"]).get(f"/library/{resource.pk}/").content.decode()
    source_url = f"http://{cluster['county_a'].primary_domain}/library/{resource.pk}/"
    assert canonical(html) == [source_url]
    assert meta(html, "og:url") == source_url and meta(html, "og:type") == "article"
    assert meta(html, "description") == "经验"


def test_a_withdrawn_resource_keeps_its_content_out_of_the_head(cluster):
    resource = services.create_resource(
        by="a-editor",
        site=cluster["county_a"],
        publish=True,
        kind="article",
        title="将撤回的信息",
        summary="撤回前的摘要",
    )
    services.withdraw(resource, "信息有误", by="a-editor", site=cluster["county_a"])
    response = client_for(cluster["county_a"]).get(f"/library/{resource.pk}/")
    assert response.status_code == 410
    html = response.content.decode()
    assert "撤回前的摘要" not in html and meta(html, "og:title") == "该信息已撤回"


def test_a_platform_resource_is_canonical_on_the_city_portal_when_the_portal_shows_it(cluster):
    shown_on_city = services.create_resource(by="operator", site=None, publish=True, kind="policy", title="市级文件")
    services.syndicate(shown_on_city, [cluster["city"], cluster["county_a"]], "policy", by="operator")
    not_on_city = services.create_resource(by="operator", site=None, publish=True, kind="policy", title="只转县")
    services.syndicate(not_on_city, [cluster["county_a"]], "policy", by="operator")
    client = client_for(cluster["county_a"])
    html = client.get(f"/library/{shown_on_city.pk}/").content.decode()
    assert canonical(html) == [f"http://{cluster['city'].primary_domain}/library/{shown_on_city.pk}/"]
    html = client.get(f"/library/{not_on_city.pk}/").content.decode()
    assert canonical(html) == [f"http://{cluster['county_a'].primary_domain}/library/{not_on_city.pk}/"]


def test_head_metadata_and_cluster_links_cost_no_query_once_cached(cluster):
    client = client_for(cluster["county_a"])
    client.get("/news/welcome/")  # fills the cache
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/news/welcome/").content.decode()
    assert 'aria-label="站群导航"' in html and canonical(html)
    site_queries = [q["sql"] for q in queries if '"tenants_site"' in q["sql"] or '"tenants_domain"' in q["sql"]]
    assert len(site_queries) <= 1, site_queries  # at most routing's own host lookup


# --- 2. robots.txt and sitemap.xml ----------------------------------------------------------------


def test_robots_txt_allows_the_public_site_and_names_its_sitemap(cluster):
    response = client_for(cluster["county_a"]).get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines and "Allow: /" in lines
    assert not any(line.startswith("Disallow: /documents") or line == "Disallow: /" for line in lines)
    assert f"Sitemap: http://{cluster['county_a'].primary_domain}/sitemap.xml" in lines


def sitemap_urls(client: Client) -> dict[str, str | None]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and "xml" in response["Content-Type"]
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    return {
        url.find("sm:loc", SITEMAP_NS).text: getattr(url.find("sm:lastmod", SITEMAP_NS), "text", None)
        for url in root.findall("sm:url", SITEMAP_NS)
    }


def test_a_sitemap_lists_this_sites_pages_and_resources_only(cluster):
    a, b = cluster["county_a"], cluster["county_b"]
    publish_article(a, "news", "只属于青山县", slug="only-a")
    publish_article(b, "news", "只属于白水县", slug="only-b")
    own = services.create_resource(by="a-editor", site=a, publish=True, kind="article", title="青山县资源")
    services.syndicate(own, [b], "news", by="operator", site=None)
    urls = sitemap_urls(client_for(a))
    root = f"http://{a.primary_domain}"
    assert f"{root}/" in urls and f"{root}/news/" in urls and f"{root}/news/only-a/" in urls
    assert f"{root}/library/{own.pk}/" in urls
    assert all(loc.startswith(root + "/") for loc in urls)
    assert not any("only-b" in loc for loc in urls)
    assert urls[f"{root}/news/only-a/"].startswith("20")  # lastmod: when it was published
    assert all(lastmod is None or lastmod[:4].isdigit() for lastmod in urls.values())
    b_urls = sitemap_urls(client_for(b))
    assert f"http://{b.primary_domain}/news/only-b/" in b_urls
    assert not any(f"/library/{own.pk}/" in loc for loc in b_urls)  # canonical on A, listed there


def test_an_alias_host_redirects_or_lists_the_primary_domains_urls(cluster):
    town = cluster["township"]
    redirect = client_for("chengguan-alias.localhost").get("/sitemap.xml")
    assert redirect.status_code == 301 and redirect["Location"] == f"http://{town.primary_domain}/sitemap.xml"
    Domain.objects.filter(domain="chengguan-alias.localhost").update(serve_alias=True)
    urls = sitemap_urls(client_for("chengguan-alias.localhost"))
    assert urls and all(loc.startswith(f"http://{town.primary_domain}/") for loc in urls)


def test_an_unpublished_page_leaves_the_sitemap(cluster):
    article = publish_article(cluster["county_b"], "news", "将撤下的文章", slug="gone")
    root = f"http://{cluster['county_b'].primary_domain}"
    assert f"{root}/news/gone/" in sitemap_urls(client_for(cluster["county_b"]))
    with schema_context(cluster["county_b"].schema_name):
        article.unpublish()
    assert f"{root}/news/gone/" not in sitemap_urls(client_for(cluster["county_b"]))


# --- 3. 404 and 500 -------------------------------------------------------------------------------


def test_a_wrong_url_gets_the_sites_themed_404_in_chinese(cluster):
    response = client_for(cluster["county_a"]).get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "您访问的页面不存在" in html and cluster["county_a"].name in html
    assert 'action="/search/"' in html and 'name="q"' in html and 'href="/"' in html
    assert "theme-red" in html  # county A wears the red theme
    assert "Page not found" not in html and "Traceback" not in html


def test_another_sites_article_path_is_a_themed_404(cluster):
    publish_article(cluster["county_a"], "news", "只属于青山县的文章", slug="mine")
    response = client_for(cluster["county_b"]).get("/news/mine/")
    assert response.status_code == 404 and cluster["county_b"].name in response.content.decode()


def test_a_server_error_renders_the_themed_500_without_the_database(cluster, settings):
    settings.ROOT_URLCONF = "tests.urls_error"
    client = client_for(cluster["county_a"], raise_request_exception=False)
    response = client.get("/boom/")  # leaves the transaction aborted: any query now fails
    assert response.status_code == 500
    html = response.content.decode()
    assert "服务器暂时出现错误" in html and cluster["county_a"].name in html
    assert "themes/red.css" in html and 'href="/"' in html


# --- 4. 网站地图 and 联系我们 ------------------------------------------------------------------------


def test_the_site_map_lists_columns_fixed_sections_and_related_sites(cluster):
    html = client_for(cluster["county_a"]).get("/sitemap/").content.decode()
    assert "<h1>网站地图</h1>" in html
    assert 'href="/news/"' in html  # a column of the site
    for href in ('href="/xxgk/"', 'href="/banshi/"', 'href="/hudong/"'):
        assert href in html
    assert f'href="http://{cluster["city"].primary_domain}/">{cluster["city"].name}</a>' in html
    assert f'href="http://{cluster["township"].primary_domain}/">{cluster["township"].name}</a>' in html
    assert cluster["county_b"].name not in html.split("站群网站", 1)[1].split("</section>", 1)[0]


def test_contact_shows_what_the_operators_recorded(cluster):
    update_site(cluster["county_b"], {"organiser": "白水县人民政府办公室", "contact": "0710-1234567"})
    html = client_for(cluster["county_b"]).get("/contact/").content.decode()
    assert "<h1>联系我们</h1>" in html
    assert "白水县人民政府办公室" in html and "0710-1234567" in html
    assert "承办单位" not in html.split("</h1>", 1)[1].split("其他联系渠道")[0]  # blank fields not shown
    update_site(
        cluster["county_b"], {"icp_number": "鄂ICP备05003384号-1", "police_number": "鄂公网安备42010202000301号"}
    )
    html = client_for(cluster["county_b"]).get("/contact/").content.decode()
    assert '<a href="https://beian.miit.gov.cn/" rel="noopener">鄂ICP备05003384号-1</a>' in html
    assert 'href="https://beian.mps.gov.cn/#/query/webSearch?code=42010202000301"' in html


# --- 5. cluster links -----------------------------------------------------------------------------


def cluster_nav(html: str) -> str:
    match = re.search(r'<nav class="cluster-links" aria-label="站群导航">(.*?)</nav>', html, re.S)
    assert match, "no cluster links"
    return match.group(1)


def test_a_township_links_up_to_the_city_portal(cluster):
    nav = cluster_nav(client_for(cluster["township"]).get("/").content.decode())
    for key in ("county_a", "city"):
        assert f'<a href="http://{cluster[key].primary_domain}/">{cluster[key].name}</a>' in nav
    assert nav.index(cluster["county_a"].name) < nav.index(cluster["city"].name)


def test_a_county_lists_its_townships_and_the_city_its_counties_and_departments(cluster):
    nav = cluster_nav(client_for(cluster["county_a"]).get("/").content.decode())
    assert cluster["township"].name in nav and cluster["city"].name in nav
    assert cluster["county_b"].name not in nav
    nav = cluster_nav(client_for(cluster["city"]).get("/").content.decode())
    for key in ("county_a", "county_b", "department"):
        assert cluster[key].name in nav
    assert cluster["township"].name not in nav  # only direct children


def test_cluster_links_follow_a_renamed_site_at_once(cluster, django_capture_on_commit_callbacks):
    client = client_for(cluster["township"])
    assert cluster["county_a"].name in cluster_nav(client.get("/").content.decode())  # now cached
    connection.set_schema_to_public()  # the console runs on the platform
    with django_capture_on_commit_callbacks(execute=True):
        update_site(cluster["county_a"], {"name": "青山市人民政府"})
    nav = cluster_nav(client.get("/").content.decode())
    assert "青山市人民政府" in nav and "青山县人民政府" not in nav


def test_a_suspended_site_leaves_the_cluster_links(cluster, django_capture_on_commit_callbacks):
    client = client_for(cluster["county_a"])
    assert cluster["township"].name in cluster_nav(client.get("/").content.decode())
    connection.set_schema_to_public()
    with django_capture_on_commit_callbacks(execute=True):
        suspend(cluster["township"], "整改")
    html = client.get("/").content.decode()
    assert cluster["township"].name not in html.split('aria-label="站群导航"', 1)[1]
