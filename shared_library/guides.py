"""办事指南 (service guides): the national rules' required elements, in one place for the library's
guide resources and the sites' guide pages (``tenants.services``), and the admin's field for them.

A guide may be saved incomplete as a draft; it is refused when it would be published.
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

# (key, label) in the order the national rules list them.
REQUIRED_ELEMENTS: list[tuple[str, str]] = [
    ("item_name", "事项名称"),
    ("legal_basis", "设定依据"),
    ("conditions", "受理条件"),
    ("materials", "申请材料"),
    ("process", "办理流程"),
    ("time_limit", "办理时限"),
    ("fees", "收费标准"),
    ("location", "办理地点"),
    ("phone", "咨询电话"),
]
ELEMENT_MAX = 2000


def is_blank(value) -> bool:
    """Empty, or rich text with nothing but tags and spaces (an emptied Draftail field is ``<p></p>``)."""
    return not strip_tags(str(value or "")).replace("&nbsp;", "").strip()


def missing_elements(values: Mapping) -> list[str]:
    """Labels of the required elements ``values`` (a mapping or an object's attributes) lacks."""
    get = values.get if isinstance(values, Mapping) else (lambda key: getattr(values, key, ""))
    return [label for key, label in REQUIRED_ELEMENTS if is_blank(get(key))]


def incomplete_error(missing: list[str]) -> ValidationError:
    return ValidationError(_("办事指南缺少必备要素：%s，补全后才能发布（可先保存草稿）。") % "、".join(missing))


class GuideElementsWidget(forms.MultiWidget):
    template_name = "library/guide_elements_widget.html"

    def __init__(self, attrs=None):
        super().__init__([forms.Textarea(attrs={"rows": 2}) for _key in REQUIRED_ELEMENTS], attrs)

    def decompress(self, value):
        value = value or {}
        return [value.get(key, "") for key, _label in REQUIRED_ELEMENTS]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, (_key, label) in zip(context["widget"]["subwidgets"], REQUIRED_ELEMENTS, strict=True):
            subwidget["label"] = label
        return context


class GuideElementsField(forms.MultiValueField):
    """The nine elements as nine text boxes, stored as one JSON object."""

    widget = GuideElementsWidget

    def __init__(self, **kwargs):
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        kwargs.pop("max_length", None)
        fields = [forms.CharField(required=False, max_length=ELEMENT_MAX) for _key in REQUIRED_ELEMENTS]
        super().__init__(fields=fields, require_all_fields=False, required=False, **kwargs)

    def compress(self, data_list):
        data_list = data_list or [""] * len(REQUIRED_ELEMENTS)
        return {key: (value or "").strip() for (key, _label), value in zip(REQUIRED_ELEMENTS, data_list, strict=True)}
