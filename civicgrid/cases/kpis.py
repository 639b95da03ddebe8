"""Case KPIs after GB/T 30428.4, computed from the case records the workflow
writes (accepted_at, handled_at/handled_on_time, reworks, closed_at, rating).

Definitions (for cases accepted — 立案 — in the period):
    应结案数   accepted cases (not merged away)
    结案率     closed / 应结案数
    按期处置率 handled on time / handled
    按期结案率 closed and handled on time / 应结案数
    返工率     cases with at least one rework / 应结案数
    满意率     (满意 + 基本满意) / rated
    平均处置时长 mean hours from acceptance to closing, closed cases
    超期数     open cases whose current clock has run out (now)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from civicgrid.cases.models import Case, Rating
from civicgrid.cases.workflow import OPEN_STATES, S

GROUPS = {
    "subdistrict": ("area__code", 9),
    "community": ("area__code", 12),
    "grid": ("area__code", 15),
    "category": ("category__parent__name", None),
    "month": ("accepted_at", "month"),
}


@dataclass
class KpiRow:
    key: str
    label: str
    due: int
    closed: int
    handled: int
    handled_on_time: int
    closed_on_time: int
    reworked: int
    rated: int
    satisfied: int
    avg_hours: float | None
    overdue: int = 0

    @staticmethod
    def _rate(a: int, b: int) -> float | None:
        return round(100 * a / b, 1) if b else None

    @property
    def close_rate(self) -> float | None:
        return self._rate(self.closed, self.due)

    @property
    def on_time_handling_rate(self) -> float | None:
        return self._rate(self.handled_on_time, self.handled)

    @property
    def on_time_close_rate(self) -> float | None:
        return self._rate(self.closed_on_time, self.due)

    @property
    def rework_rate(self) -> float | None:
        return self._rate(self.reworked, self.due)

    @property
    def satisfaction_rate(self) -> float | None:
        return self._rate(self.satisfied, self.rated)


def _group_expression(group: str) -> Any:
    field, size = GROUPS[group]
    if size == "month":
        return TruncMonth(field)
    if size:
        return Substr(field, 1, size)
    return F(field)


def kpis(user: Any, *, group: str, start: dt.date, end: dt.date) -> list[KpiRow]:
    """One row per group value, for cases accepted between start and end (inclusive), in scope."""
    tz = timezone.get_current_timezone()
    begin = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    finish = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    scoped = Case.objects.visible_to(user, "cases.view")
    base = scoped.filter(accepted_at__gte=begin, accepted_at__lt=finish).exclude(state=S.MERGED)
    duration = ExpressionWrapper(F("closed_at") - F("accepted_at"), output_field=DurationField())
    rows = (
        base.annotate(g=_group_expression(group))
        .values("g")
        .annotate(  # n_ prefixes: an annotation named like a field would shadow it in the filters
            n_due=Count("id"),
            n_closed=Count("id", filter=Q(state=S.CLOSED)),
            n_handled=Count("id", filter=Q(handled_at__isnull=False)),
            n_handled_on_time=Count("id", filter=Q(handled_on_time=True)),
            n_closed_on_time=Count("id", filter=Q(state=S.CLOSED, handled_on_time=True)),
            n_reworked=Count("id", filter=Q(reworks__gt=0)),
            n_rated=Count("id", filter=~Q(rating="")),
            n_satisfied=Count("id", filter=Q(rating__in=[Rating.SATISFIED, Rating.BASICALLY])),
            avg_duration=Avg(duration, filter=Q(state=S.CLOSED)),
        )
        .order_by("g")
    )
    overdue: dict[Any, int] = {}
    if group != "month":  # overdue is about now, not about the month a case was accepted
        overdue = dict(
            scoped.filter(state__in=OPEN_STATES, state_due_at__lt=timezone.now())
            .exclude(state=S.SUSPENDED)
            .annotate(g=_group_expression(group))
            .values("g")
            .annotate(n=Count("id"))
            .values_list("g", "n")
        )
    labels = _labels(group, [r["g"] for r in rows])
    result = []
    for r in rows:
        avg = r["avg_duration"]
        result.append(
            KpiRow(
                key=_key(r["g"]),
                label=labels.get(_key(r["g"]), _key(r["g"])),
                due=r["n_due"],
                closed=r["n_closed"],
                handled=r["n_handled"],
                handled_on_time=r["n_handled_on_time"],
                closed_on_time=r["n_closed_on_time"],
                reworked=r["n_reworked"],
                rated=r["n_rated"],
                satisfied=r["n_satisfied"],
                avg_hours=round(avg.total_seconds() / 3600, 1) if avg is not None else None,
                overdue=overdue.get(r["g"], 0),
            )
        )
    return result


def _key(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m")
    return str(value or "")


def _labels(group: str, keys: list[Any]) -> dict[str, str]:
    if group in ("subdistrict", "community", "grid"):
        from civicgrid.areas.models import Area

        return dict(Area.objects.filter(code__in=[str(k) for k in keys]).values_list("code", "name"))
    return {}
