"""The 互动交流 demo data loads on a cluster shaped like the demo's (slugs qingshan, qs-chengguan)."""

from __future__ import annotations

import pytest
from interaction.models import Item, ItemStatus

from tenants.demo.interaction import load_interaction_demo
from tenants.models import Site
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def test_demo_data_loads_and_shows(cluster):
    # The test cluster's county and township stand in for the demo's (renamed inside the rollback).
    Site.objects.filter(pk=cluster["county_a"].pk).update(slug="qingshan")
    Site.objects.filter(pk=cluster["township"].pk).update(slug="qs-chengguan")
    load_interaction_demo(log=lambda _line: None)
    county = Site.objects.get(slug="qingshan")
    items = Item.objects.filter(site=county)
    assert items.count() == 6 and items.filter(transferred_from__slug="qs-chengguan").count() == 1
    assert items.filter(is_published=True, status=ItemStatus.ANSWERED).count() == 1
    load_interaction_demo(log=lambda _line: None)  # idempotent
    assert Item.objects.filter(site=county).count() == 6
    page = client_for(county).get("/hudong/").content.decode()
    assert "人民路夜间大货车乱停放" in page and "城区停车管理意见征集" in page
    assert "城乡居民基本养老保险参保登记" in client_for(county).get("/banshi/").content.decode()
