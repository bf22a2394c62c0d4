"""One person across the cluster: their account, every site they hold a role on, and the operator's
actions on them (grant or revoke a role in one step, reset the password, disable, unlock)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from console import people
from console.forms import RoleForm
from identity import services
from identity.models import Account, SiteRole


def grant_form(account: Account, data=None) -> RoleForm:
    form = RoleForm(data, initial={"account": account.pk})
    form.fields["account"].widget = forms.HiddenInput()
    form.fields["account"].queryset = Account.objects.filter(pk=account.pk)
    return form


@method_decorator(never_cache, name="dispatch")
class PersonView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "console/person.html"
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        self.account = get_object_or_404(Account, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return str(self.account)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("console_accounts:index"), "label": _("账号管理")},
            {"url": "", "label": str(self.account)},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            account=self.account,
            roles=people.roles_of(self.account),
            edit_url=reverse("console_accounts:edit", args=[self.account.pk]),
            audit_url=reverse("console_audit:index") + f"?actor_username={self.account.username}",
        )
        context.setdefault("grant_form", grant_form(self.account))
        return context

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        op = request.POST.get("op", "")
        by = request.user.get_username()
        try:
            if op == "grant":
                form = grant_form(self.account, request.POST)
                if not form.is_valid():
                    messages.error(request, _("未授予角色，请修正下面的错误。"))
                    return self.render_to_response(self.get_context_data(grant_form=form))
                try:
                    role = form.save(by=by, request=request)
                except ValidationError:
                    return self.render_to_response(self.get_context_data(grant_form=form))
                messages.success(request, _("已授予：%s") % role)
            elif op == "revoke":
                site_role = get_object_or_404(SiteRole, pk=request.POST.get("role") or 0, account=self.account)
                services.revoke_role(self.account, site_role.site, by=by, request=request)
                messages.success(request, _("已撤销 %(site)s 的角色。") % {"site": site_role.site.name})
            elif op == "reset":
                password = people.reset_password(self.account, by=by, request=request)
                context = self.get_context_data(temporary_password=password)
                return self.render_to_response(context)
            elif op in ("disable", "enable"):
                people.set_active(self.account, op == "enable", by=by, request=request)
                messages.success(
                    request, _("账号已启用。") if op == "enable" else _("账号已停用，其所有登录立即失效。")
                )
            elif op == "unlock":
                people.unlock(self.account, by=by, request=request)
                messages.success(request, _("已解除锁定。"))
            else:
                messages.error(request, _("未知操作。"))
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        return redirect("console_accounts:person", self.account.pk)
