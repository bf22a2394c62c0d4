"""Shared by the console scenario tests: an operator's client and the console's real form posts."""

from __future__ import annotations

import io

from django.test import Client
from django.urls import reverse

from tests.people import logged_in, person

PLATFORM = "platform.localhost"


def operator_client(username: str = "ops-console") -> Client:
    person(username, operator=True)
    return logged_in(PLATFORM, username)


def site_form(**fields) -> dict:
    data = {
        "name": "",
        "slug": "",
        "kind": "county",
        "parent": "",
        "domain": "",
        "aliases": "",
        "theme": "default",
        "organiser": "",
        "operator": "",
        "contact": "",
        "site_code": "",
        "icp_number": "",
        "police_number": "",
    }
    data.update({key: "" if value is None else value for key, value in fields.items()})
    return data


def create_site(client: Client, **fields):
    return client.post(reverse("console_sites:add"), site_form(**fields))


def domain_action(client: Client, site, op: str, **fields):
    return client.post(reverse("console_sites:domains", args=[site.pk]), {"op": op, **fields})


def upload_csv(client: Client, text: str, name: str = "sites.csv", encoding: str = "utf-8"):
    upload = io.BytesIO(text.encode(encoding))
    upload.name = name
    return client.post(reverse("console_sites:bulk"), {"file": upload})
