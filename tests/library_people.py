"""The people of the library scenarios: who acts from where, and their logged-in admin clients.

A township editor and submitter, a county editor (青山县, the township's parent), the editor of the
other county (白水县), the city's editor and a platform operator, each with a real account and role,
logged in through the real login form on their own site's host.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.test import Client

from shared_library import services
from shared_library.models import Resource
from tests.people import editor, logged_in, person, submitter

PLATFORM = "platform.localhost"


@dataclass
class Cast:
    operator: Client
    city_editor: Client
    county_editor: Client  # 青山县 (county_a), parent of the township
    other_county_editor: Client  # 白水县 (county_b)
    township_editor: Client
    township_clerk: Client
    county_clerk: Client


def cast(cluster) -> Cast:
    person("lib-ops", operator=True)
    editor("lib-city-ed", cluster["city"])
    editor("lib-qs-ed", cluster["county_a"])
    editor("lib-bs-ed", cluster["county_b"])
    editor("lib-town-ed", cluster["township"])
    submitter("lib-town-clerk", cluster["township"], ["news"])
    submitter("lib-qs-clerk", cluster["county_a"], ["news"])
    connection.set_schema_to_public()
    people = Cast(
        operator=logged_in(PLATFORM, "lib-ops"),
        city_editor=logged_in(cluster["city"], "lib-city-ed"),
        county_editor=logged_in(cluster["county_a"], "lib-qs-ed"),
        other_county_editor=logged_in(cluster["county_b"], "lib-bs-ed"),
        township_editor=logged_in(cluster["township"], "lib-town-ed"),
        township_clerk=logged_in(cluster["township"], "lib-town-clerk"),
        county_clerk=logged_in(cluster["county_a"], "lib-qs-clerk"),
    )
    connection.set_schema_to_public()
    return people


def platform_policy(title: str = "江城市优化营商环境若干措施", **fields) -> Resource:
    """A policy published by the platform (source 市政府)."""
    defaults = {
        "kind": "policy",
        "title": title,
        "body": "<p>为持续优化营商环境……</p>",
        "issuing_body": "江城市人民政府",
        "publish_date": datetime.date(2026, 11, 3),
    }
    return services.create_resource(by="operator", site=None, publish=True, **{**defaults, **fields})


def draft_of(site, title: str, **fields) -> Resource:
    return services.create_resource(by="someone", site=site, title=title, kind=fields.pop("kind", "notice"), **fields)
