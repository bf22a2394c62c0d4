"""The console wizard's forms. Validation of the closure itself (who may close into whom) lives in
the step modules; these only shape the operator's input and show the steps' refusals per field."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tenants.models import Site, SiteKind, SiteStatus


class StartClosureForm(forms.Form):
    site = forms.ModelChoiceField(
        label=_("关停站点"),
        queryset=Site.objects.exclude(kind=SiteKind.PLATFORM).filter(status=SiteStatus.ACTIVE).order_by("name"),
        help_text=_("通常是无力维护的乡镇（街道）或部门网站。"),
    )
    target = forms.ModelChoiceField(
        label=_("迁入站点"),
        queryset=Site.objects.exclude(kind=SiteKind.PLATFORM).filter(status=SiteStatus.ACTIVE).order_by("name"),
        required=False,
        help_text=_("留空则迁入其上级站点。"),
    )
    section_title = forms.CharField(
        label=_("迁入栏目名称"), max_length=255, required=False, help_text=_("留空则使用关停站点的名称。")
    )

    def clean(self):
        data = super().clean()
        site, target = data.get("site"), data.get("target")
        if site and not target and not site.parent_id:
            self.add_error("target", _("该站点没有上级站点，请选择迁入站点。"))
        if site and target and site.pk == target.pk:
            self.add_error("target", _("不能迁入自身。"))
        return data


class ColumnMapForm(forms.Form):
    """One choice per column of X: a sub-column of the new section, or one of P's own columns."""

    def __init__(self, *args, x_columns: list[tuple[str, str]], p_columns: list[tuple[str, str]], initial_map: dict,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [("section", _("迁入栏目下的同名子栏目"))] + [
            (f"column:{slug}", _("并入本站栏目：%(title)s") % {"title": title}) for slug, title in p_columns
        ]
        for slug, title in x_columns:
            entry = initial_map.get(slug) or {}
            value = "section" if entry.get("mode", "section") == "section" else f"column:{entry.get('target', '')}"
            self.fields[f"col__{slug}"] = forms.ChoiceField(label=title, choices=choices, initial=value)

    def column_map(self) -> dict:
        result = {}
        for name, value in self.cleaned_data.items():
            slug = name.removeprefix("col__")
            if value == "section":
                result[slug] = {"mode": "section"}
            else:
                result[slug] = {"mode": "column", "target": value.removeprefix("column:")}
        return result


class NoticeForm(forms.Form):
    notice_days = forms.IntegerField(label=_("公告期（天）"), min_value=0, max_value=3650)
    reason = forms.CharField(
        label=_("缩短公告期的原因"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("公告期短于规定天数时必须填写，并记入审计日志。"),
    )

    def clean(self):
        data = super().clean()
        days = data.get("notice_days")
        if days is not None and days < settings.ZQ_CLOSURE_NOTICE_DAYS and not (data.get("reason") or "").strip():
            minimum = settings.ZQ_CLOSURE_NOTICE_DAYS
            self.add_error("reason", _("公告期少于%(days)s天，请填写原因。") % {"days": minimum})
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("提前归档原因"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("保留期未满时必须填写。"),
    )


class RestoreForm(forms.Form):
    slug = forms.SlugField(label=_("新站点代号"), max_length=50, help_text=_("从归档恢复为一个新站点。"))
