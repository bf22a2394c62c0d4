"""Console viewsets: accounts, site roles and the audit log, all operator-only (see ``access``)."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from audit.models import AuditEvent
from console import people
from console.access import OperatorOnlyViewSetMixin
from console.exports import FormulaSafeExportMixin
from console.filters import AuditEventFilterSet
from console.forms import AccountCreateForm, AccountEditForm, RoleForm
from console.people_views import PersonView
from identity import services
from identity.models import Account, SiteRole


class ServiceCreateView(generic.CreateView):
    def save_instance(self):
        return self.form.save(by=self.request.user)


class ServiceEditView(generic.EditView):
    def save_instance(self):
        return self.form.save(by=self.request.user, request=self.request)


class AccountIndexView(generic.IndexView):
    """Find a person: by login name, name, e-mail, or a site they hold a role on. A name opens the
    person's page (every role across the cluster and the operator's actions on them)."""

    def get_base_queryset(self):
        return people.find_people("")

    def search_queryset(self, queryset):
        return people.find_people(self.search_query) if self.is_searching else queryset

    def get_edit_url(self, instance):
        return reverse("console_accounts:person", args=[instance.pk])


class AccountViewSetBase(ModelViewSet):
    model = Account
    icon = "user"
    menu_label = _("人员与账号")
    menu_order = 910
    add_to_admin_menu = True
    name = "console_accounts"
    url_prefix = "console/accounts"
    index_view_class = AccountIndexView
    add_view_class = ServiceCreateView
    edit_view_class = ServiceEditView
    copy_view_enabled = False
    list_display = [
        "username",
        "display_name",
        Column("role_count", label=_("站点角色数")),
        "is_operator",
        "is_active",
        "locked_until",
        "created_at",
    ]
    list_filter = ["is_operator", "is_active"]
    search_fields = ["username", "display_name", "email"]

    def get_form_class(self, for_update: bool = False):
        return AccountEditForm if for_update else AccountCreateForm

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("person/<int:pk>/", PersonView.as_view(), name="person")]


class AccountViewSet(OperatorOnlyViewSetMixin, AccountViewSetBase):
    """Every URL above (the person page included), operator-only."""


class GrantRoleMixin:
    """Saving the role form is ``grant_role``; a refusal from the service goes back to the form."""

    def save_instance(self):
        return self.form.save(by=self.request.user, request=self.request)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError:
            return self.form_invalid(form)


class RoleCreateView(GrantRoleMixin, generic.CreateView):
    def get_initial(self):
        """``?site=`` / ``?account=`` from a site's or a person's page preselect the form."""
        initial = super().get_initial()
        for key in ("site", "account"):
            if value := self.request.GET.get(key, "").strip():
                initial[key] = value
        return initial


class RoleEditView(GrantRoleMixin, generic.EditView):
    pass


class RoleDeleteView(generic.DeleteView):
    def delete_action(self):
        services.revoke_role(self.object.account, self.object.site, by=self.request.user, request=self.request)


class RoleViewSet(OperatorOnlyViewSetMixin, ModelViewSet):
    model = SiteRole
    icon = "group"
    menu_label = _("站点角色")
    menu_order = 911
    add_to_admin_menu = True
    name = "console_roles"
    url_prefix = "console/roles"
    delete_view_class = RoleDeleteView
    copy_view_enabled = False
    list_display = ["account", "site", "role", "columns", "granted_by", "granted_at"]
    list_filter = ["site", "role"]
    search_fields = ["account__username", "account__display_name"]
    form_fields = ["account", "site", "role"]

    add_view_class = RoleCreateView
    edit_view_class = RoleEditView

    def get_form_class(self, for_update: bool = False):
        return RoleForm


class AuditIndexView(FormulaSafeExportMixin, generic.IndexView):
    pass


class AuditInspectView(generic.InspectView):
    """One audit row, read-only: the time to the second, the site (or 平台), the action with its
    code, and the details as readable JSON (Chinese unescaped)."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return "-" if value in ("", None) else value

    def get_at_display_value(self) -> str:
        return timezone.localtime(self.object.at).strftime("%Y-%m-%d %H:%M:%S")

    def get_site_display_value(self) -> str:
        return self.object.site_name

    def get_action_display_value(self) -> str:
        return f"{self.object.get_action_display()}（{self.object.action}）"

    def get_details_display_value(self) -> str:
        if not self.object.details:
            return "-"
        text = json.dumps(self.object.details, ensure_ascii=False, indent=2, sort_keys=True)
        return format_html('<pre class="w-whitespace-pre-wrap">{}</pre>', text)


class AuditViewSet(OperatorOnlyViewSetMixin, ModelViewSet):
    """Read-only: the index (filterable, exportable as CSV/XLSX) and an inspect view."""

    model = AuditEvent
    icon = "history"
    menu_label = _("审计日志")
    menu_order = 912
    add_to_admin_menu = True
    name = "console_audit"
    url_prefix = "console/audit"
    index_view_class = AuditIndexView
    inspect_view_class = AuditInspectView
    inspect_view_enabled = True
    inspect_view_fields = [
        "at",
        "actor_username",
        "site",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "ip",
        "details",
    ]
    copy_view_enabled = False
    filterset_class = AuditEventFilterSet
    list_display = [
        "at",
        "actor_username",
        Column("site_name", label=_("站点")),
        Column("get_action_display", label=_("操作")),
        "object_repr",
        "ip",
    ]
    list_export = [
        "at",
        "actor_username",
        "site_name",
        "get_action_display",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "ip",
        "details",
    ]
    export_headings = {
        "at": _("时间"),
        "actor_username": _("操作人"),
        "site_name": _("站点"),
        "get_action_display": _("操作"),
        "action": _("操作代码"),
        "details": _("详情"),
        "object_type": _("对象类型"),
        "object_id": _("对象编号"),
        "object_repr": _("对象"),
        "ip": _("IP地址"),
    }
    export_filename = "audit-log"
    search_fields = ["actor_username", "object_repr"]
    form_fields = ["action"]

    def get_index_view_kwargs(self, **kwargs):
        view_kwargs = super().get_index_view_kwargs(**kwargs)
        view_kwargs.update(add_url_name=None, edit_url_name=None, delete_url_name=None, copy_url_name=None)
        return view_kwargs

    def get_inspect_view_kwargs(self, **kwargs):
        """The log is append-only: the inspect page must not look for edit/delete URLs that do
        not exist (Wagtail reverses them for superusers, which answered 500 before)."""
        return {**super().get_inspect_view_kwargs(**kwargs), "edit_url_name": None, "delete_url_name": None}

    def get_queryset(self, request):
        return AuditEvent.objects.select_related("site")

    def get_urlpatterns(self):
        keep = {"index", "index_results", "inspect"}
        return [pattern for pattern in super().get_urlpatterns() if pattern.name in keep]
