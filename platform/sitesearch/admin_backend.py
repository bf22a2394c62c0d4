"""Wagtail's own search backend (the admin's page, image and document search) with Chinese words.

Wagtail's database backend lets PostgreSQL's parser split text, which keeps a run of Chinese as one
word: an editor searching 城关 never finds 城关镇卫生院. This subclass hands the parser text already
segmented by ``sitesearch.segmenter`` (terms separated by spaces) on the index side, and segments
the editor's query the same way on the query side. Everything else — per-schema index tables,
Wagtail's index tasks, ranking — stays Wagtail's.
"""

from __future__ import annotations

import types

from modelsearch.backends.database.postgres import postgres
from modelsearch.query import PlainText

from sitesearch.segmenter import index_terms, precise_tokens


def segmented(text: str) -> str:
    return " ".join(index_terms(text))


class SegmentedObjectIndexer(postgres.ObjectIndexer):
    def prepare_value(self, value):
        return segmented(super().prepare_value(value))


class SegmentedIndex(postgres.PostgresIndex):
    # Wagtail's own add_items, run with our indexer: the function builds its indexers by the module's
    # global name ``ObjectIndexer``, so it is re-bound to globals where that name is ours (no copy of
    # the library's SQL, no process-wide patch).
    add_items = types.FunctionType(
        postgres.PostgresIndex.add_items.__code__,
        {**vars(postgres), "ObjectIndexer": SegmentedObjectIndexer},
        "add_items",
        postgres.PostgresIndex.add_items.__defaults__,
        postgres.PostgresIndex.add_items.__closure__,
    )


def _segment_query(query):
    if isinstance(query, PlainText):
        words = precise_tokens(query.query_string)
        return PlainText(" ".join(words) or query.query_string, operator=query.operator, boost=query.boost)
    return query


class SegmentedQueryCompiler(postgres.PostgresSearchQueryCompiler):
    def build_tsquery_content(self, query, config=None, invert=False):
        return super().build_tsquery_content(_segment_query(query), config=config, invert=invert)


class SegmentedAutocompleteQueryCompiler(postgres.PostgresAutocompleteQueryCompiler):
    def build_tsquery_content(self, query, config=None, invert=False):
        return super().build_tsquery_content(_segment_query(query), config=config, invert=invert)


class SegmentedSearchBackend(postgres.PostgresSearchBackend):
    query_compiler_class = SegmentedQueryCompiler
    autocomplete_query_compiler_class = SegmentedAutocompleteQueryCompiler
    index_class = SegmentedIndex

    def __init__(self, params):
        params = {"SEARCH_CONFIG": "simple", **params}
        super().__init__(params)


SearchBackend = SegmentedSearchBackend
