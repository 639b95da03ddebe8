"""The one notification service: templates, channels (in-app, SMS through a
pluggable provider backend), opt-out, idempotency and a delivery log.

    notify(template="case_dispatched", users=[...], phones=[...], context={...},
           key=f"case:{case.pk}:dispatch:{log.pk}", link="/cases/12/", area_code=case.area.code)

In-app messages are stored and shown at once. SMS messages are queued and
sent by a job (``deliver_sms``) with retries and exponential backoff; the
provider receives the message's idempotency key, so a retry after a timeout
never sends twice with providers that honour it, and our own log never sends
a message that is already marked sent.

SMS providers: ``CIVICGRID_SMS_BACKEND`` = "console" (default: logs), "outbox"
(kept in memory for tests and demos) or a dotted path to a class with
``send(phone, text, key) -> provider_id``. See docs/operations.md.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from civicgrid.core import personal_data as pd
from civicgrid.core.models import Message, MessageChannel, MessageStatus, OptOut

log = logging.getLogger(__name__)
PHONE_CONTEXT = "message.phone"
MAX_ATTEMPTS = 5

# template code -> (subject, body); bodies use str.format with the context.
TEMPLATES: dict[str, tuple[Any, Any]] = {
    "case_dispatched": (_("New case to handle"), _("Case {code} “{title}” was dispatched to you; due {due}.")),
    "case_verify": (_("On-site check needed"), _("Please check case {code} “{title}” on site; due {due}.")),
    "case_closed": (
        _("Your report was handled"),
        _("Report {code} “{title}” was handled. Rate the result with the code."),
    ),
    "case_merged": (
        _("Your report was merged"),
        _("Report {code} “{title}” is the same problem as {target}; follow {target}."),
    ),
    "case_reopened": (_("Case reopened"), _("Case {code} “{title}” was reopened: {reason}.")),
    "case_overdue": (_("Case overdue"), _("Case {code} “{title}” is overdue and was escalated to {area}.")),
    "case_supervised": (_("Case under supervision"), _("Case {code} “{title}” is under supervision; deadline {due}.")),
}


class SmsError(Exception):
    pass


class ConsoleSmsBackend:
    """Writes messages to the log: the embedded default, nothing leaves the machine."""

    def send(self, phone: str, text: str, key: str) -> str:
        log.info("SMS to %s: %s", pd.mask_mobile(phone), text)
        return f"console-{key[:40]}"


class OutboxSmsBackend:
    """Keeps sent messages in memory (tests, demos). ``fail_next`` simulates provider errors."""

    outbox: list[dict[str, str]] = []
    fail_next: int = 0

    def send(self, phone: str, text: str, key: str) -> str:
        if OutboxSmsBackend.fail_next:
            OutboxSmsBackend.fail_next -= 1
            raise SmsError("simulated provider timeout")
        if any(m["key"] == key for m in OutboxSmsBackend.outbox):
            return f"outbox-{key}"  # providers dedupe on the key: no second SMS
        OutboxSmsBackend.outbox.append({"phone": phone, "text": text, "key": key})
        return f"outbox-{key}"


BACKENDS = {"console": ConsoleSmsBackend, "outbox": OutboxSmsBackend}


def sms_backend() -> Any:
    name = getattr(settings, "SMS_BACKEND", "console")
    return (BACKENDS.get(name) or import_string(name))()


def render(template: str, context: dict[str, Any]) -> tuple[str, str]:
    subject, body = TEMPLATES[template]
    return str(subject), str(body).format(**context)


def _opted_out(*, user: Any = None, phone_hash: str = "", channel: str, template: str) -> bool:
    who = Q(user=user) if user is not None else Q(phone_hash=phone_hash)
    return OptOut.objects.filter(who, channel=channel).filter(Q(template="") | Q(template=template)).exists()


def notify(
    *,
    template: str,
    context: dict[str, Any],
    key: str,
    users: Iterable[Any] = (),
    phones: Iterable[str] = (),
    sms_to_users: bool = False,
    link: str = "",
    area_code: str = "",
) -> list[Message]:
    """Create the messages for one event; SMS go out through the job queue."""
    subject, body = render(template, context)
    created: list[Message] = []

    def add(channel: str, suffix: str, **fields: Any) -> None:
        message = Message(channel=channel, template=template, subject=subject, body=body, link=link,
                          area_code=area_code, idempotency_key=f"{key}:{channel}:{suffix}"[:120], **fields)  # fmt: skip
        try:
            with transaction.atomic():
                message.save()
        except IntegrityError:
            return  # this event already produced this message
        created.append(message)

    for user in {u.pk: u for u in users if u is not None}.values():
        add(MessageChannel.IN_APP, f"u{user.pk}", recipient=user, status=MessageStatus.SENT, sent_at=timezone.now())
        phone = getattr(user, "work_phone", "")
        if sms_to_users and phone:
            phones = [*phones, phone]
    for raw in phones:
        try:
            phone = pd.parse_mobile(raw)
        except Exception:  # noqa: BLE001 - an unusable number is logged, not fatal to the event
            log.warning("notification %s: unusable phone number skipped", key)
            continue
        status = MessageStatus.QUEUED
        if _opted_out(phone_hash=pd.blind_index(phone, context=PHONE_CONTEXT), channel="sms", template=template):
            status = MessageStatus.OPTED_OUT
        add(MessageChannel.SMS, pd.blind_index(phone, context=PHONE_CONTEXT)[:16], status=status,
            phone_enc=pd.encrypt(phone, context=PHONE_CONTEXT), phone_masked=pd.mask_mobile(phone))  # fmt: skip
    for message in created:
        if message.channel == MessageChannel.SMS and message.status == MessageStatus.QUEUED:
            transaction.on_commit(lambda pk=message.pk: deliver_sms.enqueue(message_id=pk))
    return created


@task()
def deliver_sms(message_id: int) -> str:
    """Send one queued SMS; on failure, retry later with exponential backoff."""
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != MessageStatus.QUEUED:
            return "skipped"
        phone = pd.decrypt(message.phone_enc, context=PHONE_CONTEXT)
        message.attempts += 1
        try:
            message.provider_id = sms_backend().send(phone, message.body, message.idempotency_key)
        except Exception as exc:  # noqa: BLE001 - every provider failure is logged and retried
            message.last_error = str(exc)[:300]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = MessageStatus.FAILED
            message.save(update_fields=["attempts", "last_error", "status"])
            if message.status == MessageStatus.QUEUED:
                delay = 30 * 2 ** (message.attempts - 1)
                retry_at = timezone.now() + timezone.timedelta(seconds=delay)
                transaction.on_commit(lambda: deliver_sms.using(run_after=retry_at).enqueue(message_id=message_id))
            return "failed"
        message.status, message.sent_at = MessageStatus.SENT, timezone.now()
        message.save(update_fields=["attempts", "provider_id", "status", "sent_at", "last_error"])
    return "sent"


def unread_count(user: Any) -> int:
    return Message.objects.filter(recipient=user, channel=MessageChannel.IN_APP, read_at__isnull=True).count()
