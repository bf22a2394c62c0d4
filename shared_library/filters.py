"""One validation for the filters of the public catalogue (/xxgk/) and the library JSON API.

Query strings are attacker-controlled: a NUL byte reaches PostgreSQL as an error, ``year=0`` or a
20-digit year overflows the date lookup. Both views validate through this form and answer 400
with the field's message; a valid filter is applied the same way by both.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator, validate_slug
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from shared_library.models import Disclosure, Resource, ResourceKind, Validity

ERROR = _("筛选条件有误")
INVALID_CHOICE = {"invalid_choice": _("不是可选的取值。")}
NO_NUL = ProhibitNullCharactersValidator(message=_("不能包含空字符（\\0）。"))

# parameter -> queryset lookup, for the filters that are plain equality
EXACT = {
    "kind": "kind",
    "topic": "topic__code",
    "genre": "genre__code",
    "issuing_body": "issuing_body",
    "validity": "validity",
    "disclosure": "disclosure",
    "source_site": "source_site__slug",
}


class FilterText(forms.CharField):
    """An optional text filter with a length limit and a clear message for NUL bytes."""

    def __init__(self, *, label, max_length: int, **kwargs: Any) -> None:
        super().__init__(label=label, max_length=max_length, required=False, **kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]
        self.validators.append(NO_NUL)


class FilterChoice(forms.ChoiceField):
    def __init__(self, *, label, choices, **kwargs: Any) -> None:
        super().__init__(label=label, choices=[("", "")] + list(choices), required=False, **kwargs)
        self.error_messages.update(INVALID_CHOICE)
        self.validators.append(NO_NUL)


class ResourceFilterForm(forms.Form):
    kind = FilterChoice(label=_("类型"), choices=ResourceKind.choices)
    topic = FilterText(label=_("主题分类"), max_length=20)
    genre = FilterText(label=_("体裁分类"), max_length=20)
    issuing_body = FilterText(label=_("发布机构"), max_length=100)
    validity = FilterChoice(label=_("有效性"), choices=Validity.choices)
    # 不予公开 is not a public value: asking for it is an error, not an empty list.
    disclosure = FilterChoice(
        label=_("公开方式"), choices=[c for c in Disclosure.choices if c[0] != Disclosure.NOT_PUBLIC]
    )
    source_site = FilterText(label=_("来源站点"), max_length=50, validators=[validate_slug])
    year = forms.IntegerField(label=_("年份"), min_value=1, max_value=9999, required=False)
    tag = FilterText(label=_("标签"), max_length=50)
    q = FilterText(label=_("关键词"), max_length=100)
    page = forms.IntegerField(label=_("页码"), min_value=1, required=False)
    page_size = forms.IntegerField(label=_("每页条数"), min_value=1, required=False)

    def field_errors(self) -> dict[str, list[str]]:
        """``{parameter: [message, …]}`` of the invalid parameters."""
        return {name: [str(message) for message in errors] for name, errors in self.errors.items()}

    def labelled_errors(self) -> list[str]:
        """ "年份：确保该值大于或等于1。" lines for a page."""
        return [
            f"{self.fields[name].label}：{message}"
            for name, messages in self.field_errors().items()
            for message in messages
        ]

    def values(self) -> dict[str, Any]:
        """The valid, non-empty parameters (an invalid one is dropped, never applied)."""
        data = getattr(self, "cleaned_data", {})
        return {name: value for name, value in data.items() if value not in (None, "")}

    def filter(self, queryset: QuerySet[Resource]) -> QuerySet[Resource]:
        """Apply the valid filters (pagination parameters are the caller's)."""
        values = self.values()
        for name, lookup in EXACT.items():
            if name in values:
                queryset = queryset.filter(**{lookup: values[name]})
        if "year" in values:
            queryset = queryset.filter(publish_date__year=values["year"])
        if "tag" in values:
            queryset = queryset.filter(tags__contains=[values["tag"]])
        if "q" in values:
            q = values["q"]
            queryset = queryset.filter(
                Q(title__icontains=q) | Q(summary__icontains=q) | Q(document_number__icontains=q) | Q(index_number=q)
            )
        return queryset


def filter_form(params) -> ResourceFilterForm:
    form = ResourceFilterForm(params)
    form.is_valid()
    return form
