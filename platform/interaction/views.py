"""Public pages of 互动交流 and 依申请公开 (thin: ``services`` decides, ``forms`` checks)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from interaction import ratelimit, services, surveys
from interaction.forms import DisclosureForm, ErrorReportForm, LetterForm, LookupForm, SurveyForm
from interaction.models import ItemKind, Mailbox, Survey

TOO_MANY = _("提交过于频繁，请稍后再试。")


def _flooded(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    context["flood_error"] = TOO_MANY
    return render(request, template, context, status=429)


def index(request: HttpRequest) -> HttpResponse:
    """互动交流: the site's mailboxes, its published replies and its surveys."""
    site = request.tenant
    today = timezone.localdate()
    context = {
        "mailboxes": [box for box in services.ensure_mailboxes(site) if box.is_active],
        "letters": services.published_letters(site)[:20],
        "surveys": Survey.objects.filter(site=site, starts_on__lte=today).order_by("-ends_on")[:20],
        "today": today,
    }
    return render(request, "interaction/index.html", context)


def _receive(request, kind, form_class, template, context, *, mailbox=None) -> HttpResponse:
    """The shared POST path of every writing form: flood check, validation, receipt."""
    if request.method == "POST":
        if not ratelimit.allow(request):
            # Unbound, the text kept: a refused post is not validated (nor its captcha spent).
            context["form"] = form_class(initial=request.POST.dict())
            return _flooded(request, template, context)
        form = form_class(request.POST)
        if form.is_valid():
            fields = {name: value for name, value in form.cleaned_data.items() if name != "captcha"}
            fields = {name: value if value is not None else "" for name, value in fields.items()}
            item = services.receive(request.tenant, kind, fields, mailbox=mailbox)
            return render(request, "interaction/received.html", {"item": item})
        context["form"] = form
        return render(request, template, context, status=400)
    context["form"] = form_class()
    return render(request, template, context)


# A form page carries a one-time captcha and the visitor's CSRF token: never a shared cache's.
@never_cache
def write(request: HttpRequest, box: str) -> HttpResponse:
    services.ensure_mailboxes(request.tenant)
    mailbox = get_object_or_404(Mailbox, site=request.tenant, slug=box, is_active=True)
    return _receive(
        request, ItemKind.LETTER, LetterForm, "interaction/write.html", {"mailbox": mailbox}, mailbox=mailbox
    )


@never_cache
def report_error(request: HttpRequest) -> HttpResponse:
    return _receive(request, ItemKind.ERROR, ErrorReportForm, "interaction/error_report.html", {})


@never_cache
def disclosure(request: HttpRequest) -> HttpResponse:
    return _receive(
        request, ItemKind.DISCLOSURE, DisclosureForm, "interaction/disclosure.html", {"lookup": LookupForm()}
    )


@never_cache
def lookup(request: HttpRequest) -> HttpResponse:
    """A reply by its query code. A wrong code and another site's code get the same message, so
    codes cannot be probed; lookups are rate limited too."""
    form = LookupForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST":
        if not ratelimit.allow(request, "lookup", factor=4):
            return _flooded(request, "interaction/lookup.html", context)
        if form.is_valid():
            item = services.find_by_code(form.cleaned_data["code"])
            if item is None or item.site_id != request.tenant.pk and item.transferred_from_id != request.tenant.pk:
                context["not_found"] = _("未找到与该查询码对应的事项，请核对后重新输入（查询码共12位，不区分大小写）。")
                return render(request, "interaction/lookup.html", context, status=404)
            context["item"] = item
    return render(request, "interaction/lookup.html", context)


@never_cache
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    poll = get_object_or_404(Survey, pk=pk, site=request.tenant)
    today = timezone.localdate()
    if poll.starts_on > today:
        raise Http404
    context = {"survey": poll, "open": poll.is_open(today), "results": None}
    if poll.results_visible(today):
        context["results"] = surveys.results(poll)
    if not context["open"]:
        return render(request, "interaction/survey.html", context)
    if request.method == "POST":
        if not ratelimit.allow(request):
            context["form"] = SurveyForm(poll, initial=request.POST.dict())
            return _flooded(request, "interaction/survey.html", context)
        form = SurveyForm(poll, request.POST)
        context["form"] = form
        if form.is_valid():
            surveys.answer(poll, form.answers())
            context["thanks"] = True
            return render(request, "interaction/survey.html", context)
        return render(request, "interaction/survey.html", context, status=400)
    context["form"] = SurveyForm(poll)
    return render(request, "interaction/survey.html", context)
