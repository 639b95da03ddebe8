"""The one workflow mechanism: declarative states and transitions, who may
fire them, a clock per state, and a transition log.

Cases, assistance applications, mediation files and hazards each declare a
``Workflow`` and keep four fields on their model (see ``WorkflowFields``):
``state``, ``version``, ``state_entered_at``, ``state_due_at`` (plus the
``area`` every scoped row has). ``fire`` is the only way to change ``state``:

- it checks the transition is allowed from the current state, that the user
  holds the transition's capability in the object's area, and the guard;
- it changes the row with a compare-and-set on (state, version), so two
  people acting at once cannot both succeed — the second gets a clear
  Chinese message and nothing changes;
- an ``idempotency_key`` (one per rendered form or offline draft) makes a
  retried or double-clicked submission return the first result instead of
  firing twice;
- it starts the new state's clock on the work calendar and writes the
  transition log and the audit log in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.core import audit
from civicgrid.core.models import TransitionLog
from civicgrid.core.scoping import user_can
from civicgrid.core.workcalendar import deadline

# guard(obj, user, data) -> None when allowed, else a Chinese message saying why not.
Guard = Callable[[Any, Any, dict[str, Any]], str | None]
# sla(obj, state) -> (amount, unit) or None when the state has no clock.
SlaRule = Callable[[Any, str], tuple[float, str] | None]


class WorkflowError(Exception):
    """A transition that may not happen now; ``str(err)`` is the Chinese message."""


class ConflictError(WorkflowError):
    """Someone else changed the object first."""


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    capability: str
    requires_comment: bool = False
    guard: Guard | None = None


@dataclass
class Workflow:
    name: str
    states: dict[str, Any]  # code -> label
    initial: str
    transitions: list[Transition]
    sla: SlaRule | None = None
    by_name: dict[str, Transition] = field(init=False)

    def __post_init__(self) -> None:
        self.by_name = {t.name: t for t in self.transitions}
        for t in self.transitions:
            unknown = {*t.sources, t.target} - set(self.states)
            if unknown:
                raise ValueError(f"{self.name}.{t.name}: unknown states {unknown}")

    def state_label(self, state: str) -> Any:
        return self.states.get(state, state)

    def allowed_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]


class WorkflowFields(models.Model):
    """Mixin for models driven by a Workflow."""

    state = models.CharField(max_length=30, db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    state_entered_at = models.DateTimeField(null=True, blank=True, editable=False)
    state_due_at = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)

    class Meta:
        abstract = True


def available(workflow: Workflow, obj: Any, user: Any) -> list[Transition]:
    """Transitions the user may fire on ``obj`` now (for buttons); guards judge the
    submitted data, so they run when the transition is fired, not here."""
    return [t for t in workflow.allowed_from(obj.state) if user_can(user, t.capability, obj.area)]


def start_clock(workflow: Workflow, obj: Any, state: str, now: Any) -> Any:
    rule = workflow.sla(obj, state) if workflow.sla else None
    return deadline(now, rule[0], rule[1]) if rule else None


def fire(
    *,
    workflow: Workflow,
    obj: Any,
    transition: str,
    by: Any,
    comment: str = "",
    data: dict[str, Any] | None = None,
    idempotency_key: str = "",
    expected_version: int | None = None,
    check_permission: bool = True,
) -> TransitionLog:
    """Fire ``transition`` on ``obj``; returns the log entry (the earlier one for a repeated key)."""
    data = dict(data or {})
    content_type = ContentType.objects.get_for_model(type(obj))
    if idempotency_key:
        earlier = TransitionLog.objects.filter(idempotency_key=idempotency_key).first()
        if earlier is not None:
            if earlier.content_type_id != content_type.pk or earlier.object_id != obj.pk:
                raise WorkflowError(_("This submission key was already used for another record."))
            return earlier
    step = workflow.by_name.get(transition)
    if step is None:
        raise WorkflowError(_("Unknown action “%(name)s”.") % {"name": transition})
    if check_permission and not user_can(by, step.capability, obj.area):
        raise WorkflowError(_("You do not have permission to “%(action)s” here.") % {"action": step.label})
    if obj.state not in step.sources:
        raise WorkflowError(
            _("“%(action)s” is not possible while the record is “%(state)s”.")
            % {"action": step.label, "state": workflow.state_label(obj.state)}
        )
    if expected_version is not None and expected_version != obj.version:
        raise ConflictError(_("Someone else changed this record in the meantime. Reload it and try again."))
    if step.requires_comment and not comment.strip():
        raise WorkflowError(_("Please give a reason for “%(action)s”.") % {"action": step.label})
    if step.guard is not None:
        problem = step.guard(obj, by, data)
        if problem:
            raise WorkflowError(problem)

    now = timezone.now()
    source, version = obj.state, obj.version
    due = start_clock(workflow, obj, step.target, now)
    model = type(obj)
    try:
        with transaction.atomic():
            changed = model.objects.filter(pk=obj.pk, state=source, version=version).update(
                state=step.target, version=version + 1, state_entered_at=now, state_due_at=due
            )
            if changed != 1:
                raise ConflictError(_("Someone else changed this record in the meantime. Reload it and try again."))
            log = TransitionLog.objects.create(
                content_type=content_type,
                object_id=obj.pk,
                workflow=workflow.name,
                transition=step.name,
                from_state=source,
                to_state=step.target,
                actor=by if getattr(by, "is_authenticated", False) else None,
                at=now,
                comment=comment.strip(),
                data=data,
                idempotency_key=idempotency_key or None,
                due_at=due,
            )
            audit.record(
                action="update",
                object_type=workflow.name,
                object_id=obj.pk,
                object_repr=str(obj),
                area_code=obj.area.code,
                changes={"state": [source, step.target], "transition": step.name},
                reason=comment.strip(),
                actor=by,
            )
    except IntegrityError:
        # The same idempotency key raced in from a parallel retry: return the winner.
        earlier = TransitionLog.objects.filter(idempotency_key=idempotency_key).first() if idempotency_key else None
        if earlier is None:
            raise
        obj.refresh_from_db()
        return earlier
    obj.state, obj.version, obj.state_entered_at, obj.state_due_at = step.target, version + 1, now, due
    return log


def history(obj: Any) -> models.QuerySet[TransitionLog]:
    content_type = ContentType.objects.get_for_model(type(obj))
    return TransitionLog.objects.filter(content_type=content_type, object_id=obj.pk).select_related("actor")
