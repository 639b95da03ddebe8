import pytest

from civicgrid.core import personal_data as pd
from civicgrid.core.models import Message, MessageStatus, OptOut
from civicgrid.core.notifications import PHONE_CONTEXT, OutboxSmsBackend, deliver_sms, notify

CONTEXT = {"code": "ABC123", "title": "路灯不亮", "due": "11-25 17:30", "reason": ""}


@pytest.fixture(autouse=True)
def outbox(settings):
    settings.SMS_BACKEND = "outbox"
    OutboxSmsBackend.outbox.clear()
    OutboxSmsBackend.fail_next = 0
    yield OutboxSmsBackend.outbox


def test_in_app_message_appears_with_an_unread_badge(district, login):
    notify(template="case_dispatched", users=[district.worker_a1], context=CONTEXT, key="e1", link="/cases/1/")
    client = login(district.worker_a1)
    assert "badge-danger" in client.get("/").content.decode()
    page = client.get("/messages/").content.decode()
    assert "路灯不亮" in page and "ABC123" in page
    assert Message.objects.get().read_at is not None


def test_sms_is_sent_once_even_if_the_event_repeats(district, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(template="case_closed", phones=["13812345678"], context=CONTEXT, key="e2")
        notify(template="case_closed", phones=["13812345678"], context=CONTEXT, key="e2")
    assert len(outbox) == 1 and "ABC123" in outbox[0]["text"]
    assert Message.objects.get().status == MessageStatus.SENT


def test_provider_failure_is_retried_and_visible(district, outbox):
    OutboxSmsBackend.fail_next = 1
    message = notify(template="case_closed", phones=["13812345678"], context=CONTEXT, key="e3")[0]
    assert deliver_sms.call(message_id=message.pk) == "failed"
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED and message.attempts == 1 and "timeout" in message.last_error
    assert deliver_sms.call(message_id=message.pk) == "sent"
    assert deliver_sms.call(message_id=message.pk) == "skipped"  # never twice
    assert len(outbox) == 1


def test_gives_up_after_five_attempts(district, outbox):
    OutboxSmsBackend.fail_next = 99
    message = notify(template="case_closed", phones=["13812345678"], context=CONTEXT, key="e4")[0]
    for _ in range(5):
        deliver_sms.call(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.attempts == 5


def test_opted_out_phone_gets_no_sms(district, outbox, django_capture_on_commit_callbacks):
    OptOut.objects.create(phone_hash=pd.blind_index("13812345678", context=PHONE_CONTEXT), channel="sms")
    with django_capture_on_commit_callbacks(execute=True):
        notify(template="case_closed", phones=["13812345678"], context=CONTEXT, key="e5")
    assert outbox == [] and Message.objects.get().status == MessageStatus.OPTED_OUT


def test_phone_is_stored_encrypted_and_masked(district):
    message = notify(template="case_closed", phones=["13812345678"], context=CONTEXT, key="e6")[0]
    assert message.phone_masked == "138****5678" and "13812345678" not in message.phone_enc
