"""Chinese text → search terms, the same way on the index side and the query side.

PostgreSQL's parser sees a run of Chinese characters as one word (recall 2.5 % against substring
truth, see design notes), so text is segmented here with rjieba (jieba's Rust port, ~23x faster,
same output) and handed to PostgreSQL as ready-made lexemes:

- text is first converted traditional → simplified with OpenCC's ``tw2sp`` profile (phrase-aware:
  資訊 → 信息, 軟體 → 软件; plain ``t2s`` keeps 资讯), so 政府資訊公開 finds 政府信息公开;
- index terms = search-mode tokens (集约 and 集约化) + precise tokens + shingles of adjacent precise
  tokens (政府|网站 → 政府网站), so two-character words, compounds and 文号 parts all match;
- the operators' user dictionary (``UserWord``, console screen) is added to the segmenter; every
  process re-reads it when it changed (checked at most every ``ZQ_SEARCH_DICT_CHECK_SECONDS``).
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

import opencc
import rjieba
from django.conf import settings
from django.db import DatabaseError

from sitesearch.models import UserWord

# A term is kept when it has a letter or digit (punctuation, spaces and symbols are dropped).
_WORDLIKE = re.compile(r"\w", re.UNICODE)
_CJK = re.compile(r"[\u4e00-\u9fff]+")
# PostgreSQL refuses lexemes of 2 KiB and more; nothing real is that long.
MAX_TERM_CHARS = 100

_converter = opencc.OpenCC("tw2sp")


def normalize(text: str) -> str:
    """Simplified, lower-case text: what both sides segment."""
    return _converter.convert(text or "").lower()


def _keep(token: str) -> bool:
    return bool(token) and len(token) <= MAX_TERM_CHARS and bool(_WORDLIKE.search(token)) and not token.isspace()


class _Dictionary:
    """The segmenter with the user dictionary loaded, rebuilt when the dictionary changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jieba = rjieba.Jieba()
        self._signature: tuple | None = None
        self._checked = 0.0

    def jieba(self) -> rjieba.Jieba:
        now = time.monotonic()
        if now - self._checked >= getattr(settings, "ZQ_SEARCH_DICT_CHECK_SECONDS", 30):
            self.refresh()
        return self._jieba

    def refresh(self, force: bool = False) -> None:
        """Reload the user dictionary when its words changed (rjieba cannot forget a word: rebuild)."""
        with self._lock:
            self._checked = time.monotonic()
            try:
                words = sorted(UserWord.objects.values_list("word", flat=True))
            except DatabaseError:  # no table yet (before migrate): the built-in dictionary
                words = []
            signature = tuple(words)
            if signature == self._signature and not force:
                return
            jieba = rjieba.Jieba()
            for word in words:
                jieba.add_word(normalize(word), None, None)
            self._jieba, self._signature = jieba, signature


_dictionary = _Dictionary()


def refresh_dictionary() -> None:
    """Called after an operator changed the dictionary (other processes notice within the check interval)."""
    _dictionary.refresh(force=True)


def precise_tokens(text: str) -> list[str]:
    """Precise-mode words of normalised text, punctuation dropped."""
    return [token for token in _dictionary.jieba().cut(normalize(text)) if _keep(token)]


def index_terms(text: str) -> list[str]:
    """Every lexeme a document carries for ``text`` (unordered, unique)."""
    norm = normalize(text)
    jieba = _dictionary.jieba()
    precise = [token for token in jieba.cut(norm) if _keep(token)]
    terms = set(precise)
    terms.update(token for token in jieba.cut_for_search(norm) if _keep(token))
    # Two-character pieces of longer Chinese words: 河长 inside 河长制, which search mode keeps whole.
    long_words = [token for token in terms if len(token) > 2 and _CJK.fullmatch(token)]
    terms.update(bigram for token in long_words for bigram in _bigrams(token))
    terms.update(a + b for a, b in zip(precise, precise[1:], strict=False) if len(a + b) <= MAX_TERM_CHARS)
    return list(terms)


def _bigrams(token: str) -> list[str]:
    return [token[i : i + 2] for i in range(len(token) - 1)]


@dataclass(frozen=True)
class ParsedQuery:
    """A query as terms: every word must match (``words``); each word may match as itself or as all
    of its search-mode parts (``alternatives``); a ``prefix`` word also matches longer terms (a lone
    character or a run of Latin letters and digits: 年 in 2024年度, 1234 in 12345热线, where the
    text was segmented differently). ``marks`` are the strings to highlight."""

    words: tuple[str, ...]
    prefix: tuple[bool, ...]
    alternatives: tuple[tuple[str, ...], ...]
    shingles: tuple[str, ...]
    marks: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.words


def parse_query(text: str) -> ParsedQuery:
    jieba = _dictionary.jieba()
    words: list[str] = []
    prefix: list[bool] = []
    alternatives: list[tuple[str, ...]] = []
    for chunk in normalize(text).split():
        for word in jieba.cut(chunk):
            if not _keep(word) or word in words:
                continue
            words.append(word)
            prefix.append(len(word) == 1 or word.isascii())
            parts = tuple(part for part in jieba.cut_for_search(word) if _keep(part) and part != word)
            alternatives.append(parts)
    shingles = tuple(a + b for a, b in zip(words, words[1:], strict=False))
    raw = [piece for piece in re.split(r"\s+", text.strip().lower()) if piece]
    marks = tuple(dict.fromkeys([*raw, *words, *(part for parts in alternatives for part in parts)]))
    return ParsedQuery(tuple(words), tuple(prefix), tuple(alternatives), shingles, marks)
