"""The library in the Wagtail admin (platform console and every site's admin).

The generic create/edit views save through ``services`` so admin edits are versioned, audited and
carry the contributing site; the actions (发布/提交审核, 转载到站点, 转载记录, 撤回, 上传附件) are small
form views. What a person sees and may do is ``shared_library.rights``: every URL that names a
resource is wrapped by :func:`scoped`, so a guessed id of a resource the person may not see is a
404 on every screen, Wagtail's own (edit, history, usage, delete) and ours alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import cached_property, wraps

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages as admin_messages
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.widgets.button import HeaderButton, ListingButton

from shared_library import rights, services
from shared_library.admin_forms import (
    DEFAULT_COLUMN,
    AttachmentForm,
    ConfirmForm,
    RemoveSyndicationsForm,
    SitePickForm,
    SyndicateForm,
    WithdrawForm,
)
from shared_library.columns import column_choices
from shared_library.guides import GuideElementsField
from shared_library.models import Resource, ResourceKind, ResourceStatus, Syndication
from shared_library.permissions import LibraryPermissionPolicy
from shared_library.rights import Actor
from zhanqun.lib.admin_pages import TitledAdminTemplateMixin

URL_NAMESPACE = "shared_library_resource"


def action_url(name: str, pk: int | None = None) -> str:
    return reverse(f"{URL_NAMESPACE}:{name}", args=[pk] if pk is not None else [])


def actor_of(request: HttpRequest) -> Actor:
    return Actor.from_request(request)


def scoped(view: Callable) -> Callable:
    """Wrap a viewset URL: a ``pk`` the person may not see is not found (before any view code)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        pk = kwargs.get("pk")
        if pk is not None and not rights.visible_resources(actor_of(request)).filter(pk=pk).exists():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


class ResourceIndexView(IndexView):
    def get_base_queryset(self) -> QuerySet[Resource]:
        return rights.scope_resources(super().get_base_queryset(), actor_of(self.request))

    @cached_property
    def header_buttons(self) -> list:
        buttons = list(super().header_buttons)
        if rights.may_syndicate(actor_of(self.request)):
            buttons.append(HeaderButton(_("转载管理"), url=action_url("site_syndications"), icon_name="site"))
        return buttons

    def get_list_more_buttons(self, instance: Resource):
        buttons = list(super().get_list_more_buttons(instance))
        actor = actor_of(self.request)
        label = _("提交审核") if services.must_submit_for_review(actor.site) else _("发布")
        if instance.status != ResourceStatus.PUBLISHED:
            buttons.append(ListingButton(label, url=action_url("publish", instance.pk), icon_name="upload"))
        else:
            if rights.may_syndicate(actor):
                buttons.append(
                    ListingButton(_("转载到站点"), url=action_url("syndicate", instance.pk), icon_name="site")
                )
                buttons.append(
                    ListingButton(_("转载记录"), url=action_url("syndications", instance.pk), icon_name="list-ul")
                )
            buttons.append(ListingButton(_("撤回"), url=action_url("withdraw", instance.pk), icon_name="cross"))
        buttons.append(ListingButton(_("上传附件"), url=action_url("attach", instance.pk), icon_name="doc-full"))
        return buttons


class ScopedFormMixin:
    """The form's 所解读的文件 choice lists only policies the person may see (no other site's draft
    titles in a dropdown)."""

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if "interpretation_of" in form.fields:
            visible = rights.visible_resources(actor_of(self.request))
            form.fields["interpretation_of"].queryset = visible.filter(kind=ResourceKind.POLICY)
        if "guide" in form.fields:  # nine labelled boxes instead of a JSON text area
            form.fields["guide"] = GuideElementsField(
                label=_("办事指南要素（仅“办事指南”类型填写，发布时必须齐全）"), initial=form.initial.get("guide")
            )
        return form


class ResourceCreateView(ScopedFormMixin, CreateView):
    def save_instance(self) -> Resource:
        actor = actor_of(self.request)
        resource = self.form.instance
        resource.source_site = actor.site
        return services.save_resource(resource, by=actor)


