"""The test cluster: built once per test session and shared by every test.

Creating schemas per test is too slow, so the session builds the platform tenant, the site
template and a small cluster (city, two counties, a department, a township with an alias
domain). Tests that write run inside a transaction (pytest-django's ``db``) and are rolled back.
"""

from __future__ import annotations

import weakref

import pytest
from django.db import connection
from django.db.backends.signals import connection_created

from tests.cluster import CLUSTER, build_cluster

# Every database connection this process opens. Django hands out one connection per thread *and per
# context*: code run under Playwright's sync API (its greenlets keep a running event loop on the main
# thread) gets a connection of its own, e.g. a browser module's fixture that commits rows. pytest-django
# closes only its own before dropping the test database, and PostgreSQL refuses to drop a database
# another session uses ("is being accessed by other users": a teardown warning, the database left behind).
_opened = weakref.WeakSet()
connection_created.connect(lambda sender, connection, **kwargs: _opened.add(connection), weak=False)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # noqa: PT004 - extends pytest-django's
    with django_db_blocker.unblock():
        build_cluster()
        connection.set_schema_to_public()
    yield
    for wrapper in list(_opened):  # then pytest-django drops the database
        if wrapper.connection is not None:
            wrapper.inc_thread_sharing()  # it may belong to a thread that is gone
            wrapper.close()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the login throttle counts failures per client address
    (every test client is 127.0.0.1), and the database a test wrote is rolled back anyway."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def cluster(db):
    """The session's sites by key: ``cluster["county_a"].primary_domain`` …"""
    from tenants.models import Site

    connection.set_schema_to_public()
    sites = {key: Site.objects.get(slug=spec.slug) for key, spec in CLUSTER.items()}
    yield sites
    connection.set_schema_to_public()


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A real S3 server for the session (SeaweedFS, loopback only, with credentials)."""
    from tests.servers import remove_weed_sockets, start_s3, stop

    server, process = start_s3(tmp_path_factory.mktemp("s3"))
    yield server
    stop(process)
    remove_weed_sockets()


@pytest.fixture(scope="session")
def app_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """The production app server (gunicorn + WhiteNoise) serving the session's test database, with
    its task worker (``db_worker``) running the queued tasks and console jobs.

    Yields a function giving the base URL for a host, e.g. ``app_server("t-city.localhost")``:
    ``*.localhost`` resolves to 127.0.0.1, so browsers reach each tenant by its own name.
    """
    from tests.servers import start_app_server, start_task_worker, stop

    with django_db_blocker.unblock():
        settings_dict = dict(connection.settings_dict)
    workdir = tmp_path_factory.mktemp("app")
    base, process = start_app_server(settings_dict, workdir)
    worker = start_task_worker(settings_dict, workdir)
    port = base.rsplit(":", 1)[1]
    yield lambda host: f"http://{host}:{port}"
    stop(worker)
    stop(process)
