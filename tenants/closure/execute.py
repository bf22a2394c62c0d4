"""TEMP placeholder (drop before merge): the real module lands from h-close."""


def _missing(*args, **kwargs):
    raise NotImplementedError


plan_closure = plan_rows = start_notice = execute = rollback = _missing
