"""Periodic case jobs: the SLA sweep that escalates overdue cases."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from civicgrid.cases.services import escalate_overdue_cases


@db_periodic_task(crontab(minute="*/10"))
def sweep_overdue_cases() -> int:
    """Every ten minutes: escalate cases whose current clock has run out."""
    return escalate_overdue_cases()
