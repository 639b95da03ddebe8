"""Reads of cases: the inbox, with deadlines that staff sort and filter by."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from civicgrid.cases.models import Case
from civicgrid.cases.workflow import OPEN_STATES, S

# Inbox tabs: key -> states
TABS: dict[str, list[str]] = {
    "open": OPEN_STATES,
    "reported": [S.REPORTED],
    "verifying": [S.VERIFYING],
    "accepted": [S.ACCEPTED],
    "dispatched": [S.DISPATCHED],
    "handled": [S.HANDLED],
    "suspended": [S.SUSPENDED],
    "closed": [S.CLOSED],
    "ended": [S.REJECTED, S.MERGED],
}
NEAR_DUE = dt.timedelta(hours=4)


def inbox(user: Any, *, tab: str = "open", filters: dict[str, str] | None = None) -> QuerySet[Case]:
    filters = filters or {}
    qs = Case.objects.visible_to(user, "cases.view").filter(state__in=TABS.get(tab, OPEN_STATES))
    if filters.get("category"):
        qs = qs.filter(Q(category__code=filters["category"]) | Q(category__parent__code=filters["category"]))
    if filters.get("area"):
        qs = qs.filter(area__code__startswith=filters["area"])
    if filters.get("q"):
        q = filters["q"].strip()
        qs = qs.filter(Q(title__icontains=q) | Q(tracking_code=q.upper()) | Q(external_id=q))
    now = timezone.now()
    if filters.get("due") == "overdue":
        qs = qs.filter(state_due_at__lt=now)
    elif filters.get("due") == "near":
        qs = qs.filter(state_due_at__gte=now, state_due_at__lt=now + NEAR_DUE)
    if filters.get("supervised"):
        qs = qs.filter(supervised=True)
    order = ["state_due_at", "-created_at"] if tab != "closed" else ["-closed_at"]
    return qs.select_related("category", "category__parent", "area").order_by(*order)


def deadline_status(case: Case, now: dt.datetime | None = None) -> str:
    """ "overdue", "near" or "" for a case's current clock."""
    if case.state_due_at is None:
        return ""
    now = now or timezone.now()
    if case.state_due_at < now:
        return "overdue"
    if case.state_due_at < now + NEAR_DUE:
        return "near"
    return ""


def tab_counts(user: Any) -> dict[str, int]:
    """Open cases per state, for the inbox tabs (one query)."""
    rows = (
        Case.objects.visible_to(user, "cases.view")
        .filter(state__in=OPEN_STATES)
        .values("state")
        .annotate(n=Count("id"))
    )
    counts = {row["state"]: row["n"] for row in rows}
    counts["open"] = sum(counts.values())
    return counts
