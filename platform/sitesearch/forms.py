"""The results page's parameters, validated (query strings are anyone's to write: a NUL byte, an
overlong query or a 20-digit year gets a Chinese message, never a 500)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import validate_slug
from django.utils.translation import gettext_lazy as _

from shared_library.filters import FilterChoice, FilterText
from tenants.content.models import ColumnKind

SCOPES = [("site", _("本站")), ("cluster", _("全站群"))]
SORT_CHOICES = [("relevance", _("按相关度")), ("date", _("按日期"))]  # sitesearch.engine.SORTS


class SearchForm(forms.Form):
    q = FilterText(label=_("搜索词"), max_length=1000)
    scope = FilterChoice(label=_("范围"), choices=SCOPES)
    site = FilterText(label=_("站点"), max_length=50, validators=[validate_slug])
    kind = FilterChoice(label=_("栏目类型"), choices=ColumnKind.choices)
    genre = FilterText(label=_("体裁"), max_length=20)
    topic = FilterText(label=_("主题"), max_length=20)
    year = forms.IntegerField(label=_("年份"), min_value=1900, max_value=2100, required=False)
    sort = FilterChoice(label=_("排序"), choices=SORT_CHOICES)
    page = forms.IntegerField(label=_("页码"), min_value=1, max_value=10_000, required=False)

    def clean_q(self) -> str:
        query = " ".join((self.cleaned_data.get("q") or "").split())
        limit = settings.ZQ_SEARCH_MAX_QUERY
        if len(query) > limit:
            raise forms.ValidationError(_("搜索词过长，请不超过%(limit)d个字。") % {"limit": limit})
        return query

    def labelled_errors(self) -> list[str]:
        return [f"{self.fields[name].label}：{message}" for name, errors in self.errors.items() for message in errors]
