"""Console screens for sites: list (search, filters), tree, create, one site's page (identity,
domains, people, lifecycle), edit, theme with side-by-side preview. Bulk creation: ``bulk_views``.

Thin: every change is one call into ``console.sites`` / ``console.domains`` / ``console.bulk_import``,
which validate and audit; a refusal comes back as a form error or a message, never a 500.
"""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.generic import FormView, TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from audit.models import AuditEvent
from console import domains, sites, theme_preview
from console.access import OperatorOnlyViewSetMixin
from console.bulk_views import BulkImportDetailView, BulkImportProgressView, BulkImportReportView, BulkImportView
from console.forms import (
    DomainForm,
    ReasonForm,
    SiteCreateForm,
    SiteEditForm,
    ThemeForm,
    apply_errors,
)
from console.models import SiteStats
from identity.models import Role, SiteRole
from tenants.footer_identity import missing_identity
from tenants.models import Domain, Site, SiteKind, SiteStatus
from themes.registry import THEMES

# Errors from provisioning are keyed by model field; the create form calls the schema its slug.
CREATE_ERROR_FIELDS = {"schema_name": "slug"}


def _actor(request: HttpRequest) -> str:
    return request.user.get_username()


def listed_sites():
    """Every real site with what the list shows, in one query: parent, stats (joined), primary
    domain and people (subqueries)."""
    primary = Domain.objects.filter(tenant=OuterRef("pk"), is_primary=True).values("domain")[:1]

    def role_count(role: str):
        rows = SiteRole.objects.filter(site=OuterRef("pk"), role=role).order_by().values("site")
        return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)

    return (
        Site.objects.exclude(kind=SiteKind.PLATFORM)
        .select_related("parent", "stats")
        .annotate(
            primary_host=Subquery(primary),
            editor_count=role_count(Role.EDITOR),
            submitter_count=role_count(Role.SUBMITTER),
        )
    )


def parents_in_use(request=None):
    return Site.objects.filter(pk__in=Site.objects.exclude(parent=None).values("parent_id")).order_by("kind", "name")


class SiteFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("站点类型"), choices=[c for c in SiteKind.choices if c[0] != SiteKind.PLATFORM]
    )
    parent = django_filters.ModelChoiceFilter(label=gettext_lazy("上级站点"), queryset=parents_in_use)
    status = django_filters.ChoiceFilter(label=gettext_lazy("状态"), choices=SiteStatus.choices)

    class Meta:
        model = Site
        fields = ["kind", "parent", "status"]


class PeopleColumn(Column):
    def get_value(self, instance) -> str:
        return _("编辑 %(e)s · 报送 %(s)s") % {"e": instance.editor_count, "s": instance.submitter_count}


class SiteIndexView(generic.IndexView):
    page_title = gettext_lazy("站点管理")
    filterset_class = SiteFilterSet
    default_ordering = "name"
    paginate_by = 50

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "name",
                label=_("站点名称"),
                get_url=lambda site: reverse("console_sites:detail", args=[site.pk]),
                sort_key="name",
            ),  # fmt: skip
            Column("kind", label=_("类型"), accessor="get_kind_display", sort_key="kind"),
            Column("parent", label=_("上级站点"), accessor="parent.name"),
            StatusTagColumn(
                "status",
                label=_("状态"),
                accessor="get_status_display",
                primary=lambda site: site.status == SiteStatus.ACTIVE,
                sort_key="status",
            ),  # fmt: skip
            Column("primary_host", label=_("主域名"), sort_key="primary_host"),
            Column("site_code", label=_("标识码"), sort_key="site_code"),
            DateColumn(
                "last_update",
                label=_("最近更新"),
                accessor="stats.last_published_at",
                sort_key="stats__last_published_at",
            ),  # fmt: skip
            NumberColumn("pages", label=_("页面数"), accessor="stats.page_count", sort_key="stats__page_count"),
            PeopleColumn("people", label=_("人员")),
        ]

    def get_base_queryset(self):
        return listed_sites()

    def order_queryset(self, queryset):
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "pk")  # stable pages

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        query = self.search_query
        by_domain = Domain.objects.filter(tenant=OuterRef("pk"), domain__icontains=query)
        return queryset.filter(
            Q(name__icontains=query) | Q(slug__icontains=query) | Q(site_code__icontains=query)
            | Q(organiser__icontains=query) | Exists(by_domain)
        )  # fmt: skip

    @cached_property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(_("批量创建（CSV）"), url=reverse("console_sites:bulk"), icon_name="upload", priority=20),
            HeaderButton(_("站点树"), url=reverse("console_sites:tree"), icon_name="list-ul", priority=30),
        ]

    @cached_property
    def add_item_label(self):
        return _("新建站点")

    def get_list_more_buttons(self, instance):
        return []


