"""The case workflow (事件处置), after GB/T 30428 / CJJ/T 106:
上报 → (核实) → 立案 → 派遣 → 处置 → 核查 → 结案 → 评价, with 回退, 返工, 挂起,
不予立案/作废, 合并 and 自行处置."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicgrid.core.workflow import Transition, Workflow


class S:
    REPORTED = "reported"
    VERIFYING = "verifying"
    ACCEPTED = "accepted"
    DISPATCHED = "dispatched"
    HANDLED = "handled"
    SUSPENDED = "suspended"
    CLOSED = "closed"
    REJECTED = "rejected"
    MERGED = "merged"


STATES = {
    S.REPORTED: _("Reported, awaiting acceptance"),
    S.VERIFYING: _("Being verified on site"),
    S.ACCEPTED: _("Accepted, awaiting dispatch"),
    S.DISPATCHED: _("Being handled"),
    S.HANDLED: _("Handled, awaiting check"),
    S.SUSPENDED: pgettext_lazy("case state", "Suspended"),
    S.CLOSED: pgettext_lazy("case state", "Closed"),
    S.REJECTED: _("Not accepted"),
    S.MERGED: _("Merged into another case"),
}
OPEN_STATES = [S.REPORTED, S.VERIFYING, S.ACCEPTED, S.DISPATCHED, S.HANDLED, S.SUSPENDED]


def _needs_handler(case: Any, user: Any, data: dict[str, Any]) -> str | None:
    if not (data.get("handler_area") or data.get("handler_user") or data.get("department")):
        return str(_("Choose who handles the case: a grid worker, an area or a department."))
    return None


def _needs_target(case: Any, user: Any, data: dict[str, Any]) -> str | None:
    return None if data.get("into") else str(_("Choose the case to merge into."))


def case_sla(case: Any, state: str) -> tuple[float, str] | None:
    category = case.category
    if state in (S.REPORTED, S.VERIFYING, S.ACCEPTED):
        return float(category.accept_hours), category.accept_unit
    if state == S.DISPATCHED:
        return float(category.handle_amount), category.handle_unit
    if state == S.HANDLED:
        return float(category.verify_hours), category.verify_unit
    return None  # suspended, closed, rejected, merged: no clock runs


CASES = Workflow(
    name="case",
    states=STATES,
    initial=S.REPORTED,
    transitions=[
        Transition("send_to_verify", _("Send for on-site verification"), (S.REPORTED,), S.VERIFYING, "cases.accept"),
        Transition("verify_ok", _("Confirm on site"), (S.VERIFYING,), S.ACCEPTED, "cases.verify"),
        Transition("verify_invalid", _("Report is not valid"), (S.VERIFYING,), S.REJECTED, "cases.verify", True),
        Transition("accept", _("Accept (立案)"), (S.REPORTED,), S.ACCEPTED, "cases.accept"),
        Transition("reject", _("Do not accept"), (S.REPORTED, S.VERIFYING), S.REJECTED, "cases.accept", True),
        Transition(
            "merge",
            _("Merge as duplicate"),
            (S.REPORTED, S.VERIFYING, S.ACCEPTED),
            S.MERGED,
            "cases.accept",
            guard=_needs_target,
        ),
        Transition("dispatch", _("Dispatch"), (S.ACCEPTED,), S.DISPATCHED, "cases.dispatch", guard=_needs_handler),
        Transition("return", _("Return with reason"), (S.DISPATCHED,), S.ACCEPTED, "cases.handle", True),
        Transition("handle", _("Report as handled"), (S.DISPATCHED,), S.HANDLED, "cases.handle", True),
        Transition("rework", _("Check failed: rework"), (S.HANDLED,), S.DISPATCHED, "cases.verify", True),
        Transition("close", _("Check passed: close"), (S.HANDLED,), S.CLOSED, "cases.verify"),
        Transition("self_handle", _("Handled on the spot"), (S.REPORTED,), S.CLOSED, "cases.report", True),
        Transition("suspend", _("Suspend (approved)"), (S.DISPATCHED,), S.SUSPENDED, "cases.approve", True),
        Transition("resume", _("Resume"), (S.SUSPENDED,), S.DISPATCHED, "cases.approve"),
        Transition("reopen", _("Reopen for review"), (S.CLOSED,), S.ACCEPTED, "cases.accept", True),
    ],
    sla=case_sla,
)
