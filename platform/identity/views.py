"""The "修改密码" screen in every admin (site or console): it changes the Account's password."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from identity import services
from identity.forms import PasswordChangeForm
from zhanqun.lib.admin_pages import TitledAdminTemplateMixin


class PasswordChangeView(TitledAdminTemplateMixin, FormView):
    template_name = "wagtailadmin/generic/form.html"
    page_title = gettext_lazy("修改密码")
    header_icon = "key"
    form_class = PasswordChangeForm

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.account = services.find_account(request.user.username)
        if self.account is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "account": self.account}

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(action_url=self.request.path, submit_button_label=_("修改密码"))
        return context

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        services.set_password(self.account, form.cleaned_data["new_password1"], request=self.request)
        messages.success(self.request, _("密码已修改，所有站点均使用新密码登录。"))
        return redirect(reverse("wagtailadmin_account"))
