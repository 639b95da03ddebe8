"""The audit log viewer: auditors read and filter the log of their areas.

Scope: ``AuditEvent.objects.visible_to(user, "audit.view")``; entries with no
area (log-ins, role edits, user changes filed above any area) only for
auditors at district level. The page checks the newest entries of the hash
chain on every view (cheap); the full walk is a button for district-level
auditors, and each full walk is itself recorded, so the page can say when the
chain was last verified in full and by whom.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from itertools import pairwise
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from civicgrid.core import audit
from civicgrid.core.models import AuditAction, AuditChainHead, AuditEvent
from civicgrid.core.scoping import code_q, scope_codes

PAGE_SIZE = 50
TAIL_SIZE = 200
DISTRICT_CODE_LENGTH = 6
CHAIN_OBJECT_TYPE = "audit_chain"

# Readable names for the object types and fields most entries carry; anything
# else is shown as stored.
OBJECT_TYPE_LABELS = {
    "user": gettext_lazy("User"),
    "role": gettext_lazy("Role"),
    "role_assignment": gettext_lazy("Role assignment"),
    "area": gettext_lazy("Area"),
    CHAIN_OBJECT_TYPE: gettext_lazy("Audit log hash chain"),
}
FIELD_LABELS = {
    "username": gettext_lazy("Username"),
    "full_name": gettext_lazy("Full name"),
    "title": gettext_lazy("Job title"),
    "work_phone": gettext_lazy("Work phone"),
    "is_active": gettext_lazy("Account active"),
    "password": gettext_lazy("Password"),
    "user": gettext_lazy("User"),
    "role": gettext_lazy("Role"),
    "area": gettext_lazy("Area"),
    "valid_from": gettext_lazy("Valid from"),
    "valid_until": gettext_lazy("Valid until"),
    "name": gettext_lazy("Name"),
    "description": gettext_lazy("Description"),
    "capabilities": gettext_lazy("Permissions"),
    "code": gettext_lazy("Code"),
    "result": gettext_lazy("Result"),
    "entries": gettext_lazy("Entries checked"),
    "problems": gettext_lazy("Problems"),
}


def is_district_auditor(user: Any) -> bool:
    return any(len(c) == DISTRICT_CODE_LENGTH for c in scope_codes(user, "audit.view"))


def visible_events(user: Any) -> QuerySet[AuditEvent]:
    """The events the user may read; PermissionDenied without ``audit.view``."""
    codes = scope_codes(user, "audit.view")
    if not codes:
        raise PermissionDenied
    if is_district_auditor(user):
        return AuditEvent.objects.filter(code_q(codes, "area_code") | Q(area_code=""))
    return AuditEvent.objects.visible_to(user, "audit.view")


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def filter_events(events: QuerySet[AuditEvent], f: Mapping[str, str]) -> tuple[QuerySet[AuditEvent], list[str]]:
    """Apply the viewer's filters; returns the events and Chinese messages for unusable filters."""
    errors: list[str] = []
    actor = (f.get("actor") or "").strip()
    if actor:
        events = events.filter(Q(actor_name__icontains=actor) | Q(actor__username__icontains=actor))
    action = f.get("action") or ""
    if action:
        events = events.filter(action=action)
    if f.get("object_type"):
        events = events.filter(object_type=f["object_type"])
    area = (f.get("area") or "").strip()
    if area:
        if not area.isdigit():
            errors.append(_("The area code filter takes digits only, e.g. 320508001."))
        events = events.filter(area_code__startswith=area)
    text = (f.get("text") or "").strip()
    if text:
        events = events.filter(object_repr__icontains=text)
    raw_start, raw_end = f.get("from") or "", f.get("to") or ""
    start, end = _date(raw_start), _date(raw_end)
    if (raw_start and start is None) or (raw_end and end is None):
        errors.append(_("A date could not be read; use the date picker (YYYY-MM-DD)."))
    if start and end and end < start:
        errors.append(_("The end date is before the start date; no entries can match."))
    if start:
        events = events.filter(at__gte=timezone.make_aware(dt.datetime.combine(start, dt.time.min)))
    if end:
        events = events.filter(at__lt=timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)))
    return events, errors


