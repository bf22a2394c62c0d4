"""The warm pool: spare schemas replayed from the template ahead of time.

Claiming one is a row delete + ``ALTER SCHEMA … RENAME`` (~0.1 s) in the provisioning transaction,
so a rename rolls back with everything else if the rest of provisioning fails. ``SKIP LOCKED`` lets
concurrent provisioners each take a different spare without waiting on each other.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.db import connection, transaction

from tenants.lib.pg import advisory_lock
from tenants.models import SchemaTemplate, SpareSchema
from tenants.schema_template import MAINTENANCE_LOCK, MAINTENANCE_WORK, replay_template


def fill_pool(template: SchemaTemplate, size: int, progress: Callable[[int], None] = lambda _n: None) -> int:
    """Top the pool up to ``size`` spares of ``template``; drop spares of stale templates.

    One refill at a time across processes (the template build lock), so two refills never overfill;
    a template replaced by a newer build meanwhile gets no spares (they could never be claimed)."""
    with advisory_lock(MAINTENANCE_LOCK, what=MAINTENANCE_WORK):
        if not SchemaTemplate.objects.filter(pk=template.pk, state_hash=template.state_hash).exists():
            return 0
        drop_stale_spares(template.state_hash)
        have = SpareSchema.objects.filter(state_hash=template.state_hash).count()
        made = 0
        for _ in range(max(0, size - have)):
            name = f"zq_spare_{secrets.token_hex(6)}"
            with transaction.atomic():
                replay_template(template, name)
                SpareSchema.objects.create(schema_name=name, state_hash=template.state_hash)
            made += 1
            progress(made)
        return made


def drop_stale_spares(state_hash: str) -> int:
    stale = list(SpareSchema.objects.exclude(state_hash=state_hash).values_list("schema_name", flat=True))
    with connection.cursor() as cursor:
        for name in stale:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    SpareSchema.objects.filter(schema_name__in=stale).delete()
    return len(stale)


def claim_spare(state_hash: str, new_name: str) -> bool:
    """Rename one spare to ``new_name``; False when the pool is empty. Call inside a transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""DELETE FROM {SpareSchema._meta.db_table}
                WHERE id = (SELECT id FROM {SpareSchema._meta.db_table} WHERE state_hash = %s
                            ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING schema_name""",
            [state_hash],
        )
        row = cursor.fetchone()
        if row is None:
            return False
        cursor.execute(f'ALTER SCHEMA "{row[0]}" RENAME TO "{new_name}"')
    return True
