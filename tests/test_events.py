"""The two change signals the page cache and the search index subscribe to fire once, after commit,
with the ids of every site concerned."""

from __future__ import annotations

import datetime

from console import sites as site_services
from shared_library import services
from shared_library.events import resource_changed
from tenants.addresses import root_url
from tenants.events import site_changed


def _listen(signal):
    heard: list[dict] = []

    def receiver(sender, **kwargs):
        heard.append({key: value for key, value in kwargs.items() if key != "signal"})

    signal.connect(receiver, weak=False)
    return heard, lambda: signal.disconnect(receiver)


def test_syndication_and_withdrawal_name_every_site_showing_the_resource(cluster, django_capture_on_commit_callbacks):
    heard, stop = _listen(resource_changed)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            resource = services.create_resource(
                by="operator", site=None, publish=True, kind="policy", title="江城市促进消费若干措施",
                body="<p>正文</p>", issuing_body="江城市人民政府", document_number="江政发〔2026〕9号",
                written_date=datetime.date(2026, 11, 2), publish_date=datetime.date(2026, 11, 5),
            )  # fmt: skip
            services.syndicate(resource, [cluster["county_a"], cluster["county_b"]], "policy", by="operator")
        assert heard[-1]["action"] == "syndicate"
        assert heard[-1]["site_ids"] == sorted([cluster["county_a"].pk, cluster["county_b"].pk])
        assert heard[-1]["resource_id"] == resource.pk
        with django_capture_on_commit_callbacks(execute=True):
            services.unsyndicate(resource, [cluster["county_b"]], by="operator")
        # county_b no longer shows it, but it did until this change: it is named too.
        assert heard[-1]["site_ids"] == sorted([cluster["county_a"].pk, cluster["county_b"].pk])
    finally:
        stop()


def test_suspending_a_site_is_announced_only_after_commit(cluster, django_capture_on_commit_callbacks):
    heard, stop = _listen(site_changed)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            site_services.suspend(cluster["department"], "系统维护", by="operator")
        assert heard == []
        for callback in callbacks:
            callback()
        assert heard == [{"site_id": cluster["department"].pk, "change": "suspended"}]
    finally:
        stop()


def test_links_written_without_a_request_carry_the_public_port(cluster, settings):
    """E-mails, notices and reports have no request to take a port from: the demo serves every site on
    :8000, and a link without the port led nowhere."""
    settings.ZQ_SITE_PORT = "8000"
    assert root_url(cluster["county_a"]) == f"http://{cluster['county_a'].primary_domain}:8000"
    settings.ZQ_SITE_PORT = ""
    assert root_url(cluster["county_a"]) == f"http://{cluster['county_a'].primary_domain}"
