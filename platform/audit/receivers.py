"""Wiring: Django's auth signals and Wagtail's publishing/workflow signals become audit events.

Wagtail's ``page_published`` carries no user, so the publisher is taken from Wagtail's own log
context (set around every admin view), falling back to the revision's author. The client address
comes from the current request (``audit.middleware``). Failed logins are recorded by ``identity``,
which knows why a login failed.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from wagtail.log_actions import get_active_log_context
from wagtail.signals import page_published, page_unpublished, workflow_approved, workflow_rejected, workflow_submitted

from audit.log import record


def _context_user():
    context = get_active_log_context()
    return getattr(context, "user", None) if context else None


@receiver(user_logged_in, dispatch_uid="audit.login")
def on_login(sender, request, user, **kwargs) -> None:
    record("login", actor=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit.logout")
def on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        record("logout", actor=user, request=request)


@receiver(page_published, dispatch_uid="audit.publish")
def on_publish(sender, instance, revision=None, **kwargs) -> None:
    actor = _context_user() or getattr(revision, "user", None)
    record("publish", actor=actor, obj=instance, revision=getattr(revision, "pk", None))


@receiver(page_unpublished, dispatch_uid="audit.unpublish")
def on_unpublish(sender, instance, **kwargs) -> None:
    record("unpublish", actor=_context_user(), obj=instance)


def _workflow_event(action: str, state, user) -> None:
    page = state.content_object
    record(action, actor=user or _context_user(), obj=page, workflow=state.workflow.name if state.workflow_id else "")


@receiver(workflow_submitted, dispatch_uid="audit.submit")
def on_submit(sender, instance, user=None, **kwargs) -> None:
    _workflow_event("submit", instance, user)


@receiver(workflow_approved, dispatch_uid="audit.approve")
def on_approve(sender, instance, user=None, **kwargs) -> None:
    _workflow_event("approve", instance, user)


@receiver(workflow_rejected, dispatch_uid="audit.reject")
def on_reject(sender, instance, user=None, **kwargs) -> None:
    _workflow_event("reject", instance, user)
