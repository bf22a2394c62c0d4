"""Media on S3 in production: nothing is public-read. Objects are written with the bucket's private
default (no ACL is sent: ``AWS_DEFAULT_ACL = None``), an anonymous GET is refused, and the app hands
out URLs signed for a short time (library downloads) that do work."""

from __future__ import annotations

import urllib.error
import urllib.request

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import override_settings
from django_tenants.utils import schema_context

from tests.files import s3_settings

PUBLIC_GROUPS = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_an_uploaded_object_has_no_public_grant_and_anonymous_reads_are_refused(cluster, s3_server):
    site = cluster["county_a"]
    with override_settings(**s3_settings(s3_server)):
        storage = storages.create_storage({"BACKEND": "tenants.storage.TenantS3Storage"})
        with schema_context(site.schema_name):
            name = storage.save("documents/内部通知.pdf", ContentFile(b"%PDF-1.4 not for everyone"))
            signed = storage.url(name)
    key = f"{site.schema_name}/{name}"
    client = s3_server.client()
    grants = client.get_object_acl(Bucket=s3_server.bucket, Key=key)["Grants"]
    assert not [g for g in grants if g.get("Grantee", {}).get("URI") in PUBLIC_GROUPS], grants
    bucket_grants = client.get_bucket_acl(Bucket=s3_server.bucket)["Grants"]
    assert not [g for g in bucket_grants if g.get("Grantee", {}).get("URI") in PUBLIC_GROUPS], bucket_grants

    unsigned = signed.split("?", 1)[0]
    assert "X-Amz-Signature=" in signed
    assert status_of(unsigned) == 403  # anonymous: refused
    assert status_of(signed) == 200  # the signed URL the app hands out works
    client.delete_object(Bucket=s3_server.bucket, Key=key)

