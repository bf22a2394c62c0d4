"""One site's backup and restore (``backup_site`` / ``restore_site``): the closure scenario's
township (nested Chinese columns, pages over two list pages, a document and an image with its
rendition, a password-protected page, its own library contribution with an attachment, a platform
resource syndicated to it, four people with roles) is exported to one archive and restored

- into a FRESH platform (another database, set up from nothing): the same pages, byte for byte, and
  the same files; people and library items come along;
- into the same platform as a copy (new slug): every other site's pages, files, roles and library
  items are unchanged; an existing slug is refused without ``--replace``; a damaged archive is
  refused with a clear message and leaves nothing behind.

The commands run in their own connections and processes, so these tests commit and clean up."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_exists

from identity.models import Account, SiteRole
from shared_library import services as library
from shared_library.models import Resource, Syndication
from tenants.models import Site
from tests.closure_ops import remove_sites
from tests.closure_scenario import build
from tests.servers import ROOT, database_url
from tests.site_probe import public_snapshot
from tests.worker_process import worker_env

PREFIX = "bk"
PDF = b"%PDF-1.4\n% town material\n" + bytes(range(256)) * 8


@pytest.fixture
def scenario(django_db_setup, django_db_blocker, settings, tmp_path):
    """The closure scenario, committed; everything it and the restores made is removed afterwards."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        made = build(PREFIX)
        library.add_attachment(
            made.resources["own"], SimpleUploadedFile("特色农业材料.pdf", PDF, "application/pdf"), by="test", site=None
        )
        try:
            yield made
        finally:
            connection.set_schema_to_public()
            sites = list(Site.objects.filter(slug__startswith=f"{PREFIX}-").order_by("-pk"))
            Resource.objects.filter(source_site__in=sites).delete()
            Account.objects.filter(username__startswith=f"{PREFIX}-").delete()
            remove_sites(*sites)


def backup(site: Site, tmp_path: Path) -> Path:
    out = tmp_path / f"{site.slug}.zqbackup"
    call_command("backup_site", site.slug, "--out", str(out))
    return out


def hostless(body: str) -> bytes:
    """A page with both hosts and both media prefixes (the schema names) named alike. The copy's
    library items stay the original's (linked by index number, not duplicated), so their canonical
    address is still on the original site."""
    page = base64.b64decode(body)
    for old, new in ((b"bk-town.localhost", b"HOST"), (b"bk-copy.localhost", b"HOST"),
                     (b"/site_bk_town/", b"/SCHEMA/"), (b"/site_bk_copy/", b"/SCHEMA/")):  # fmt: skip
        page = page.replace(old, new)
    return page


def others_snapshot(exclude: set[str]) -> dict:
    """Every other site's public pages and files, its roles, and the library's items."""
    connection.set_schema_to_public()
    view = {}
    for site in Site.objects.exclude(schema_name="public").exclude(slug__in=exclude).order_by("slug"):
        if schema_exists(site.schema_name):
            view[site.slug] = public_snapshot(site.slug)
    roles = sorted(
        SiteRole.objects.exclude(site__slug__in=exclude).values_list("site__slug", "account__username", "role")
    )
    items = sorted(Resource.objects.values_list("pk", "title", "status", "source_site__slug", "index_number"))
    syndications = sorted(
        Syndication.objects.exclude(site__slug__in=exclude).values_list("resource_id", "site__slug", "column_slug")
    )
    return {"sites": view, "roles": roles, "library": items, "syndications": syndications}


@pytest.fixture
def fresh_db():
    """The fresh platform's database is dropped afterwards."""
    yield
    admin = psycopg2.connect(database_url({**connection.settings_dict, "NAME": "postgres"}))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{connection.settings_dict["NAME"]}_restore" WITH (FORCE)')
    admin.close()


