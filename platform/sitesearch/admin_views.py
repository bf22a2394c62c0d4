"""Two admin screens: the operators' user dictionary (platform console only) and, in each site's
admin, what people searched for on that site — the zero-result list first, then the hot searches."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from sitesearch import dictionary, querylog
from sitesearch.documents import current_site
from sitesearch.models import UserWord
from tenants.content.creation import is_site_editor
from zhanqun.lib.admin_pages import TitledAdminTemplateMixin


class WordForm(forms.Form):
    word = forms.CharField(
        label=gettext_lazy("词语"),
        max_length=200,
        help_text=gettext_lazy("如政策名称、地名：放管服、网站集约化"),
        error_messages={"required": gettext_lazy("请输入词语。")},
    )


class DictionaryView(TitledAdminTemplateMixin, TemplateView):
    """Operators add and remove words (wrapped by ``console.access.operator_only`` in the hooks)."""

    template_name = "sitesearch/dictionary.html"
    page_title = gettext_lazy("搜索词典")
    header_icon = "search"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", WordForm())
        context["words"] = Paginator(UserWord.objects.all(), 100).get_page(self.request.GET.get("page"))
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        if "remove" in request.POST:
            pk = request.POST["remove"]
            entry = get_object_or_404(UserWord, pk=int(pk) if pk.isdigit() else 0)
            dictionary.remove_word(entry, by=request.user, request=request)
            notice = _("已删除“%(word)s”。重建索引后生效：manage.py reindex --all") % {"word": entry.word}
            messages.success(request, notice)
            return redirect("sitesearch_dictionary")
        form = WordForm(request.POST)
        if form.is_valid():
            try:
                entry = dictionary.add_word(form.cleaned_data["word"], by=request.user, request=request)
            except ValidationError as error:
                form.add_error("word", error)
            else:
                messages.success(
                    request, _("已添加“%(word)s”。重建索引后生效：manage.py reindex --all") % {"word": entry.word}
                )
                return redirect("sitesearch_dictionary")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class SearchStatsView(TitledAdminTemplateMixin, TemplateView):
    """A site's editors see what was searched on their site and never found (counts only)."""

    template_name = "sitesearch/stats.html"
    page_title = gettext_lazy("站内搜索统计")
    header_icon = "search"

    def dispatch(self, request, *args, **kwargs):
        if connection.schema_name == "public":
            raise Http404
        if not is_site_editor(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        site = current_site()
        context["zero"] = querylog.zero_result_queries(site.pk)[:100]
        context["top"] = querylog.top_queries(site.pk)[:50]
        return context
