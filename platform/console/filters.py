"""Filters of the console's audit log listing: action, site, actor, date range."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from audit.models import Action, AuditEvent
from tenants.models import Site


class AuditEventFilterSet(WagtailFilterSet):
    action = django_filters.MultipleChoiceFilter(label=_("操作"), choices=Action.choices)
    site = django_filters.ModelChoiceFilter(label=_("站点"), queryset=Site.objects.all())
    actor_username = django_filters.CharFilter(label=_("操作人"), lookup_expr="icontains")
    at = django_filters.DateFromToRangeFilter(label=_("时间"), widget=DateRangePickerWidget)

    class Meta:
        model = AuditEvent
        fields = ["action", "site", "actor_username", "at"]
