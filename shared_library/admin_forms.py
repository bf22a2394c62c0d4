"""Forms of the library's admin actions (转载, 撤回, 附件)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.models import Site, SiteKind, SiteStatus
from zhanqun.lib.uploads import allowed_summary, validate_upload

# Which standard column a resource of each kind usually goes to (the skeleton's column slugs).
DEFAULT_COLUMN = {
    "article": "news",
    "policy": "policy",
    "interpretation": "interpretation",
    "notice": "notices",
    "file": "policy",
    "image": "news",
}


class SyndicateForm(forms.Form):
    sites = forms.ModelMultipleChoiceField(
        label=_("目标站点"),
        queryset=Site.objects.exclude(kind=SiteKind.PLATFORM).exclude(status=SiteStatus.CLOSED),
        widget=forms.CheckboxSelectMultiple,
    )
    column_slug = forms.SlugField(label=_("栏目代号"), help_text=_("如 news、notices、policy、interpretation。"))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=255)


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("附件名称"), max_length=255, required=False)
    file = forms.FileField(label=_("文件"), validators=[validate_upload], help_text=allowed_summary)


class ConfirmForm(forms.Form):
    """An empty form: the action is the POST itself."""