class SiteViewSetBase(ModelViewSet):
    """Wagtail's listing (search, filters, ordering, pages) for the index; the console's own views
    for everything else (creating a site is provisioning, not a model form)."""

    model = Site
    icon = "site"
    menu_label = gettext_lazy("站点管理")
    menu_order = 900
    add_to_admin_menu = True
    name = "console_sites"
    url_prefix = "console/sites"
    index_view_class = SiteIndexView
    copy_view_enabled = False
    search_fields = ["name"]  # enables the search box; the query itself is SiteIndexView's

    def get_index_view_kwargs(self, **kwargs):
        view_kwargs = super().get_index_view_kwargs(**kwargs)
        view_kwargs.update(edit_url_name=None, delete_url_name=None, copy_url_name=None)
        return view_kwargs

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/", SiteCreateView.as_view(), name="add"),
            path("tree/", SiteTreeView.as_view(), name="tree"),
            path("bulk/", BulkImportView.as_view(), name="bulk"),
            path("bulk/<int:pk>/", BulkImportDetailView.as_view(), name="bulk_detail"),
            path("bulk/<int:pk>/progress/", BulkImportProgressView.as_view(), name="bulk_progress"),
            path("bulk/<int:pk>/errors.csv", BulkImportReportView.as_view(), name="bulk_report"),
            path("<int:pk>/", SiteDetailView.as_view(), name="detail"),
            path("<int:pk>/edit/", SiteEditView.as_view(), name="edit"),
            path("<int:pk>/domains/", DomainActionView.as_view(), name="domains"),
            path("<int:pk>/lifecycle/", LifecycleView.as_view(), name="lifecycle"),
            path("<int:pk>/theme/", SiteThemeView.as_view(), name="theme"),
            path("<int:pk>/preview/", ThemePreviewView.as_view(), name="preview"),
        ]


class SiteViewSet(OperatorOnlyViewSetMixin, SiteViewSetBase):
    """Every URL above, operator-only (the mixin wraps whatever the base returns)."""


# --- One site ---------------------------------------------------------------------------------


class SiteMixin:
    """Loads the site named by the URL (never the platform's own row)."""

    def dispatch(self, request, *args, **kwargs):
        self.site = get_object_or_404(Site.objects.select_related("parent").exclude(kind=SiteKind.PLATFORM),
                                      pk=kwargs["pk"])  # fmt: skip
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("console_sites:index"), "label": _("站点管理")},
            {"url": reverse("console_sites:detail", args=[self.site.pk]), "label": self.site.name},
            {"url": "", "label": self.get_page_title()},
        ]


