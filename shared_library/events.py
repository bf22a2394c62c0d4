"""What the library tells the sites showing its resources, sent after the change is committed.

Sent from ``services._record`` (the one place every library change is written down), so every
publish, edit, withdrawal, deletion, (un)syndication and re-attribution is announced exactly once.
Receivers (page cache purge, search index) get ids only.

``resource_changed`` kwargs: ``resource_id`` (int), ``action`` (the version action, e.g. ``publish``,
``withdraw``, ``syndicate``, ``unsyndicate``, ``delete``, ``edit``), ``site_ids`` (sorted list of every
site that showed or now shows the resource: its source site and each syndication target, including
targets removed by this change).
"""

from __future__ import annotations

from django.dispatch import Signal

resource_changed = Signal()
