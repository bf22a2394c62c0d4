"""The library in the Wagtail admin (platform console and every site's admin).

The generic create/edit views save through ``services`` so admin edits are versioned and carry
the contributing site; the actions (发布/提交审核, 转载到站点, 撤回, 上传附件) are small form views.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic import CreateView, EditView, IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import ListingButton

from shared_library import services
from shared_library.admin_forms import DEFAULT_COLUMN, AttachmentForm, ConfirmForm, SyndicateForm, WithdrawForm
from shared_library.models import Resource, ResourceStatus

URL_NAMESPACE = "shared_library_resource"


def action_url(name: str, pk: int) -> str:
    return reverse(f"{URL_NAMESPACE}:{name}", args=[pk])


def username(request: HttpRequest) -> str:
    return request.user.get_username()


class ResourceIndexView(IndexView):
    def get_list_more_buttons(self, instance: Resource):
        buttons = list(super().get_list_more_buttons(instance))
        label = _("提交审核") if services.must_submit_for_review(services.acting_site()) else _("发布")
        if instance.status != ResourceStatus.PUBLISHED:
            buttons.append(ListingButton(label, url=action_url("publish", instance.pk), icon_name="upload"))
        else:
            buttons.append(ListingButton(_("转载到站点"), url=action_url("syndicate", instance.pk), icon_name="site"))
            buttons.append(ListingButton(_("撤回"), url=action_url("withdraw", instance.pk), icon_name="cross"))
        buttons.append(ListingButton(_("上传附件"), url=action_url("attach", instance.pk), icon_name="doc-full"))
        return buttons


class ResourceCreateView(CreateView):
    def save_instance(self) -> Resource:
        resource = self.form.instance
        resource.source_site = services.acting_site()
        return services.save_resource(resource, by=username(self.request))


class ResourceEditView(EditView):
    def save_instance(self) -> Resource:
        services.check_can_edit(self.object, services.acting_site())
        return services.save_resource(self.form.instance, by=username(self.request))


class ResourceActionView(WagtailAdminTemplateMixin, FormView):
    """Base of the action screens: load the resource, run one service call, report its errors."""

    template_name = "wagtailadmin/generic/form.html"
    header_icon = "doc-full"
    submit_label = gettext_lazy("确定")

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        from shared_library.permissions import LibraryPermissionPolicy

        if not LibraryPermissionPolicy(Resource).user_has_permission(request.user, "change"):
            raise PermissionDenied
        self.resource = get_object_or_404(Resource, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return self.resource.title

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(action_url=self.request.path, submit_button_label=self.submit_label)
        return context

    def form_valid(self, form: forms.Form) -> HttpResponse:
        try:
            message = self.act(form)
        except (ValidationError, PermissionDenied) as exc:
            for error in getattr(exc, "messages", None) or [str(exc)]:
                form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(reverse(f"{URL_NAMESPACE}:index"))

    def act(self, form: forms.Form) -> str:  # pragma: no cover - abstract
        raise NotImplementedError


class PublishView(ResourceActionView):
    page_title = gettext_lazy("发布资源")
    form_class = ConfirmForm
    submit_label = gettext_lazy("发布（乡镇站点为提交审核）")

    def act(self, form: forms.Form) -> str:
        by = username(self.request)
        if services.must_submit_for_review(services.acting_site()):
            services.submit_for_review(self.resource, by=by)
            return _("已提交审核。")
        if self.resource.status == ResourceStatus.PENDING_REVIEW:
            services.approve(self.resource, by=by)
        else:
            services.publish(self.resource, by=by)
        return _("已发布。")


class SyndicateView(ResourceActionView):
    page_title = gettext_lazy("转载到站点")
    form_class = SyndicateForm
    header_icon = "site"
    submit_label = gettext_lazy("转载")

    def get_initial(self) -> dict:
        return {"column_slug": DEFAULT_COLUMN.get(self.resource.kind, "news")}

    def act(self, form: forms.Form) -> str:
        count = services.syndicate(
            self.resource, form.cleaned_data["sites"], form.cleaned_data["column_slug"], by=username(self.request)
        )
        return _("已转载到 %(count)d 个站点。") % {"count": count}


class WithdrawView(ResourceActionView):
    page_title = gettext_lazy("撤回资源")
    form_class = WithdrawForm
    header_icon = "cross"
    submit_label = gettext_lazy("撤回（所有站点同时撤下）")

    def act(self, form: forms.Form) -> str:
        services.withdraw(self.resource, form.cleaned_data["reason"], by=username(self.request))
        return _("已撤回，所有站点的页面将显示撤回说明。")


class AttachView(ResourceActionView):
    page_title = gettext_lazy("上传附件")
    form_class = AttachmentForm
    submit_label = gettext_lazy("上传")

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "form_is_multipart": True}

    def act(self, form: forms.Form) -> str:
        services.check_can_edit(self.resource, services.acting_site())
        services.add_attachment(
            self.resource, form.cleaned_data["file"], title=form.cleaned_data["title"], by=username(self.request)
        )
        return _("附件已上传。")
