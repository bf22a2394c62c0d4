"""Signals identity sends, so it never imports the parts of the platform that react to them."""

from django.dispatch import Signal

# Sent after a role was granted or revoked (inside the same transaction):
# ``account``, ``site``, ``by``, ``request``. The review chain derives reviewers from it.
role_changed = Signal()
