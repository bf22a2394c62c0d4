"""Signals other parts of the platform listen to, so ``identity`` never imports them."""

from django.dispatch import Signal

# Sent after a role was granted or revoked (inside the same transaction):
# ``account``, ``site``, ``by``, ``request``. The review chain derives reviewers from it.
role_changed = Signal()
