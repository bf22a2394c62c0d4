"""Surveys and solicitations (调查征集): answers in the period, results counted afterwards."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from interaction.models import Question, Response, Survey
from interaction.services import purge_public_pages


def answer(survey: Survey, answers: dict[str, str]) -> Response:
    if not survey.is_open(timezone.localdate()):
        raise ValidationError(_("该调查不在征集期内。"))
    return Response.objects.create(survey=survey, answers=answers)


def results(survey: Survey) -> list[dict]:
    """Per question: counts per option (choices) or the number of written answers (free text is
    not published: it may carry personal data)."""
    responses = list(survey.responses.values_list("answers", flat=True))
    out = []
    for question in survey.questions.all():
        key = str(question.pk)
        given = [answers.get(key) for answers in responses if answers.get(key)]
        if question.choices:
            rows = [(choice, sum(1 for value in given if value == choice)) for choice in question.choices]
            total = len(given) or 1
            out.append({"question": question, "rows": [(c, n, round(100 * n / total)) for c, n in rows]})
        else:
            out.append({"question": question, "written": len(given)})
    return out


def create(site, *, title: str, description: str, kind: str, starts_on, ends_on, questions_text: str) -> Survey:
    """A survey from the staff form: one question per line, ``问题：选项1/选项2`` (no options: written answer)."""
    if ends_on < starts_on:
        raise ValidationError(_("截止日期不能早于开始日期。"))
    lines = [line.strip() for line in questions_text.splitlines() if line.strip()]
    if not lines:
        raise ValidationError(_("请至少填写一个问题。"))
    survey = Survey.objects.create(
        site=site, title=title, description=description, kind=kind, starts_on=starts_on, ends_on=ends_on
    )
    for order, line in enumerate(lines):
        text, _sep, options = line.replace(":", "：").partition("：")
        Question.objects.create(
            survey=survey,
            text=text.strip()[:200],
            options="\n".join(part.strip() for part in options.split("/") if part.strip()),
            ordering=order,
        )
    purge_public_pages(site)
    return survey