def test_a_site_restored_into_a_fresh_platform_shows_the_same_pages_and_files(scenario, fresh_db, tmp_path):
    town = scenario.town
    original = public_snapshot(town.slug)  # first: renditions made by viewing are part of the site
    archive = backup(town, tmp_path)
    assert len(original["pages"]) > 10 and original["files"] and original["library_files"]
    assert {status for status, _body in original["pages"].values()} == {200}

    fresh_url, fresh_media = fresh_platform(tmp_path)
    env = worker_env(fresh_media, DATABASE_URL=fresh_url)
    refused = subprocess.run(
        [sys.executable, "manage.py", "restore_site", str(archive)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert refused.returncode == 1 and "上级站点“bk-county”在本平台不存在" in refused.stderr
    county = scenario.county  # the township's parent: restored or created first, as an operator would
    create = ["create_site", county.slug, "--name", county.name, "--kind", "county"]
    subprocess.run([sys.executable, "manage.py", *create], cwd=ROOT, env=env, capture_output=True, check=True)
    restored = subprocess.run(
        [sys.executable, "manage.py", "restore_site", str(archive)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert restored.returncode == 0, restored.stderr
    assert "已恢复站点 bk-town" in restored.stdout and "校验备份" in restored.stderr  # the progress bars
    probe = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", f"from tests.site_probe import main; main('{town.slug}')"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    copy = json.loads(probe.stdout.split("PROBE", 1)[1])

    assert sorted(copy["pages"]) == sorted(original["pages"])
    for path, (status, body) in original["pages"].items():
        assert copy["pages"][path][0] == status, path
        assert base64.b64decode(copy["pages"][path][1]) == base64.b64decode(body), path
    assert copy["files"] == original["files"]
    assert copy["library_files"] == original["library_files"]

    people = fresh_query(fresh_url, "SELECT a.username, r.role FROM identity_siterole r JOIN identity_account a "
                         "ON a.id = r.account_id ORDER BY 1")  # fmt: skip
    assert people == sorted(SiteRole.objects.filter(site=town).values_list("account__username", "role"))


def test_a_copy_restored_next_to_other_sites_leaves_them_unchanged(scenario, tmp_path):
    town = scenario.town
    original = public_snapshot(town.slug)
    archive = backup(town, tmp_path)
    before = others_snapshot(exclude={"bk-copy"})

    call_command("restore_site", str(archive), "--slug", "bk-copy")

    copy_site = Site.objects.get(slug="bk-copy")
    assert copy_site.primary_domain == "bk-copy.localhost" and copy_site.parent is not None
    copy = public_snapshot("bk-copy")
    assert copy["files"] == original["files"]
    assert sorted(copy["pages"]) == sorted(original["pages"])
    for path, (_status, body) in original["pages"].items():  # the same apart from host names
        assert hostless(copy["pages"][path][1]) == hostless(body), path
    assert sorted(SiteRole.objects.filter(site=copy_site).values_list("account__username", "role")) == sorted(
        SiteRole.objects.filter(site=town).values_list("account__username", "role")
    )
    after = others_snapshot(exclude={"bk-copy"})
    assert after == before


def test_an_existing_slug_is_refused_unless_replace_and_replace_restores_the_backup(scenario, tmp_path):
    town = scenario.town
    original = public_snapshot(town.slug)
    archive = backup(town, tmp_path)
    with pytest.raises(CommandError, match="站点代号“bk-town”已存在.*--replace"):
        call_command("restore_site", str(archive))

    library.create_resource(by="test", site=town, publish=True, kind="article", title="备份之后新增的资源")
    with connection.cursor() as cursor:  # a page changed after the backup
        table = f"{town.schema_name}.wagtailcore_page"
        cursor.execute(f"UPDATE {table} SET title = '改过的标题' WHERE slug = 'spring-fire'")
    before_others = others_snapshot(exclude={"bk-town"})

    call_command("restore_site", str(archive), "--replace")

    again = public_snapshot(town.slug)
    assert again["pages"] == original["pages"] and again["files"] == original["files"]
    assert others_snapshot(exclude={"bk-town"}) == before_others


def test_a_damaged_or_foreign_archive_is_refused_and_nothing_is_made(scenario, tmp_path):
    archive = backup(scenario.town, tmp_path)
    damaged = tmp_path / "damaged.zqbackup"
    data = bytearray(archive.read_bytes())
    with tarfile.open(archive) as tar:
        member = tar.getmember("schema.sql.gz")
    data[member.offset_data + 100] ^= 0xFF
    damaged.write_bytes(bytes(data))
    count = Site.objects.count()
    with pytest.raises(CommandError, match="schema.sql.gz.*校验失败"):
        call_command("restore_site", str(damaged), "--slug", "bk-damaged")
    not_ours = tmp_path / "not-a-backup.zqbackup"
    not_ours.write_bytes(b"hello")
    with pytest.raises(CommandError, match="不是有效的站点备份文件"):
        call_command("restore_site", str(not_ours), "--slug", "bk-damaged")
    with pytest.raises(CommandError, match="不存在"):
        call_command("restore_site", str(tmp_path / "missing.zqbackup"), "--slug", "bk-damaged")
    assert Site.objects.count() == count and not schema_exists("site_bk_damaged")
    assert not (Path(tmp_path / "media" / "site_bk_damaged")).exists()


# --- a fresh platform in another database ------------------------------------------------------


def fresh_platform(tmp_path: Path) -> tuple[str, Path]:
    """Create ``<test db>_restore`` from nothing and run ``setup_platform`` on it."""
    settings_dict = dict(connection.settings_dict)
    name = f"{settings_dict['NAME']}_restore"
    admin = psycopg2.connect(database_url({**settings_dict, "NAME": "postgres"}))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    url = database_url({**settings_dict, "NAME": name})
    media = tmp_path / "fresh-media"
    shutil.rmtree(media, ignore_errors=True)
    subprocess.run(
        [sys.executable, "manage.py", "setup_platform", "--pool", "0"],
        cwd=ROOT, env=worker_env(media, DATABASE_URL=url), capture_output=True, text=True, check=True,
    )  # fmt: skip
    return url, media


def fresh_query(url: str, sql: str) -> list[tuple]:
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            return [tuple(row) for row in cursor.fetchall()]
    finally:
        conn.close()


def test_file_checksums_are_in_the_manifest(scenario, tmp_path):
    archive = backup(scenario.town, tmp_path)
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        for name, expected in manifest["members"].items():
            assert hashlib.sha256(tar.extractfile(name).read()).hexdigest() == expected["sha256"]
    assert manifest["site"]["slug"] == "bk-town" and any(n.startswith("media/") for n in manifest["members"])
    assert any(n.startswith("library/") for n in manifest["members"])

