"""Rows as plain JSON values and back: every concrete field by its column name (``attname``), so
foreign keys travel as ids that the restore maps to the target platform's ids."""

from __future__ import annotations

from typing import Any

from django.db import models


def to_record(obj: models.Model) -> dict[str, Any]:
    return {field.attname: _value(obj, field) for field in obj._meta.concrete_fields}


def _value(obj: models.Model, field: models.Field) -> Any:
    value = getattr(obj, field.attname)
    return field.value_to_string(obj) if value is not None and _needs_text(field) else value


def _needs_text(field: models.Field) -> bool:
    return isinstance(field, models.DateField | models.DateTimeField | models.TimeField | models.DecimalField)


def from_record(model: type[models.Model], record: dict[str, Any], **overrides: Any) -> models.Model:
    """An unsaved instance of ``model`` from ``record`` (unknown keys ignored), with ``overrides``."""
    values = {}
    for field in model._meta.concrete_fields:
        if field.attname in record:
            value = record[field.attname]
            values[field.attname] = field.to_python(value) if value is not None and _needs_text(field) else value
    values.update(overrides)
    return model(**values)