class ResourceEditView(ScopedFormMixin, EditView):
    """Another site's (published) resource opens read-only in effect: saving it is refused up front
    with the reason, before the form is bound, so nothing of it is half-applied."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            services.check_can_edit(get_object_or_404(Resource, pk=kwargs["pk"]), actor_of(request))
        except PermissionDenied as exc:
            if request.method == "POST":
                messages.error(request, str(exc))
                return redirect(request.get_full_path())
            messages.warning(request, _("%(reason)s 您可以查看，但不能保存修改。") % {"reason": exc})
        return super().dispatch(request, *args, **kwargs)

    def save_instance(self) -> Resource:
        actor = actor_of(self.request)
        services.check_can_edit(self.object, actor)
        return services.save_resource(self.form.instance, by=actor)


class ResourceDeleteView(DeleteView):
    """Deletion goes through the service (rights checked, audited)."""

    def delete_action(self) -> None:
        services.delete_resource(self.object, by=actor_of(self.request))

    def form_valid(self, form) -> HttpResponse:
        try:
            return super().form_valid(form)
        except (ValidationError, PermissionDenied) as exc:
            for error in getattr(exc, "messages", None) or [str(exc)]:
                messages.error(self.request, error)
            return redirect(action_url("index"))


class LibraryFormView(TitledAdminTemplateMixin, FormView):
    """Base of the action screens: library access, one service call, its errors on the form."""

    template_name = "wagtailadmin/generic/form.html"
    header_icon = "doc-full"
    submit_label = gettext_lazy("确定")

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not LibraryPermissionPolicy(Resource).user_has_permission(request.user, "change"):
            raise PermissionDenied
        self.actor = actor_of(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(action_url=self.request.get_full_path(), submit_button_label=self.submit_label)
        return context

    def form_valid(self, form: forms.Form) -> HttpResponse:
        try:
            message = self.act(form)
        except (ValidationError, PermissionDenied) as exc:
            for error in getattr(exc, "messages", None) or [str(exc)]:
                form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.get_success_url())

    def form_invalid(self, form: forms.Form) -> HttpResponse:
        """Wagtail's form template shows field errors only: say the refusal (e.g. which site
        lacks the column) in the message bar too."""
        admin_messages.validation_error(self.request, _("未能完成操作，请查看以下问题。"), form)
        return super().form_invalid(form)

    def get_success_url(self) -> str:
        return action_url("index")

    def act(self, form: forms.Form) -> str:  # pragma: no cover - abstract
        raise NotImplementedError


class ResourceActionView(LibraryFormView):
    """An action on one resource, among those the person may see."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.resource = get_object_or_404(rights.visible_resources(actor_of(request)), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return self.resource.title


class PublishView(ResourceActionView):
    page_title = gettext_lazy("发布资源")
    form_class = ConfirmForm
    submit_label = gettext_lazy("发布（乡镇站点为提交审核）")

    def act(self, form: forms.Form) -> str:
        if services.must_submit_for_review(self.actor.site):
            services.submit_for_review(self.resource, by=self.actor)
            return _("已提交审核。")
        if self.resource.status == ResourceStatus.PENDING_REVIEW:
            services.approve(self.resource, by=self.actor)
        else:
            services.publish(self.resource, by=self.actor)
        return _("已发布。")


