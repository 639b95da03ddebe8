"""The audit log viewer at /audit/: scope, filters, before/after, query count."""

import datetime as dt

from django.utils import timezone

from civicgrid.core import audit
from civicgrid.core.models import AuditEvent


def _events(district):
    audit.record(action="update", object_type="area", object_repr="甲网格", area_code=district.grid_a1.code,
                 changes={"name": ["旧名称", "新名称"]}, actor=district.admin)  # fmt: skip
    audit.record(action="create", object_type="role_assignment", object_repr="乙网格", area_code=district.grid_b1.code,
                 actor=district.street_b)  # fmt: skip
    audit.record(action="login_failed", object_type="user", object_repr="intruder", changes={"username": "intruder"})


def test_users_without_audit_capability_get_403(district, login):
    assert login(district.worker_a1).get("/audit/").status_code == 403


def test_street_auditor_sees_their_subdistrict_only(district, login):
    _events(district)
    page = login(district.street_a).get("/audit/").content.decode()
    assert "甲网格" in page and "乙网格" not in page


def test_entries_without_an_area_are_hidden_below_district_level(district, login):
    _events(district)
    assert "intruder" not in login(district.street_a).get("/audit/").content.decode()


def test_district_auditor_sees_entries_without_an_area(district, login):
    _events(district)
    assert "intruder" in login(district.admin).get("/audit/").content.decode()


def test_rows_expand_to_a_before_and_after_table(district, login):
    _events(district)
    page = login(district.admin).get("/audit/", {"text": "甲"}).content.decode()
    assert "<details" in page and "修改前" in page and "修改后" in page
    assert "旧名称" in page and "新名称" in page
    assert "<td>名称</td>" in page  # field names are shown in Chinese


def test_a_bare_value_in_changes_is_shown_whole(district, login):
    _events(district)
    page = login(district.admin).get("/audit/", {"action": "login_failed"}).content.decode()
    assert '<td class="mono">intruder</td>' in page


def test_filter_by_free_text_in_the_object(district, login):
    _events(district)
    page = login(district.admin).get("/audit/", {"text": "甲"}).content.decode()
    assert "甲网格" in page and "乙网格" not in page


def test_filter_by_actor_name_or_username(district, login):
    _events(district)
    client = login(district.admin)
    by_name = client.get("/audit/", {"actor": "street_b姓名"}).content.decode()
    assert "乙网格" in by_name and "甲网格" not in by_name
    by_username = client.get("/audit/", {"actor": "street_b"}).content.decode()
    assert "乙网格" in by_username and "甲网格" not in by_username


def test_filter_by_action(district, login):
    _events(district)
    page = login(district.admin).get("/audit/", {"action": "create"}).content.decode()
    assert "乙网格" in page and "甲网格" not in page


def test_filter_by_object_type(district, login):
    _events(district)
    page = login(district.admin).get("/audit/", {"object_type": "area"}).content.decode()
    assert "甲网格" in page and "乙网格" not in page


def test_filter_by_area_code_prefix(district, login):
    _events(district)
    page = login(district.admin).get("/audit/", {"area": district.sub_b.code}).content.decode()
    assert "乙网格" in page and "甲网格" not in page and "intruder" not in page


def test_area_filter_cannot_widen_a_street_auditors_scope(district, login):
    _events(district)
    page = login(district.street_a).get("/audit/", {"area": district.sub_b.code}).content.decode()
    assert "乙网格" not in page


def test_filter_by_date_range(district, login):
    _events(district)
    old = AuditEvent.objects.get(object_repr="甲网格")
    today = timezone.localdate(old.at)
    client = login(district.admin)
    assert "甲网格" in client.get("/audit/", {"from": today.isoformat(), "to": today.isoformat()}).content.decode()
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert "甲网格" not in client.get("/audit/", {"from": tomorrow}).content.decode()


def test_reversed_date_range_is_explained_in_chinese(district, login):
    page = login(district.admin).get("/audit/", {"from": "2026-05-02", "to": "2026-05-01"}).content.decode()
    assert "结束日期早于开始日期" in page


def test_newest_entries_come_first_fifty_a_page(district, login):
    for n in range(55):
        audit.record(action="update", object_type="area", object_repr=f"条目{n:02d}",
                     area_code=district.grid_a1.code, actor=district.admin)  # fmt: skip
    client = login(district.admin)
    first = client.get("/audit/").content.decode()
    assert "条目54" in first and "条目04" not in first
    assert first.index("条目54") < first.index("条目53")
    assert "条目04" in client.get("/audit/", {"page": 2}).content.decode()


def test_audit_log_makes_constant_queries(district, login, django_assert_max_num_queries):
    for n in range(60):
        actor = district.admin if n % 2 else district.street_a
        audit.record(action="update", object_type="area", object_repr=f"条目{n}", area_code=district.grid_a1.code,
                     changes={"name": [f"旧{n}", f"新{n}"]}, actor=actor)  # fmt: skip
    client = login(district.admin)
    with django_assert_max_num_queries(13):  # 10 reads, whatever the log size, + the session save (3)
        client.get("/audit/", {"actor": "姓名"})


def test_htmx_filter_returns_only_the_rows(district, login):
    _events(district)
    page = login(district.admin).get("/audit/", {"text": "甲"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in page and "甲网格" in page


def test_page_says_the_chain_is_intact(district, login):
    _events(district)
    page = login(district.admin).get("/audit/").content.decode()
    assert "哈希链完好" in page
