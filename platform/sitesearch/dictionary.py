"""The operators' user dictionary: words the segmenter keeps whole on both sides. Every change is
audited; the index follows after ``manage.py reindex --all`` (the screen says so), because existing
rows were segmented with the old dictionary."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.log import record
from sitesearch.models import UserWord
from sitesearch.segmenter import normalize, refresh_dictionary

WORD = re.compile(r"^[\w\u3000-\u303f\uff00-\uffef·]+$")
MAX_WORD_CHARS = 50


def clean_word(word: str) -> str:
    word = (word or "").strip()
    if not word:
        raise ValidationError(_("请输入词语。"))
    if len(word) > MAX_WORD_CHARS:
        raise ValidationError(_("词语不能超过%(n)d个字。") % {"n": MAX_WORD_CHARS})
    if len(word) < 2:
        raise ValidationError(_("词语至少两个字。"))
    if not WORD.match(word):
        raise ValidationError(_("词语只能包含文字、字母和数字，不能有空格或符号。"))
    return normalize(word)


@transaction.atomic
def add_word(word: str, *, by, request=None) -> UserWord:
    word = clean_word(word)
    if UserWord.objects.filter(word=word).exists():
        raise ValidationError(_("“%(word)s”已在词典中。") % {"word": word})
    entry = UserWord.objects.create(word=word, created_by=getattr(by, "username", by) or "")
    record("search_word_add", actor=by, site=None, obj=entry, request=request, word=word)
    transaction.on_commit(refresh_dictionary)
    return entry


@transaction.atomic
def remove_word(entry: UserWord, *, by, request=None) -> None:
    record("search_word_remove", actor=by, site=None, obj=entry, request=request, word=entry.word)
    entry.delete()
    transaction.on_commit(refresh_dictionary)
