"""The demo's content is each site's own: place names, pictures, dates over months, policy documents
in the library with 文号 and 索引号, the city's documents syndicated down; and the seed texts come out
clean. Run on the test cluster's sites with the demo's profiles (rolled back afterwards)."""

from __future__ import annotations

import re

from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.images import get_image_model

from shared_library.models import Resource, ResourceKind
from shared_library.site_listing import syndicated_resources
from tenants.content.models import ArticlePage, ColumnPage
from tenants.demo.content import PROFILES, fill_site
from tenants.demo.seeds import clean_seed, load_seeds
from tests.helpers import client_for

NOISY_SEED = """政府网站应大力提升服务能力
时间:2022-06-27 02:18:06
2011年4月国务院办公厅下发了通知.要求充分发挥政府网站的信息公开.互动交流作用.近年来.在省委.省政府的高度重视下.我省政府网站建设不断推进.政府网站体系逐步建立并完善.网站的内容和形式与公众需求日益贴近.各级政务部门利用政府网站扩大信息公开.促进信息资源共享.推进政务协同.提高行政效率.改善公共服务.有效推动了政府职能的转变\ufffd
上一篇:基于PLC的炉温控制系统设计 下一篇:MIMO信道容量的研究
版权所有:中国产业经济信息网京ICP备11041399号-2
"""


def test_a_noisy_seed_comes_out_as_a_title_and_clean_paragraphs():
    seed = clean_seed(NOISY_SEED)
    assert seed.title == "政府网站应大力提升服务能力"
    text = "".join(seed.paragraphs)
    assert "。" in text and "，" in text and "." not in text.replace("2011年4月", "")
    for noise in ("时间:", "上一篇", "ICP备", "\ufffd", "版权"):
        assert noise not in text
    assert text.endswith("。")


def test_a_traditional_script_seed_is_skipped():
    assert clean_seed("政府網站建設\n" + "這個網站為國務院發展會議的實現與開放，們對應當時東車。" * 5) is None


def test_the_shared_seeds_all_clean_up(db):
    for seed in load_seeds():
        assert seed.title and seed.paragraphs
        assert not any("\ufffd" in p or "上一篇" in p for p in seed.paragraphs)


def test_each_site_gets_its_own_dated_illustrated_content_and_documents(cluster):
    city, county, town = cluster["city"], cluster["county_a"], cluster["township"]
    fill_site(city, PROFILES["jiangcheng"])
    fill_site(county, PROFILES["qingshan"])
    fill_site(town, PROFILES["qs-chengguan"])
    connection.set_schema_to_public()
    today = timezone.localdate()
    titles = {}
    for site, place in ((county, "青山县"), (town, "城关镇")):
        with schema_context(site.schema_name):
            news = list(ArticlePage.objects.live().exclude(slug="welcome"))
            own_columns = ColumnPage.objects.filter(slug__in=("news", "notices"))
            titles[site.slug] = {a.title for a in news if any(a.is_descendant_of(c) for c in own_columns)}
            assert sum(place in a.title for a in news) >= 5, site.slug
            dates = sorted({a.publish_date for a in news})
            assert len(dates) >= 8 and (today - dates[0]).days > 60 and (today - dates[-1]).days <= 3
            assert get_image_model().objects.count() >= 5  # a picture per news item, in this site's schema
            pictured = [a for a in news if 'embedtype="image"' in a.body]
            assert pictured
    assert not titles[county.slug] & titles[town.slug]  # the township's news is not the county's
    policies = Resource.objects.filter(source_site=county, kind=ResourceKind.POLICY)
    assert policies.count() == 3
    for policy in policies:
        assert re.fullmatch(r"青政(办)?发〔\d{4}〕\d+号", policy.document_number)
        assert policy.index_number
        assert Resource.objects.filter(interpretation_of=policy, kind=ResourceKind.INTERPRETATION).exists()
    city_documents = syndicated_resources(county, "policy").filter(source_site=city)
    assert city_documents.count() == 3 and all(d.document_number.startswith("江政") for d in city_documents)
    html = client_for(county).get("/policy/").content.decode()
    assert "青政发〔" in html or any(p.title in html for p in policies)
    with schema_context(county.schema_name):
        article = ArticlePage.objects.live().filter(body__contains='embedtype="image"').first()
        path = article.url_path.replace("/home", "", 1)
    html = client_for(county).get(path).content.decode()
    assert '<meta property="og:image" content="http://' in html
