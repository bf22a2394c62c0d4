"""The edit form of a report, one field per row of the national form, with Chinese messages that
name the row (a figure typed as “十二” or “-3” is refused, never stored)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _

from annualreports.forms_spec import BOOL, DECIMAL, INT, TEXT, Row, Section, rows_of

BOOL_CHOICES = [("", "—"), ("1", "是"), ("0", "否")]


def _field(row: Row, label: str) -> forms.Field:
    if row.kind == INT:
        message = _("“%(label)s”请填写不小于0的整数。") % {"label": label}
        return forms.IntegerField(
            label=label,
            required=False,
            min_value=0,
            max_value=2_000_000_000,
            error_messages={"invalid": message, "min_value": message, "max_value": _("“%s”数值过大。") % label},
        )
    if row.kind == DECIMAL:
        message = _("“%(label)s”请填写不小于0的数字（最多一位小数）。") % {"label": label}
        return forms.DecimalField(
            label=label,
            required=False,
            min_value=Decimal(0),
            max_digits=9,
            decimal_places=1,
            error_messages={
                "invalid": message,
                "min_value": message,
                "max_decimal_places": message,
                "max_digits": _("“%s”数值过大。") % label,
            },
        )
    if row.kind == BOOL:
        return forms.TypedChoiceField(
            label=label, required=False, choices=BOOL_CHOICES, coerce=lambda value: value == "1", empty_value=None
        )
    assert row.kind == TEXT
    return forms.CharField(
        label=label,
        required=False,
        max_length=500,
        error_messages={"max_length": _("“%s”最多500个字。") % label},
    )


def _initial(row: Row, value):
    if row.kind == BOOL and value is not None:
        return "1" if value else "0"
    return value


class ReportForm(forms.Form):
    """Built from a form's sections; ``cleaned_values()`` gives the JSON the report stores."""

    def __init__(self, form: tuple[Section, ...], values: dict, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = form
        self.sections = []
        for section in form:
            names = []
            for row in section.rows:
                label = f"{row.group}·{row.label}" if row.group else row.label
                field = _field(row, label)
                field.initial = _initial(row, values.get(row.key))
                self.fields[row.key] = field
                names.append(row.key)
            self.sections.append((section.title, names))

    def section_fields(self):
        return [(title, [self[name] for name in names]) for title, names in self.sections]

    def cleaned_values(self) -> dict:
        values = {}
        for row in rows_of(self.spec):
            value = self.cleaned_data.get(row.key)
            if isinstance(value, Decimal):
                value = float(value)
            elif isinstance(value, str):
                value = value.strip()
            values[row.key] = value
        return values
