from civicgrid.cases.models import CaseCategory
from civicgrid.core.models import AuditEvent


def _form(category, **changes):
    data = {f: getattr(category, f) for f in ["name", "code", "accept_criteria", "close_criteria", "handler_level",
            "department", "accept_hours", "accept_unit", "handle_amount", "handle_unit", "verify_hours",
            "verify_unit", "sort_order"]}  # fmt: skip
    data.update(is_public="on" if category.is_public else "", is_active="on")
    data.update(changes)
    return {k: v for k, v in data.items() if v not in (None, "")}


def test_admin_changes_a_time_limit_and_it_is_audited(district, login):
    lamp = CaseCategory.objects.get(code="street_light")
    response = login(district.admin).post(f"/cases/categories/{lamp.pk}/", _form(lamp, handle_amount="2"))
    assert response.status_code == 302
    lamp.refresh_from_db()
    assert lamp.handle_amount == 2
    assert AuditEvent.objects.filter(object_type="case_category", object_id=str(lamp.pk)).exists()


def test_bad_limits_are_explained_and_nothing_changes(district, login):
    lamp = CaseCategory.objects.get(code="street_light")
    page = (
        login(district.admin)
        .post(f"/cases/categories/{lamp.pk}/", _form(lamp, handle_amount="0", department=""))
        .content.decode()
    )
    assert "大于零" in page and "责任部门" in page
    lamp.refresh_from_db()
    assert lamp.handle_amount == 3


def test_only_configurers_see_the_categories(district, login):
    assert login(district.community_a).get("/cases/categories/").status_code == 403
    assert "井盖缺失破损" in login(district.admin).get("/cases/categories/").content.decode()


def test_admin_adds_a_second_level_category(district, login):
    city = CaseCategory.objects.get(code="city")
    blank = CaseCategory(parent=city, name="共享单车乱停放", code="bikes", handler_level="community")
    response = login(district.admin).post(f"/cases/categories/{city.pk}/new/", _form(blank))
    assert response.status_code == 302
    assert CaseCategory.objects.get(code="bikes").parent == city
