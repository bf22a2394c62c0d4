"""Every request is routed by its host to exactly one site, or to a plain 404."""

from tenants.models import Domain
from tests.helpers import client_for, publish_article


def test_a_county_domain_serves_that_countys_home_page(cluster):
    response = client_for(cluster["county_a"]).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "青山县人民政府" in html
    assert "白水县人民政府" not in html


def test_each_site_shows_its_own_articles_only(cluster):
    publish_article(cluster["county_a"], "news", "青山县召开政府网站集约化工作会议")
    publish_article(cluster["county_b"], "news", "白水县开展政务公开培训")

    a_home = client_for(cluster["county_a"]).get("/").content.decode()
    b_home = client_for(cluster["county_b"]).get("/").content.decode()
    assert "青山县召开政府网站集约化工作会议" in a_home and "白水县开展政务公开培训" not in a_home
    assert "白水县开展政务公开培训" in b_home and "青山县召开政府网站集约化工作会议" not in b_home


def test_an_article_path_of_one_site_is_not_found_on_another(cluster):
    article = publish_article(cluster["county_a"], "news", "只属于青山县的文章")
    path = f"/news/{article.slug}/"
    assert client_for(cluster["county_a"]).get(path).status_code == 200
    assert client_for(cluster["county_b"]).get(path).status_code == 404


def test_an_alias_domain_serves_the_same_site(cluster):
    """By default an alias redirects (301) to the primary domain; served when the operator chose so."""
    publish_article(cluster["township"], "news", "城关镇开展环境整治")
    primary = client_for(cluster["township"]).get("/")
    redirect = client_for("chengguan-alias.localhost").get("/")
    assert redirect.status_code == 301 and redirect["Location"] == f"http://{cluster['township'].primary_domain}/"
    Domain.objects.filter(domain="chengguan-alias.localhost").update(serve_alias=True)
    alias = client_for("chengguan-alias.localhost").get("/")
    assert alias.status_code == 200
    assert "城关镇开展环境整治" in alias.content.decode()
    assert "城关镇开展环境整治" in primary.content.decode()


def test_an_unknown_host_gets_a_plain_404_naming_no_site(cluster):
    response = client_for("nobody-here.localhost").get("/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "站点不存在" in html
    for site in cluster.values():
        assert site.name not in html


def test_a_malformed_host_is_a_404_not_a_500(cluster):
    response = client_for("bad_host_name.localhost").get("/")
    assert response.status_code in (400, 404)


def test_the_footer_shows_the_sites_identity(cluster):
    html = client_for(cluster["city"]).get("/").content.decode()
    assert "主办单位：江城市人民政府办公室" in html
    assert "我为政府网站找错" in html


def test_a_closed_site_answers_with_its_closure_notice(cluster):
    township = cluster["township"]
    township.status = "closed"
    township.save()
    response = client_for(township).get("/")
    assert response.status_code == 410
    html = response.content.decode()
    assert "关停整合公告" in html and "青山县人民政府" in html