class SyndicationRightsMixin:
    """Screens that push or take down syndications: only people who may syndicate somewhere."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not rights.may_syndicate(actor_of(request)):
            # Wagtail answers a bare PermissionDenied with its generic message; say why instead.
            messages.error(request, rights.NO_SYNDICATION_MESSAGE)
            return redirect(action_url("index"))
        return super().dispatch(request, *args, **kwargs)


class SyndicateView(SyndicationRightsMixin, ResourceActionView):
    page_title = gettext_lazy("转载到站点")
    form_class = SyndicateForm
    header_icon = "site"
    submit_label = gettext_lazy("转载")

    def get_form_kwargs(self) -> dict:
        targets = rights.syndication_targets(self.actor).order_by("kind", "name")
        return {**super().get_form_kwargs(), "targets": targets, "columns": column_choices(targets)}

    def get_initial(self) -> dict:
        return {"column_slug": DEFAULT_COLUMN.get(self.resource.kind, "news")}

    def act(self, form: forms.Form) -> str:
        count = services.syndicate(
            self.resource, form.cleaned_data["sites"], form.cleaned_data["column_slug"], by=self.actor
        )
        return _("已转载到 %(count)d 个站点。") % {"count": count}


def take_down(rows: QuerySet[Syndication], actor: Actor) -> int:
    """Remove the chosen syndications through the service, one call per resource and column."""
    groups: dict[tuple[int, str], list] = defaultdict(list)
    resources = {}
    for row in rows.select_related("resource", "site"):
        groups[(row.resource_id, row.column_slug)].append(row.site)
        resources[row.resource_id] = row.resource
    return sum(
        services.unsyndicate(resources[resource_id], sites, column_slug=column, by=actor)
        for (resource_id, column), sites in groups.items()
    )


class SyndicationsView(SyndicationRightsMixin, ResourceActionView):
    """转载记录 of one resource: where it is shown (on sites the person manages) and taking it down."""

    page_title = gettext_lazy("转载记录")
    template_name = "library/admin/syndications.html"
    form_class = RemoveSyndicationsForm
    header_icon = "site"
    submit_label = gettext_lazy("撤下所选转载")

    def get_form_kwargs(self) -> dict:
        rows = Syndication.objects.filter(resource=self.resource, site__in=rights.syndication_targets(self.actor))
        return {**super().get_form_kwargs(), "rows": rows}

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "empty_message": _("该资源没有转载到您可管理的站点。")}

    def act(self, form: forms.Form) -> str:
        count = take_down(form.cleaned_data["syndications"], self.actor)
        return _("已撤下 %(count)d 处转载。") % {"count": count}

    def get_success_url(self) -> str:
        return action_url("syndications", self.resource.pk)


class SiteSyndicationsView(SyndicationRightsMixin, LibraryFormView):
    """What was syndicated to one site (``?site=<id>`` among the sites the person manages; a site's
    editor starts on their own site, an operator picks one), and taking it down."""

    page_title = gettext_lazy("转载管理")
    template_name = "library/admin/syndications.html"
    form_class = RemoveSyndicationsForm
    header_icon = "site"
    submit_label = gettext_lazy("撤下所选转载")

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        actor = actor_of(request)
        self.picker = SitePickForm(
            request.GET if "site" in request.GET else None, sites=rights.syndication_targets(actor)
        )
        self.site = actor.site
        if self.picker.is_bound:
            if not self.picker.is_valid():
                raise Http404
            self.site = self.picker.cleaned_data["site"]
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return self.site.name if self.site else _("请选择站点")

    def get_form_kwargs(self) -> dict:
        rows = Syndication.objects.filter(site=self.site) if self.site else Syndication.objects.none()
        return {**super().get_form_kwargs(), "rows": rows}

    def get_context_data(self, **kwargs) -> dict:
        empty = _("该站点没有转载的资源。") if self.site else _("请先选择站点。")
        return {**super().get_context_data(**kwargs), "site_picker": self.picker, "empty_message": empty}

    def act(self, form: forms.Form) -> str:
        count = take_down(form.cleaned_data["syndications"], self.actor)
        return _("已撤下 %(count)d 处转载。") % {"count": count}

    def get_success_url(self) -> str:
        return self.request.get_full_path()


class WithdrawView(ResourceActionView):
    page_title = gettext_lazy("撤回资源")
    form_class = WithdrawForm
    header_icon = "cross"
    submit_label = gettext_lazy("撤回（所有站点同时撤下）")

    def act(self, form: forms.Form) -> str:
        services.withdraw(self.resource, form.cleaned_data["reason"], by=self.actor)
        return _("已撤回，所有站点的页面将显示撤回说明。")


class AttachView(ResourceActionView):
    page_title = gettext_lazy("上传附件")
    form_class = AttachmentForm
    submit_label = gettext_lazy("上传")

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "form_is_multipart": True}

    def act(self, form: forms.Form) -> str:
        services.check_can_edit(self.resource, self.actor)
        services.add_attachment(
            self.resource, form.cleaned_data["file"], title=form.cleaned_data["title"], by=self.actor
        )
        return _("附件已上传。")
