"""The one search interface of the platform. Sites, views, commands and receivers talk to this
module only; which engine answers is ``ZQ_SEARCH_BACKEND`` (PostgreSQL by default; see
docs/search.md for an OpenSearch backend with a Chinese analyser).

A backend stores :class:`IndexDocument` rows keyed by (schema, model, object id) and answers a
:class:`Query` with :class:`Results`. It never decides *what* is searchable: that is
``sitesearch.documents`` (live, public, not 不予公开, site active), the same for every backend.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from sitesearch.segmenter import ParsedQuery


@dataclass
class IndexDocument:
    """What a backend stores for one page or resource (plain values, no models)."""

    schema_name: str
    site_id: int  # 0 = library
    site_ids: list[int]
    model: str
    object_id: int
    url: str
    title: str
    text: str = ""
    column_title: str = ""
    column_kind: str = ""
    genre: str = ""
    topic: str = ""
    publish_date: datetime.date | None = None
    index_number: str = ""
    document_number: str = ""


SORTS = ("relevance", "date")


@dataclass
class Query:
    """A search as the results page asks it. ``site_id`` is the asking site; ``cluster`` widens the
    scope to every site (then ``site_filter`` may narrow it to one)."""

    parsed: ParsedQuery
    site_id: int
    cluster: bool = False
    site_filter: int | None = None
    column_kind: str = ""
    genre: str = ""
    topic: str = ""
    year: int | None = None
    sort: str = "relevance"
    offset: int = 0
    limit: int = 10


@dataclass
class Hit:
    schema_name: str
    site_id: int
    site_ids: list[int]
    model: str
    object_id: int
    url: str
    title: str
    text: str
    column_title: str
    column_kind: str
    genre: str
    topic: str
    publish_date: datetime.date | None
    index_number: str
    document_number: str

    @property
    def is_library(self) -> bool:
        return self.site_id == 0


@dataclass
class Results:
    total: int
    hits: list[Hit] = field(default_factory=list)


class Backend(Protocol):
    def upsert(self, documents: list[IndexDocument]) -> None: ...

    def delete(self, schema_name: str, model: str, object_ids: list[int]) -> None: ...

    def delete_site(self, schema_name: str) -> None: ...

    def search(self, query: Query) -> Results: ...

    def count(self, schema_name: str | None = None) -> int: ...


@functools.cache
def _backend(path: str) -> Backend:
    return import_string(path)()


def backend() -> Backend:
    return _backend(settings.ZQ_SEARCH_BACKEND)


def upsert(documents: list[IndexDocument]) -> None:
    if documents:
        backend().upsert(documents)


def delete(schema_name: str, model: str, object_ids: list[int]) -> None:
    if object_ids:
        backend().delete(schema_name, model, object_ids)


def delete_site(schema_name: str) -> None:
    backend().delete_site(schema_name)


def search(query: Query) -> Results:
    return backend().search(query)


def count(schema_name: str | None = None) -> int:
    return backend().count(schema_name)
