"""Deadlines on the official calendar. 2026 Spring Festival: 2026-02-15 (Sun)
to 02-23 (Mon) off, with Saturday 02-14 and Saturday 02-28 as make-up working days."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from civicgrid.core.models import CalendarOverride
from civicgrid.core.workcalendar import (
    SlaUnit,
    deadline,
    forget_overrides,
    is_workday,
    remaining,
    work_minutes_between,
)

CST = ZoneInfo("Asia/Shanghai")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=CST)


@pytest.fixture(autouse=True)
def _fresh_calendar(db):
    forget_overrides()
    yield
    forget_overrides()


def test_make_up_saturday_is_a_working_day_and_festival_weekdays_are_not():
    assert is_workday(dt.date(2026, 2, 14))
    assert not is_workday(dt.date(2026, 2, 16))
    assert is_workday(dt.date(2026, 2, 28))


def test_three_working_days_across_the_spring_festival():
    # Friday 13 Feb 10:00 → working days Sat 14 (make-up), Tue 24, Wed 25.
    assert deadline(at("2026-02-13T10:00"), 3, SlaUnit.WORK_DAYS) == at("2026-02-25T17:30")


def test_working_hours_skip_lunch_nights_and_the_holiday():
    # Sat 14 Feb (make-up day) 16:30 + 4 working hours: 1 h that day, then 3 h on Tue 24 Feb.
    assert deadline(at("2026-02-14T16:30"), 4, SlaUnit.WORK_HOURS) == at("2026-02-24T11:30")
    assert deadline(at("2026-03-02T11:00"), 2, SlaUnit.WORK_HOURS) == at("2026-03-02T14:30")


def test_urgent_hours_and_calendar_days_ignore_holidays():
    assert deadline(at("2026-02-16T23:00"), 2, SlaUnit.URGENT_HOURS) == at("2026-02-17T01:00")
    assert deadline(at("2026-02-13T10:00"), 3, SlaUnit.NATURAL_DAYS) == at("2026-02-16T10:00")


def test_paused_clock_resumes_with_what_was_left():
    # Mon 09:00 + 8 h: 3 h before lunch, 4 h after, 1 h on Tuesday morning.
    due = deadline(at("2026-03-02T09:00"), 8, SlaUnit.WORK_HOURS)
    assert due == at("2026-03-03T09:30")
    left = remaining(at("2026-03-02T14:30"), due, SlaUnit.WORK_HOURS)  # paused after 4 h
    assert left == pytest.approx(4)
    assert deadline(at("2026-03-09T08:30"), left, SlaUnit.WORK_HOURS) == at("2026-03-09T14:00")


def test_admin_override_adds_a_year_the_package_does_not_know():
    assert is_workday(dt.date(2027, 1, 1))  # weekday fallback: a Friday
    CalendarOverride.objects.create(day=dt.date(2027, 1, 1), is_workday=False, note="元旦")
    forget_overrides()
    assert not is_workday(dt.date(2027, 1, 1))


def test_work_minutes_between_counts_only_working_periods():
    assert work_minutes_between(at("2026-03-02T11:00"), at("2026-03-02T14:00")) == 90
