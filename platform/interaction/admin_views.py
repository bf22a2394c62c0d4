"""互动交流 in each site's Wagtail admin: 待办/已办/逾期, the item screen, surveys and statistics;
and the operators' cluster table in the console. Thin: ``services``, ``surveys`` and ``stats`` decide.

Every query starts from ``services.items_of(request.tenant)``: staff of one site never see or act on
another site's items, whatever id they type. Reviewers of a child site (group 上级审核) are not its
staff and see none of its letters (the writers' personal data stays with the handling site).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from console.access import on_platform, operator_only
from interaction import services, stats, surveys
from interaction.models import Decision, ItemKind, ItemStatus, Mailbox, Survey, SurveyKind
from review.chain import REVIEWER_GROUP
from siteusers.models import User
from tenants.models import Site

LISTS = {
    "pending": gettext_lazy("待办"),
    "done": gettext_lazy("已办"),
    "overdue": gettext_lazy("逾期"),
}


def is_site_staff(user) -> bool:
    """A person with a role of their own on this site (not only the parent's reviewer group)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.exclude(name=REVIEWER_GROUP).exists()


def site_staff_only(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if on_platform() or not is_site_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@site_staff_only
def item_list(request: HttpRequest, state: str = "pending") -> HttpResponse:
    items = services.items_of(request.tenant)
    today = timezone.localdate()
    if state == "done":
        items = items.filter(status=ItemStatus.ANSWERED).order_by("-answered_at")
    elif state == "overdue":
        items = items.filter(status=ItemStatus.PENDING, due_date__lt=today).order_by("due_date")
    else:
        state = "pending"
        items = items.filter(status=ItemStatus.PENDING).order_by("due_date")
    kind = request.GET.get("kind", "")
    if kind in ItemKind.values:
        items = items.filter(kind=kind)
    return render(
        request,
        "interaction/admin/list.html",
        {"items": items[:500], "state": state, "lists": LISTS, "kind": kind, "kinds": ItemKind.choices, "today": today},
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=gettext_lazy("答复内容"), widget=forms.Textarea(attrs={"rows": 8}), max_length=10000)
    decision = forms.ChoiceField(label=gettext_lazy("答复类型"), choices=[("", "—")] + Decision.choices, required=False)
    decision_reason = forms.CharField(
        label=gettext_lazy("理由（部分公开、不予公开、不予处理须填写）"), max_length=500, required=False
    )
    other_body = forms.CharField(label=gettext_lazy("负责机关（非本机关负责时填写）"), max_length=100, required=False)


class ExtendForm(forms.Form):
    approver = forms.CharField(label=gettext_lazy("批准人"), max_length=50)
    reason = forms.CharField(label=gettext_lazy("延期理由"), max_length=500)


def site_staff_choices() -> list[tuple[str, str]]:
    """The current site's own staff (its schema's users outside the parent's reviewer group)."""
    users = (
        User.objects.filter(is_active=True, groups__isnull=False)
        .exclude(groups__name=REVIEWER_GROUP)
        .distinct()
        .order_by("username")
    )
    return [("", _("（全体工作人员）"))] + [(user.username, user.display_name or user.username) for user in users]


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=gettext_lazy("承办人"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = site_staff_choices()


class TransferForm(forms.Form):
    target = forms.ModelChoiceField(label=gettext_lazy("转办给"), queryset=Site.objects.none())
    note = forms.CharField(label=gettext_lazy("转办说明"), max_length=200, required=False)

    def __init__(self, site: Site, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = services.transfer_targets(site)


@site_staff_only
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(services.items_of(request.tenant), pk=pk)
    answer_form, extend_form = AnswerForm(), ExtendForm()
    assign_form = AssignForm(initial={"assignee": item.assignee})
    transfer_form = TransferForm(request.tenant)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "answer":
                answer_form = AnswerForm(request.POST)
                if answer_form.is_valid():
                    data = answer_form.cleaned_data
                    services.answer(
                        item,
                        data["answer"],
                        user=request.user,
                        decision=data["decision"],
                        reason=data["decision_reason"],
                        other_body=data["other_body"],
                    )
                    messages.success(request, _("已答复“%s”。") % item.subject)
                    return redirect("interaction_item", pk=item.pk)
            elif action == "assign":
                assign_form = AssignForm(request.POST)
                if assign_form.is_valid():
                    services.assign(item, assign_form.cleaned_data["assignee"], user=request.user)
                    messages.success(request, _("已指定承办人。"))
                    return redirect("interaction_item", pk=item.pk)
            elif action == "extend":
                extend_form = ExtendForm(request.POST)
                if extend_form.is_valid():
                    services.extend(item, user=request.user, **extend_form.cleaned_data)
                    messages.success(request, _("已延期至 %s。") % item.due_date.isoformat())
                    return redirect("interaction_item", pk=item.pk)
            elif action == "transfer":
                transfer_form = TransferForm(request.tenant, request.POST)
                if transfer_form.is_valid():
                    target = transfer_form.cleaned_data["target"]
                    services.transfer(item, target, user=request.user, note=transfer_form.cleaned_data["note"])
                    messages.success(request, _("已转办至%s。") % target.name)
                    return redirect("interaction_list")
            elif action in ("publish", "unpublish"):
                services.set_published(item, action == "publish", user=request.user)
                messages.success(request, _("已公开答复。") if action == "publish" else _("已取消公开。"))
                return redirect("interaction_item", pk=item.pk)
            else:
                raise ValidationError(_("未知的操作。"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    return render(
        request,
        "interaction/admin/detail.html",
        {
            "item": item,
            "answer_form": answer_form,
            "extend_form": extend_form,
            "transfer_form": transfer_form,
            "assign_form": assign_form,
            "is_disclosure": item.kind == ItemKind.DISCLOSURE,
        },
        status=400 if request.method == "POST" else 200,
    )


class SurveyCreateForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("标题"), max_length=100)
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=SurveyKind.choices)
    description = forms.CharField(label=gettext_lazy("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    starts_on = forms.DateField(label=gettext_lazy("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=gettext_lazy("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    questions = forms.CharField(
        label=gettext_lazy("问题（每行一题，格式“问题：选项1/选项2”，不写选项为文字回答）"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )


@site_staff_only
def survey_list(request: HttpRequest) -> HttpResponse:
    form = SurveyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = surveys.create(
                request.tenant,
                title=data["title"],
                description=data["description"],
                kind=data["kind"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                questions_text=data["questions"],
            )
            messages.success(request, _("已创建“%s”。") % survey.title)
            return redirect("interaction_surveys")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    rows = [
        (survey, survey.responses.count())
        for survey in Survey.objects.filter(site=request.tenant).prefetch_related("questions")
    ]
    return render(request, "interaction/admin/surveys.html", {"rows": rows, "form": form})


def _period(request: HttpRequest) -> tuple[datetime.date, datetime.date, int]:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), 2100)
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31), year


@site_staff_only
def site_stats(request: HttpRequest) -> HttpResponse:
    start, end, year = _period(request)
    context = {
        "year": year,
        "all": stats.figures(request.tenant, start, end),
        "per_kind": [(label, stats.figures(request.tenant, start, end, kind)) for kind, label in ItemKind.choices],
        "annual": stats.disclosure_annual(request.tenant, year),
    }
    return render(request, "interaction/admin/stats.html", context)


@operator_only
def cluster_stats(request: HttpRequest) -> HttpResponse:
    start, end, year = _period(request)
    return render(
        request,
        "interaction/admin/cluster_stats.html",
        {"year": year, "rows": stats.cluster_table(start, end), "total": stats.figures(None, start, end)},
    )


class MailboxForm(forms.ModelForm):
    class Meta:
        model = Mailbox
        fields = ["name", "slug", "kind", "deadline_days", "notify_email", "is_active", "ordering"]


MailboxFormSet = forms.modelformset_factory(Mailbox, form=MailboxForm, extra=1, can_delete=False)


@site_staff_only
def mailbox_settings(request: HttpRequest) -> HttpResponse:
    """信箱设置: rename, retime, disable the site's mailboxes, or add one."""
    services.ensure_mailboxes(request.tenant)
    queryset = Mailbox.objects.filter(site=request.tenant)
    formset = MailboxFormSet(request.POST or None, queryset=queryset)
    if request.method == "POST":
        if formset.is_valid():
            slugs = [form.cleaned_data.get("slug") for form in formset.forms if form.has_changed()]
            taken = set(
                Mailbox.objects.filter(site=request.tenant)
                .exclude(pk__in=[form.instance.pk for form in formset.forms if form.instance.pk])
                .values_list("slug", flat=True)
            )
            if len(set(slugs)) != len(slugs) or taken & set(slugs):
                messages.error(request, _("信箱代号不能重复。"))
            else:
                services.save_mailboxes(request.tenant, formset.save(commit=False), user=request.user)
                messages.success(request, _("信箱设置已保存。"))
                return redirect("interaction_mailboxes")
        return render(request, "interaction/admin/mailboxes.html", {"formset": formset}, status=400)
    return render(request, "interaction/admin/mailboxes.html", {"formset": formset})
