"""The demo's printed logins cover every role and can finish every flow."""

from __future__ import annotations

from tenants.demo.closures import CLOSED_TOWNSHIP, NOTICE_TOWNSHIP
from tenants.demo.loader import DEMO_SITES
from tenants.demo.people import DEMO_PEOPLE, describe_logins


def test_the_demo_people_cover_every_role_and_the_clerk_flow():
    kinds = {spec.slug: spec.kind for spec in DEMO_SITES}
    parents = {spec.slug: spec.parent_slug for spec in DEMO_SITES}
    roles = {(kinds.get(slug), role) for _u, _n, _op, grants in DEMO_PEOPLE for slug, role, _c in grants}
    assert any(operator for _u, _n, operator, _g in DEMO_PEOPLE)
    assert {("city", "editor"), ("county", "editor"), ("department", "editor"), ("township", "submitter")} <= roles
    # the clerk's township stays open, and its county has an editor to approve
    clerk_sites = [slug for u, _n, _o, grants in DEMO_PEOPLE for slug, role, _c in grants if role == "submitter"]
    assert "qs-chengguan" in clerk_sites and "qs-chengguan" not in (CLOSED_TOWNSHIP, NOTICE_TOWNSHIP)
    editors_of = {slug for _u, _n, _o, grants in DEMO_PEOPLE for slug, role, _c in grants if role == "editor"}
    assert parents["qs-chengguan"] in editors_of


def test_the_printed_logins_name_the_review_flow(db):
    text = "\n".join(describe_logins())
    assert "edu-editor" in text and "chengguan-clerk" in text and "qingshan-editor" in text
    assert "待审核" in text
