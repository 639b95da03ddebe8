"""The work calendar: deadlines on the Chinese official calendar.

Statutory holidays and make-up working days (调休) come from the maintained
``chinese_calendar`` package; admins add ``CalendarOverride`` rows for what it
does not know yet (next year's schedule is published each November) or for a
local exception. Beyond the package's data and without overrides, weekends
are the only days off, and ``calendar_gaps`` says so on the admin page.

SLA units (GB/T 30428 立结案标准):

- 紧急工作时 ``urgent_hours``: every clock hour counts, day and night;
- 工作时 ``work_hours``: minutes inside the working periods of working days;
- 工作日 ``work_days``: the deadline is the close of the Nth working day after
  the day the clock starts;
- 自然日 ``natural_days``: calendar days, holidays included.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SlaUnit(models.TextChoices):
    URGENT_HOURS = "urgent_hours", _("Urgent hours (around the clock)")
    WORK_HOURS = "work_hours", _("Working hours")
    WORK_DAYS = "work_days", _("Working days")
    NATURAL_DAYS = "natural_days", _("Calendar days")


def _periods() -> list[tuple[dt.time, dt.time]]:
    return [(dt.time.fromisoformat(a), dt.time.fromisoformat(b)) for a, b in settings.WORK_PERIODS]


@lru_cache(maxsize=1)
def _overrides() -> dict[dt.date, bool]:
    from civicgrid.core.models import CalendarOverride

    return dict(CalendarOverride.objects.values_list("day", "is_workday"))


def forget_overrides() -> None:
    """Call after CalendarOverride rows change."""
    _overrides.cache_clear()
    is_workday.cache_clear()


@lru_cache(maxsize=4096)
def is_workday(day: dt.date) -> bool:
    overrides = _overrides()
    if day in overrides:
        return overrides[day]
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the package has no data for yet
        return day.weekday() < 5


def calendar_known(year: int) -> bool:
    """Whether holidays of ``year`` are known (package data or admin overrides)."""
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
        return True
    except NotImplementedError:
        return any(d.year == year for d in _overrides())


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else timezone.make_aware(moment)


def _work_intervals(day: dt.date, tz: dt.tzinfo) -> list[tuple[dt.datetime, dt.datetime]]:
    if not is_workday(day):
        return []
    return [(dt.datetime.combine(day, a, tzinfo=tz), dt.datetime.combine(day, b, tzinfo=tz)) for a, b in _periods()]


def _close_of_business(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, _periods()[-1][1], tzinfo=tz)


def deadline(start: dt.datetime, amount: float, unit: str) -> dt.datetime:
    """When a clock started at ``start`` with ``amount`` of ``unit`` runs out."""
    start = _local(start)
    if unit == SlaUnit.URGENT_HOURS:
        return start + dt.timedelta(hours=amount)
    if unit == SlaUnit.NATURAL_DAYS:
        return start + dt.timedelta(days=amount)
    if unit == SlaUnit.WORK_DAYS:
        day, left = start.date(), int(amount)
        while left > 0:
            day += dt.timedelta(days=1)
            if is_workday(day):
                left -= 1
        return _close_of_business(day, start.tzinfo)
    if unit == SlaUnit.WORK_HOURS:
        return add_work_minutes(start, amount * 60)
    raise ValueError(f"unknown SLA unit {unit!r}")


def add_work_minutes(start: dt.datetime, minutes: float) -> dt.datetime:
    start = _local(start)
    left = dt.timedelta(minutes=minutes)
    day = start.date()
    for _day_number in range(3660):  # ten years of days: a bound, never reached in practice
        for begin, end in _work_intervals(day, start.tzinfo):
            begin = max(begin, start)
            if begin >= end:
                continue
            if begin + left <= end:
                return begin + left
            left -= end - begin
        day += dt.timedelta(days=1)
    raise ValueError("deadline too far in the future")


def work_minutes_between(start: dt.datetime, end: dt.datetime) -> float:
    """Working minutes from ``start`` to ``end`` (0 if end is before start)."""
    start, end = _local(start), _local(end)
    if end <= start:
        return 0.0
    total = dt.timedelta()
    day = start.date()
    while day <= end.date():
        for begin, finish in _work_intervals(day, start.tzinfo):
            lo, hi = max(begin, start), min(finish, end)
            if hi > lo:
                total += hi - lo
        day += dt.timedelta(days=1)
    return total.total_seconds() / 60


def remaining(now: dt.datetime, due: dt.datetime, unit: str) -> float:
    """What is left of a clock at ``now``, in the unit's own measure, for pausing it.

    Resume with ``deadline(resume_time, remaining, unit)`` (work days resume as
    working hours so that a pause in the middle of a day is counted fairly).
    """
    if unit == SlaUnit.URGENT_HOURS:
        return max((due - now).total_seconds() / 3600, 0)
    if unit == SlaUnit.NATURAL_DAYS:
        return max((due - now).total_seconds() / 86400, 0)
    return work_minutes_between(now, due) / 60  # hours of work, for work_hours and work_days
