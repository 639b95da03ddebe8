from civicgrid.core.models import AuditEvent


def test_person_page_shows_masked_facts_and_household(registry, login):
    page = login(registry.d.worker_a1).get(f"/people/{registry.zhang.pk}/").content.decode()
    assert "张三丰" in page
    assert registry.zhang.id_number_masked in page and registry.zhang_id not in page
    assert "H0001" in page
    assert "低保" in page


def test_person_outside_scope_is_404(registry, login):
    assert login(registry.d.worker_a1).get(f"/people/{registry.zhao.pk}/").status_code == 404


def test_sensitive_tag_hidden_on_detail_for_grid_worker_and_no_view_audited(registry, login):
    page = login(registry.d.worker_a1).get(f"/people/{registry.li.pk}/").content.decode()
    assert "社区矫正" not in page
    assert not AuditEvent.objects.filter(action="view", object_id=str(registry.li.pk)).exists()


def test_viewing_a_person_with_a_sensitive_tag_is_audited(registry, login):
    page = login(registry.d.community_a).get(f"/people/{registry.li.pk}/").content.decode()
    assert "社区矫正" in page
    event = AuditEvent.objects.get(action="view", object_type="person", object_id=str(registry.li.pk))
    assert event.actor == registry.d.community_a
    assert event.changes == {"sensitive_tags": ["correction"]}


def test_overdue_visit_is_flagged_on_person_page(registry, login):
    # 张三丰 is 低保 (every 90 days), last visited 200 days ago
    page = login(registry.d.worker_a1).get(f"/people/{registry.zhang.pk}/").content.decode()
    assert "走访逾期" in page


def test_unmask_shows_the_clear_id_and_writes_an_audit_event(registry, login):
    client = login(registry.d.community_a)
    response = client.post(
        f"/people/{registry.zhang.pk}/unmask/",
        {"field": "id_number", "reason": "核实低保申请"},
        headers={"HX-Request": "true"},
    )
    assert registry.zhang_id in response.content.decode()
    event = AuditEvent.objects.get(action="unmask", object_id=str(registry.zhang.pk))
    assert event.reason == "核实低保申请" and event.changes == {"field": "id_number"}


def test_unmask_without_a_reason_shows_nothing_and_asks_why(registry, login):
    response = login(registry.d.community_a).post(
        f"/people/{registry.zhang.pk}/unmask/", {"field": "phone", "reason": ""}
    )
    body = response.content.decode()
    assert "13812345678" not in body
    assert "请说明" in body or "原因" in body
    assert not AuditEvent.objects.filter(action="unmask").exists()


def test_unmask_requires_the_capability(registry, login):
    response = login(registry.d.worker_a1).post(
        f"/people/{registry.zhang.pk}/unmask/", {"field": "id_number", "reason": "好奇"}
    )
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="unmask").exists()


def test_unmask_button_only_for_holders(registry, login):
    assert "/unmask/" not in login(registry.d.worker_a1).get(f"/people/{registry.zhang.pk}/").content.decode()
