"""What a submitter sees of their own submissions (the dashboard panel 我的报送)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from wagtail.models import TaskState, WorkflowState

STATE_LABELS = {
    WorkflowState.STATUS_IN_PROGRESS: _("待审核"),
    WorkflowState.STATUS_APPROVED: _("已通过并发布"),
    WorkflowState.STATUS_NEEDS_CHANGES: _("已退回修改"),
    WorkflowState.STATUS_CANCELLED: _("已撤回"),
}


@dataclass
class Submission:
    page_id: int
    title: str
    state: str
    status: str
    submitted_at: object
    reviewer: str
    comment: str


def my_submissions(user, limit: int = 10) -> list[Submission]:
    """The user's latest submissions on the current site, with the reviewer's decision and comment.
    Two queries: the workflow states, then their finished task states."""
    states = list(
        WorkflowState.objects.filter(requested_by=user)
        .select_related("current_task_state")
        .order_by("-created_at")[:limit]
    )
    decided = {}
    for task_state in (
        TaskState.objects.filter(workflow_state__in=states)
        .exclude(status=TaskState.STATUS_IN_PROGRESS)
        .select_related("finished_by", "revision")
        .order_by("finished_at")
    ):
        decided[task_state.workflow_state_id] = task_state
    result = []
    for state in states:
        task_state = decided.get(state.pk)
        title = task_state.revision.object_str if task_state else ""
        if not title and state.current_task_state_id:
            title = state.current_task_state.revision.object_str
        finished_by = task_state.finished_by if task_state else None
        result.append(
            Submission(
                page_id=int(state.object_id),
                title=title,
                state=STATE_LABELS.get(state.status, state.status),
                status=state.status,
                submitted_at=state.created_at,
                reviewer=(finished_by.get_full_name() if finished_by else ""),
                comment=task_state.comment if task_state else "",
            )
        )
    return result
