"""A library attachment's file leaves storage with its row (deleted directly or with its resource).

After commit, so a rolled-back delete keeps the file; the library storage has a fixed prefix, so it
does not matter which schema is current when the callback runs.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from shared_library.models import Attachment


@receiver(post_delete, sender=Attachment, dispatch_uid="shared_library.attachment_file_cleanup")
def delete_attachment_file(sender, instance: Attachment, **kwargs) -> None:
    if instance.file.name:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name))
