"""Forms of the library's admin actions (转载, 撤回, 附件)."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shared_library.models import Syndication
from tenants.models import Site
from zhanqun.lib.uploads import allowed_summary, validate_upload

# Which standard column a resource of each kind usually goes to (the skeleton's column slugs).
DEFAULT_COLUMN = {
    "article": "news",
    "policy": "policy",
    "interpretation": "interpretation",
    "notice": "notices",
    "file": "policy",
    "image": "news",
    "guide": "service",
}


class SyndicateForm(forms.Form):
    """Target sites (only those the person may push to) and one column picked from their real
    columns; whether every chosen site has that column is checked by the service, per site."""

    sites = forms.ModelMultipleChoiceField(
        label=_("目标站点"),
        queryset=Site.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("无权转载到编号为 %(value)s 的站点：站点编辑只能转载到本站点及下级站点。"),
            "invalid_pk_value": _("“%(pk)s”不是有效的站点编号。"),
        },
    )
    column_slug = forms.ChoiceField(label=_("目标栏目"), help_text=_("每个目标站点都必须有此栏目。"))

    def __init__(self, *args, targets: QuerySet[Site], columns: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sites"].queryset = targets
        self.fields["column_slug"].choices = [("", _("请选择栏目"))] + columns


class SyndicationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Syndication) -> str:
        return _("%(resource)s → %(site)s／%(column)s（%(at)s 由 %(by)s 转载）") % {
            "resource": obj.resource.title,
            "site": obj.site.name,
            "column": obj.column_slug,
            "at": timezone.localtime(obj.created_at).strftime("%Y-%m-%d %H:%M"),
            "by": obj.created_by or "-",
        }


class RemoveSyndicationsForm(forms.Form):
    """Which of the listed syndications to take down; only rows the person may manage are listed,
    so a guessed id is an invalid choice."""

    syndications = SyndicationChoiceField(
        label=_("选择要撤下的转载"),
        queryset=Syndication.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("编号为 %(value)s 的转载不在此列表中，或您无权撤下。"),
            "invalid_pk_value": _("“%(pk)s”不是有效的转载编号。"),
        },
    )

    def __init__(self, *args, rows: QuerySet[Syndication], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["syndications"].queryset = rows.select_related("resource", "site").order_by("site__name", "pk")


class SitePickForm(forms.Form):
    """``?site=<id>`` of the per-site syndication list, among the sites the person manages."""

    site = forms.ModelChoiceField(label=_("站点"), queryset=Site.objects.none())

    def __init__(self, *args, sites: QuerySet[Site], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=255)


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("附件名称"), max_length=255, required=False)
    file = forms.FileField(label=_("文件"), validators=[validate_upload], help_text=allowed_summary)


class ConfirmForm(forms.Form):
    """An empty form: the action is the POST itself."""
