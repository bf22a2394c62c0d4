"""Notifications through a real SMTP server on loopback (aiosmtpd): staff hear of a new letter,
the writer who left an address gets the answer, staff get the overdue reminder."""

from __future__ import annotations

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from interaction.models import Item

from identity import services
from tests.interaction_helpers import backdate, citizen, letter, query_code
from tests.people import editor, logged_in, person

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [message for recipients, message in self.messages if address in recipients]


@pytest.fixture
def smtp(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.DEFAULT_FROM_EMAIL = "noreply@t-county-a.localhost"
    yield inbox
    controller.stop()


def test_staff_and_writer_are_emailed_through_smtp(cluster, smtp, django_capture_on_commit_callbacks):
    county = cluster["county_a"]
    account = person("mail-editor", email="editor@qingshan.example")
    editor_name = account.username
    services.grant_role(account, county, "editor", by="test")
    with django_capture_on_commit_callbacks(execute=True):
        code = query_code(citizen(county).post("/hudong/xinxiang/leader/", letter(email="writer@example.com")))
    item = Item.objects.get(query_code=code)
    [staff_mail] = smtp.to("editor@qingshan.example")
    assert (
        item.number in staff_mail["Subject"] + staff_mail.get_content()
        and "城区街道货车乱停放" in staff_mail["Subject"]
    )
    assert not smtp.to("writer@example.com")

    staff = logged_in(county, editor_name)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(f"/admin/hudong/{item.pk}/", {"action": "answer", "answer": "已设置禁停标志并加强巡查。"})
    [reply] = smtp.to("writer@example.com")
    assert item.number in reply["Subject"] and "已设置禁停标志并加强巡查" in reply.get_content()
    assert "/hudong/chaxun/" in reply.get_content()


def test_overdue_reminder_reaches_staff(cluster, smtp):
    county = cluster["county_a"]
    editor("mail-overdue", county)
    account = person("mail-overdue-2", email="duty@qingshan.example")
    services.grant_role(account, county, "editor", by="test")
    item = backdate(
        Item.objects.get(query_code=query_code(citizen(county).post("/hudong/xinxiang/leader/", letter()))), 40
    )
    call_command("interaction_overdue")
    [reminder] = smtp.to("duty@qingshan.example")
    assert "超期" in reminder["Subject"] and item.number in reminder.get_content()
