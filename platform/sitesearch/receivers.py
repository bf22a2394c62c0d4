"""The index follows the content: Wagtail's page signals, the library's ``resource_changed`` and the
cluster's ``site_changed`` each queue a task (after commit, carrying the schema name and ids)."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from shared_library.events import resource_changed
from sitesearch import tasks
from tenants.events import site_changed


def _queue_pages(pages: list[int]) -> None:
    schema_name = connection.schema_name
    if schema_name == "public" or not pages:
        return
    transaction.on_commit(lambda: tasks.index_pages.enqueue(schema_name, pages))


def _with_descendants(page: Page) -> list[int]:
    return [page.pk, *Page.objects.descendant_of(page).values_list("pk", flat=True)]


@receiver(page_published)
def page_was_published(sender, instance, **kwargs) -> None:
    # A column's new title or slug changes its articles' column and URL too.
    _queue_pages(_with_descendants(instance) if instance.numchild else [instance.pk])


@receiver(page_unpublished)
def page_was_unpublished(sender, instance, **kwargs) -> None:
    _queue_pages(_with_descendants(instance) if instance.numchild else [instance.pk])


@receiver(post_page_move)
def page_was_moved(sender, instance, **kwargs) -> None:
    _queue_pages(_with_descendants(instance))


@receiver(post_delete)
def page_was_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page) and type(instance) is Page:
        _queue_pages([instance.pk])


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def privacy_changed(sender, instance, **kwargs) -> None:
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        _queue_pages(_with_descendants(page))


@receiver(resource_changed)
def library_changed(sender, resource_id: int, **kwargs) -> None:
    # Sent after commit already (shared_library.events): queue at once.
    tasks.index_resources.enqueue([resource_id])


@receiver(site_changed)
def site_was_changed(sender, site_id: int, change: str, **kwargs) -> None:
    tasks.site_changed.enqueue(site_id, change)
