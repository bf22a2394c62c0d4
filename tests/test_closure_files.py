"""Files on the way from X to P: per-schema storage names, deterministic copy names, orphans overwritten."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django_tenants.utils import schema_context
from wagtail.images import get_image_model

from tenants.closure.files import copy_file, copy_name
from tests.closure_scenario import png


def test_an_image_saved_on_local_storage_opens_again(cluster, tmp_path, settings):
    """The stored name must not carry the schema prefix the storage adds (it did: renditions failed)."""
    settings.MEDIA_ROOT = str(tmp_path)
    town = cluster["township"]
    with schema_context(town.schema_name):
        image = get_image_model()(title="全景")
        image.file.save("全景.png", png(), save=False)
        image.save()
        assert not image.file.name.startswith(town.schema_name)
        rendition = image.get_rendition("fill-16x16")
        assert (tmp_path / town.schema_name / rendition.file.name).exists()
        assert rendition.url.startswith(f"/media/{town.schema_name}/images/")


def test_copy_names_keep_the_file_name_in_a_folder_named_after_the_site():
    assert copy_name("documents/通知.pdf", "t-town", 100) == "documents/t-town/通知.pdf"
    long = "documents/" + "很长的文件名" * 20 + ".pdf"
    short = copy_name(long, "t-town", 100)
    assert len(short) == 100 and short.startswith("documents/t-town/很长的文件名") and short.endswith(".pdf")


def test_a_copy_reads_in_one_schema_writes_in_another_and_overwrites_an_orphan(cluster, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    town, county = cluster["township"], cluster["county_a"]
    storage = get_image_model()._meta.get_field("file").storage
    with schema_context(town.schema_name):
        source = storage.save("documents/通知.pdf", ContentFile(b"town"))
    with schema_context(county.schema_name):
        storage.save("documents/通知.pdf", ContentFile(b"county"))
        storage.save("documents/t-town/通知.pdf", ContentFile(b"orphan of a killed run"))
    name = copy_file(storage, source, town.schema_name, county.schema_name, "documents/t-town/通知.pdf", 100)
    assert name == "documents/t-town/通知.pdf"
    assert (tmp_path / county.schema_name / name).read_bytes() == b"town"
    assert (tmp_path / county.schema_name / "documents/通知.pdf").read_bytes() == b"county"
    assert sorted(p.name for p in (tmp_path / county.schema_name / "documents/t-town").iterdir()) == ["通知.pdf"]