class SiteDetailView(SiteMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "console/site_detail.html"
    header_icon = "site"

    def get_page_title(self):
        return self.site.name

    def get_breadcrumbs_items(self):
        return [{"url": reverse("console_sites:index"), "label": _("站点管理")}, {"url": "", "label": self.site.name}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        site = self.site
        context.update(
            site=site,
            stats=SiteStats.objects.filter(site=site).first(),
            domains=site.domains.order_by("-is_primary", "domain"),
            children=site.children.order_by("kind", "name"),
            roles=SiteRole.objects.filter(site=site).select_related("account").order_by("role", "account__username"),
            events=AuditEvent.objects.filter(site=site).order_by("-at", "-pk")[:10],
            code_warnings=site.site_code_warnings(),
            missing_identity=missing_identity(site),
            statuses=SiteStatus,
            closure_url=reverse("closure_admin:start") + f"?site={site.pk}",
            audit_url=reverse("console_audit:index") + f"?site={site.pk}",
            role_add_url=reverse("console_roles:add"),
        )
        context.setdefault("domain_form", DomainForm())
        context.setdefault("suspend_form", ReasonForm())
        return context


class DomainActionView(SiteDetailView):
    """POST only: add / remove / primary / serve / redirect a domain of this site. A refused new
    domain shows the site's page again with the error under the field."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        op = request.POST.get("op", "")
        detail = reverse("console_sites:detail", args=[self.site.pk])
        if op == "add":
            form = DomainForm(request.POST)
            if form.is_valid():
                try:
                    domain = domains.add_domain(
                        self.site,
                        form.cleaned_data["domain"],
                        serve_alias=form.cleaned_data["serve_alias"],
                        by=_actor(request),
                        request=request,
                    )
                except ValidationError as exc:
                    apply_errors(form, exc, default="domain")
                else:
                    messages.success(request, _("已添加域名 %s。") % domain.domain)
                    return redirect(detail)
            messages.error(request, _("域名未添加，请修正下面的错误。"))
            return self.render_to_response(self.get_context_data(domain_form=form))
        domain = get_object_or_404(Domain, pk=request.POST.get("domain") or 0, tenant=self.site)
        actions = {
            "remove": (domains.remove_domain, _("已删除域名 %s。")),
            "primary": (domains.make_primary, _("%s 已设为主域名。")),
            "serve": (lambda d, **kw: domains.set_serve_alias(d, True, **kw), _("%s 现在直接访问，不再跳转。")),
            "redirect": (lambda d, **kw: domains.set_serve_alias(d, False, **kw), _("%s 现在永久跳转到主域名。")),
        }
        if op not in actions:
            messages.error(request, _("未知操作。"))
            return redirect(detail)
        action, message = actions[op]
        try:
            action(domain, by=_actor(request), request=request)
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        else:
            messages.success(request, message % domain.domain)
        return redirect(detail)


class LifecycleView(SiteMixin, View):
    """POST only: suspend (with a reason) or resume."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        op = request.POST.get("op", "")
        try:
            if op == "suspend":
                form = ReasonForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("暂停服务必须填写原因。"))
                sites.suspend(self.site, form.cleaned_data["reason"], by=_actor(request), request=request)
                messages.success(request, _("站点已暂停服务：公众访问将看到暂停服务公告。"))
            elif op == "resume":
                sites.resume(self.site, by=_actor(request), request=request)
                messages.success(request, _("站点已恢复服务。"))
            else:
                messages.error(request, _("未知操作。"))
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        return redirect("console_sites:detail", self.site.pk)


class SiteEditView(SiteMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "console/site_form.html"
    header_icon = "edit"
    form_class = SiteEditForm

    def get_page_title(self):
        return _("编辑站点信息")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Site.objects.get(pk=self.site.pk)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(site=self.site, code_warnings=self.site.site_code_warnings(), submit_label=_("保存"),
                       cancel_url=reverse("console_sites:detail", args=[self.site.pk]))  # fmt: skip
        return context

    def form_valid(self, form: SiteEditForm) -> HttpResponse:
        try:
            diff = sites.update_site(self.site, form.changes(), by=_actor(self.request), request=self.request)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        if diff:
            messages.success(self.request, _("已保存：%s。") % "、".join(str(Site._meta.get_field(f).verbose_name)
                                                                        for f in diff))  # fmt: skip
        else:
            messages.info(self.request, _("没有修改。"))
        site = Site.objects.get(pk=self.site.pk)
        for warning in site.site_code_warnings():
            messages.warning(self.request, warning)
        return redirect("console_sites:detail", self.site.pk)


class SiteThemeView(SiteMixin, WagtailAdminTemplateMixin, TemplateView):
    """The site's home in its current theme and in a candidate theme, side by side; save to apply."""

    template_name = "console/site_theme.html"
    header_icon = "view"

    def get_page_title(self):
        return _("主题与预览")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        candidate = self.request.GET.get("theme") or next(
            (key for key in THEMES if key != self.site.theme), self.site.theme
        )
        if candidate not in THEMES:
            candidate = self.site.theme
        preview = reverse("console_sites:preview", args=[self.site.pk])
        context.update(
            site=self.site,
            current=THEMES.get(self.site.theme, THEMES["default"]),
            candidate=THEMES[candidate],
            themes=THEMES.values(),
            current_url=f"{preview}?theme={self.site.theme}",
            candidate_url=f"{preview}?theme={candidate}",
            form=kwargs.get("form") or ThemeForm(initial={"theme": candidate}),
        )
        return context

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = ThemeForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        if sites.update_site(self.site, {"theme": form.cleaned_data["theme"]}, by=_actor(request), request=request):
            messages.success(request, _("主题已改为“%s”。") % THEMES[form.cleaned_data["theme"]].label)
        return redirect("console_sites:theme", self.site.pk)


@method_decorator(xframe_options_sameorigin, name="dispatch")
class ThemePreviewView(SiteMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return theme_preview.render_home(self.site, request.GET.get("theme") or self.site.theme)


# --- Creating sites ---------------------------------------------------------------------------


class SiteCreateView(WagtailAdminTemplateMixin, FormView):
    template_name = "console/site_form.html"
    page_title = gettext_lazy("新建站点")
    header_icon = "plus"
    form_class = SiteCreateForm

    def get_initial(self):
        initial = super().get_initial()
        if parent := self.request.GET.get("parent"):
            initial["parent"] = parent
        if kind := self.request.GET.get("kind"):
            initial["kind"] = kind
        return initial

    def get_breadcrumbs_items(self):
        return [{"url": reverse("console_sites:index"), "label": _("站点管理")}, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(submit_label=_("创建站点"), cancel_url=reverse("console_sites:index"))
        return context

    def form_valid(self, form: SiteCreateForm) -> HttpResponse:
        try:
            result = sites.create_site(form.spec(), by=_actor(self.request))
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "slug" in exc.error_dict:
                # The same clash again, named after what the slug derives: the schema and, when no
                # domain was given, the default domain.
                exc.error_dict.pop("schema_name", None)
                if not form.cleaned_data.get("domain"):
                    exc.error_dict.pop("domain", None)
            apply_errors(form, exc, CREATE_ERROR_FIELDS)
            return self.form_invalid(form)
        site = result.site
        messages.success(
            self.request,
            _("已创建站点“%(name)s”：http://%(domain)s/（%(seconds).2f 秒）")
            % {"name": site.name, "domain": site.primary_domain, "seconds": result.seconds},
        )
        for warning in site.site_code_warnings():
            messages.warning(self.request, warning)
        return redirect("console_sites:detail", site.pk)

    def form_invalid(self, form):
        messages.error(self.request, _("站点未创建，请修正下面的错误。"))
        return super().form_invalid(form)


class SiteTreeView(WagtailAdminTemplateMixin, TemplateView):
    """City → counties → townships/departments, every site on one page (one query)."""

    template_name = "console/site_tree.html"
    page_title = gettext_lazy("站点树")
    header_icon = "list-ul"

    def get_breadcrumbs_items(self):
        return [{"url": reverse("console_sites:index"), "label": _("站点管理")}, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        primary = Domain.objects.filter(tenant=OuterRef("pk"), is_primary=True).values("domain")[:1]
        rows = list(
            Site.objects.exclude(kind=SiteKind.PLATFORM)
            .annotate(primary_host=Subquery(primary))
            .order_by("kind", "name")
        )
        children: dict[int | None, list[Site]] = {}
        known = {site.pk for site in rows}
        for site in rows:
            children.setdefault(site.parent_id if site.parent_id in known else None, []).append(site)

        def node(site: Site, depth: int) -> dict:
            kids = [node(child, depth + 1) for child in children.get(site.pk, [])] if depth < 10 else []
            return {"site": site, "children": kids}

        context["nodes"] = [node(site, 0) for site in children.get(None, [])]
        context["total"] = len(rows)
        return context