def _display(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, (list, tuple)):
        return "、".join(_display(v) for v in value) or "—"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def change_rows(changes: Any) -> list[tuple[str, str, str]]:
    """``{field: [before, after]}`` as (label, before, after) rows; a bare value is an 'after'."""
    if not isinstance(changes, dict):
        return [("", "—", _display(changes))] if changes else []
    rows = []
    for field, change in changes.items():
        if isinstance(change, (list, tuple)) and len(change) == 2:
            before, after = change
        else:
            before, after = None, change
        rows.append((str(FIELD_LABELS.get(field, field)), _display(before), _display(after)))
    return rows


def describe_problem(problem: str) -> str:
    """``verify_chain`` reports in English for logs; say the same in the UI's language."""
    number, _sep, detail = problem.partition(": ")
    if not number.startswith("#"):
        number, detail = "", problem
    if detail.startswith("content does not match"):
        text = _("the entry's content no longer matches its hash: it was edited in the database")
    elif detail.startswith("prev_hash does not match"):
        text = _("the link to the entry before it is broken: an entry was removed or reordered")
    elif detail.startswith("the chain head does not match"):
        text = _("the newest entries are missing: entries were removed at the end of the log")
    else:
        text = detail
    return _("entry %(number)s: %(text)s") % {"number": number, "text": text} if number else text


def verify_tail(size: int = TAIL_SIZE) -> bool:
    """Check the newest ``size`` entries link up, match their hashes and end at the chain head.

    Two queries whatever the log's length; the full walk is ``audit.verify_chain``."""
    newest = list(AuditEvent.objects.order_by("-id")[: size + 1])
    if not newest:
        return True
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None or head.last_hash != newest[0].hash:
        return False
    for later, earlier in pairwise(newest):
        if later.prev_hash != earlier.hash:
            return False
    return all(audit.event_digest(e) == e.hash for e in newest[:size])


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    events = visible_events(request.user)
    events, filter_errors = filter_events(events, request.GET)
    page = Paginator(events.order_by("-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page:
        event.rows = change_rows(event.changes)  # type: ignore[attr-defined]
        event.object_type_label = OBJECT_TYPE_LABELS.get(event.object_type, event.object_type)  # type: ignore[attr-defined]
    district_level = is_district_auditor(request.user)
    types = AuditEvent.objects.order_by("object_type").values_list("object_type", flat=True).distinct()
    context = {
        "page": page,
        "filters": request.GET,
        "filter_errors": filter_errors,
        "actions": AuditAction.choices,
        "object_types": [(t, OBJECT_TYPE_LABELS.get(t, t)) for t in types],
        "can_verify": district_level,
        "nav_active": "audit",
    }
    if request.htmx:
        return render(request, "core/_audit_rows.html", context)
    context["tail_ok"] = verify_tail()
    context["tail_size"] = TAIL_SIZE
    if district_level:
        context["last_full_check"] = (
            AuditEvent.objects.filter(object_type=CHAIN_OBJECT_TYPE).order_by("-id").only(
                "at", "actor_name", "changes"
            ).first()
        )  # fmt: skip
    return render(request, "core/audit_log.html", context)


@require_POST
@login_required
def audit_verify(request: HttpRequest) -> HttpResponse:
    """Walk the whole chain (district-level auditors only) and record that it was done."""
    visible_events(request.user)
    if not is_district_auditor(request.user):
        raise PermissionDenied
    count, problems = audit.verify_chain()
    audit.record(
        action=AuditAction.VIEW,
        object_type=CHAIN_OBJECT_TYPE,
        object_repr=_("Full verification of the audit log"),
        changes={
            "result": [None, "broken" if problems else "intact"],
            "entries": [None, count],
            "problems": [None, problems[:20]],
        },
        actor=request.user,
    )
    if problems:
        messages.error(
            request,
            _(
                "The audit log has been tampered with: %(n)d problem(s) in %(count)d entries, e.g. %(first)s. "
                "Keep the database as it is and tell the security officer."
            )
            % {"n": len(problems), "count": count, "first": describe_problem(problems[0])},
        )
    else:
        messages.success(request, _("The audit log chain is intact: %(n)d entries verified.") % {"n": count})
    return redirect("core:audit_log")
