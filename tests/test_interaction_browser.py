"""A citizen writes to the county head's mailbox in Chromium, on a phone and on a desktop, against
the production server (real captcha: the test reads the answer the server stored), with axe-core
reporting no accessibility violation and no CSP violation on the form or the receipt."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from captcha.models import CaptchaStore
from django.db import connection
from interaction.models import Item

from tests.cluster import host
from tests.test_admin_csp_browser import watch_csp
from tests.test_public_site_browser import ARTIFACTS, browser  # noqa: F401 - the Chromium fixture

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


def _violations(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in results.response["violations"]]


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_a_citizen_writes_to_the_mailbox_on_phone_and_desktop(app_server, browser, django_db_blocker, device):  # noqa: F811
    context = browser.new_context(viewport=VIEWPORTS[device], locale="zh-CN", bypass_csp=False)
    page = context.new_page()
    csp = watch_csp(page)
    page.goto(app_server(host("county_a")) + "/hudong/xinxiang/leader/")
    assert page.locator("h1").inner_text() == "领导信箱"
    assert page.locator("img.captcha").evaluate("img => img.naturalWidth") > 0
    axe_form = _violations(page)
    page.screenshot(path=str(ARTIFACTS / f"hudong-write-{device}.png"), full_page=True)

    # Submitting empty gets the Chinese error summary, focusable links to each field.
    page.get_by_role("button", name="提交信件").click()
    assert "提交未成功" in page.locator(".form-errors").inner_text()
    axe_errors = _violations(page)

    page.locator("#id_name").fill("王五")
    page.locator("#id_phone").fill("13700001111")
    page.locator("#id_subject").fill(f"浏览器测试来信（{device}）")
    page.locator("#id_content").fill("人民路夜间货车停放问题。")
    key = page.locator('input[name="captcha_0"]').input_value()
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        answer = CaptchaStore.objects.get(hashkey=key).response
    page.locator("#id_captcha_1").fill(answer)
    page.get_by_role("button", name="提交信件").click()
    page.wait_for_selector(".query-code")
    code = page.locator(".query-code").inner_text()
    page.screenshot(path=str(ARTIFACTS / f"hudong-received-{device}.png"), full_page=True)
    axe_receipt = _violations(page)
    context.close()
    with django_db_blocker.unblock():
        Item.objects.filter(query_code=code).delete()  # committed by the app server
    assert len(code) == 12
    assert axe_form == [] and axe_errors == [] and axe_receipt == []
    assert csp == []
