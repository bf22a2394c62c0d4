"""The test cluster: built once per test session and shared by every test.

Creating schemas per test is too slow, so the session builds the platform tenant, the site
template and a small cluster (city, two counties, a department, a township with an alias
domain). Tests that write run inside a transaction (pytest-django's ``db``) and are rolled back.
"""

from __future__ import annotations

import pytest
from django.db import connection

from tests.cluster import CLUSTER, build_cluster


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # noqa: PT004 - extends pytest-django's
    with django_db_blocker.unblock():
        build_cluster()
        connection.set_schema_to_public()
    yield


@pytest.fixture
def cluster(db):
    """The session's sites by key: ``cluster["county_a"].primary_domain`` …"""
    from tenants.models import Site

    connection.set_schema_to_public()
    sites = {key: Site.objects.get(slug=spec.slug) for key, spec in CLUSTER.items()}
    yield sites
    connection.set_schema_to_public()
