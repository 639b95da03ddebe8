"""The audit service: every change to registry data, every permission change
and every view or export of personal data goes through ``record``.

Services call it explicitly (no signals), inside the same transaction as the
change, so a rolled-back change leaves no audit entry and a committed change
always has one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from civicgrid.core.models import AuditChainHead, AuditEvent
from civicgrid.core.request_context import current_request_info

GENESIS = "0" * 64


def _jsonable(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj: Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of ``fields`` on ``obj``, ready for ``diff``."""
    return {name: _jsonable(getattr(obj, name)) for name in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for the fields that changed."""
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def event_digest(event: AuditEvent) -> str:
    payload = json.dumps(
        {
            "at": event.at.isoformat(),
            "actor": event.actor_id,
            "actor_name": event.actor_name,
            "ip": event.ip,
            "action": event.action,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "object_repr": event.object_repr,
            "area_code": event.area_code,
            "changes": event.changes,
            "reason": event.reason,
            "prev": event.prev_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def record(
    *,
    action: str,
    object_type: str,
    object_id: Any = "",
    object_repr: str = "",
    area_code: str = "",
    changes: Mapping[str, Any] | None = None,
    reason: str = "",
    actor: Any = None,
) -> AuditEvent:
    """Append one event. The actor and IP default to the current request's."""
    info = current_request_info()
    if actor is None:
        actor = info.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1, defaults={"last_hash": GENESIS})
        event = AuditEvent(
            at=timezone.now(),
            actor=actor,
            actor_name=(actor.get_full_name() or actor.get_username()) if actor else "",
            ip=info.ip,
            action=str(action),
            object_type=object_type,
            object_id=str(object_id or ""),
            object_repr=str(object_repr)[:255],
            area_code=area_code or "",
            changes=_jsonable(dict(changes or {})),
            reason=reason[:500],
            prev_hash=head.last_hash,
        )
        event.hash = event_digest(event)
        event.save()
        head.last_hash = event.hash
        head.last_id = event.pk
        head.save(update_fields=["last_hash", "last_id"])
    return event


def verify_chain(batch_size: int = 5000) -> tuple[int, list[str]]:
    """Walk the log in insertion order; return (entries checked, problems)."""
    problems: list[str] = []
    prev = GENESIS
    count = 0
    last_id = 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            break
        for event in batch:
            count += 1
            if event.prev_hash != prev:
                problems.append(f"#{event.pk}: prev_hash does not match entry before it (row removed or reordered)")
            if event_digest(event) != event.hash:
                problems.append(f"#{event.pk}: content does not match its hash (row edited)")
            prev = event.hash
            last_id = event.pk
    head = AuditChainHead.objects.filter(pk=1).first()
    if head and count and head.last_hash != prev:
        problems.append("the chain head does not match the last entry (entries removed at the end)")
    return count, problems
