"""Shared by the 互动交流 scenario tests: a citizen's form posts and the staff's screens."""

from __future__ import annotations

import datetime
import re

from django.test import Client
from django.utils import timezone
from interaction import deadlines
from interaction.models import Item

from tests.helpers import client_for

CAPTCHA_OK = {"captcha_0": "test", "captcha_1": "PASSED"}  # CAPTCHA_TEST_MODE (test settings only)


def letter(**fields) -> dict:
    return {
        "name": "张三",
        "phone": "13800001234",
        "email": "zhangsan@example.com",
        "subject": "城区街道货车乱停放",
        "content": "人民路两侧每天晚上停满大货车，影响通行，请有关部门管理。",
        **CAPTCHA_OK,
        **fields,
    }


def citizen(site, address: str = "127.0.0.1") -> Client:
    return client_for(site, REMOTE_ADDR=address)


def query_code(response) -> str:
    match = re.search(r'class="query-code">([0-9A-Z]+)<', response.content.decode())
    assert match, response.content.decode()[:2000]
    return match.group(1)


def backdate(item: Item, days_ago: int) -> Item:
    """Pretend ``item`` arrived ``days_ago`` calendar days ago (its deadline moves with it)."""
    item.received_at = timezone.now() - datetime.timedelta(days=days_ago)
    item.due_date = deadlines.due_date_for(item)
    item.save()
    return item
