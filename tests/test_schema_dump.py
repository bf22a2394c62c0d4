"""Schemas are dumped with the server's own pg_dump (its major version, else the nearest newer one),
never blindly with the embedded wheel's; the template and the closure archive share the one function."""

from __future__ import annotations

import pytest

from tenants.lib import schema_dump
from tenants.schema_template import current_template


def test_the_dump_uses_the_servers_own_major_version(db):
    major = schema_dump.server_major()
    tool = schema_dump.pg_dump_for(major)
    assert tool.major == major, f"{tool.path} is {tool.major}, server is {major}"


def test_a_server_newer_than_every_client_is_refused_in_chinese(db):
    with pytest.raises(schema_dump.PgDumpNotFound) as info:
        schema_dump.pg_dump_for(99)
    assert "postgresql-client-99" in str(info.value) and "ZQ_PG_DUMP" in str(info.value)


def test_zq_pg_dump_names_the_binary(db, monkeypatch):
    tool = schema_dump.pg_dump_for(schema_dump.server_major())
    monkeypatch.setenv("ZQ_PG_DUMP", tool.path)
    assert schema_dump.candidates() == [tool.path]
    monkeypatch.setenv("ZQ_PG_DUMP", "/nonexistent/pg_dump")
    with pytest.raises(schema_dump.PgDumpNotFound):
        schema_dump.pg_dump_for(schema_dump.server_major())


def test_the_template_dump_replays_without_session_lines(db):
    """What the server's own client wrote: no \\restrict or SET lines left, the schema name placeholdered."""
    template = current_template()
    sql = schema_dump.dump_schema(template.schema_name)
    assert schema_dump.PLACEHOLDER in sql and template.schema_name not in sql
    assert not [line for line in sql.splitlines() if line.startswith(("\\restrict", "SET "))]
