from civicgrid.core.models import AuditEvent
from civicgrid.places.models import Dwelling
from civicgrid.places.tests.conftest import IN_A1, IN_A2, IN_B1, NOWHERE


def form(point=IN_A1, **extra):
    data = {
        "street": "平江路",
        "estate": "桃花苑",
        "building_no": "3",
        "unit_no": "2",
        "room_no": "501",
        "use": "rented",
    }
    if point:
        data.update(lon=point[0], lat=point[1])
    return data | extra


def test_new_dwelling_gets_its_grid_from_the_point(district, login):
    response = login(district.community_a).post("/places/dwellings/new/", form(IN_A2))
    dwelling = Dwelling.objects.get()
    assert response.status_code == 302
    assert dwelling.area == district.grid_a2
    assert dwelling.address == "平江路桃花苑3幢2单元501室"
    assert not dwelling.grid_fixed
    assert AuditEvent.objects.filter(object_type="dwelling", action="create", object_id=str(dwelling.pk)).exists()


def test_point_outside_every_grid_is_refused_in_chinese(district, login):
    response = login(district.community_a).post("/places/dwellings/new/", form(NOWHERE))
    assert "不在任何网格内" in response.content.decode()
    assert not Dwelling.objects.exists()


def test_point_in_a_grid_the_user_cannot_edit_is_refused(district, login):
    response = login(district.worker_a1).post("/places/dwellings/new/", form(IN_B1))
    assert "南门社区第一网格" in response.content.decode()
    assert "无权" in response.content.decode() or "不能编辑" in response.content.decode()
    assert not Dwelling.objects.exists()


def test_grid_chosen_by_hand_is_kept_and_marked_fixed(district, login):
    login(district.community_a).post("/places/dwellings/new/", form(IN_A1, grid=district.grid_a2.pk))
    dwelling = Dwelling.objects.get()
    assert dwelling.area == district.grid_a2
    assert dwelling.grid_fixed


def test_grid_worker_cannot_pick_another_grid_by_hand(district, login):
    login(district.worker_a1).post("/places/dwellings/new/", form(IN_A1, grid=district.grid_b1.pk))
    assert not Dwelling.objects.exists()


def test_edit_with_a_stale_version_is_refused(places, district, login):
    d = places["d1"]
    client = login(district.worker_a1)
    Dwelling.objects.filter(pk=d.pk).update(version=5)
    response = client.post(f"/places/dwellings/{d.pk}/edit/", form(IN_A1, version=1, room_no="999"))
    assert "在此期间修改" in response.content.decode() or "刷新" in response.content.decode()
    assert "999" not in Dwelling.objects.get(pk=d.pk).address


def test_edit_saves_and_audits_the_change(places, district, login):
    d = places["d1"]
    response = login(district.worker_a1).post(f"/places/dwellings/{d.pk}/edit/", form(IN_A1, version=d.version))
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.address == "平江路桃花苑3幢2单元501室" and d.version == 2
    event = AuditEvent.objects.filter(object_type="dwelling", action="update").latest("id")
    assert event.changes["address"][1] == d.address


def test_grid_worker_cannot_edit_the_next_grids_dwelling(places, district, login):
    assert login(district.worker_a1).get(f"/places/dwellings/{places['d2'].pk}/edit/").status_code == 404


def test_edit_form_has_the_point_picker_without_inline_script(places, district, login):
    page = login(district.worker_a1).get(f"/places/dwellings/{places['d1'].pk}/edit/").content.decode()
    assert 'id="point-picker"' in page
    assert "places/places.js" in page
    assert "<script>" not in page


def test_moving_the_point_to_another_grid_moves_the_residents(places, district, login):
    from civicgrid.places.tests.conftest import make_person

    d = places["d1"]
    person = make_person(district.grid_a1, d)
    login(district.community_a).post(f"/places/dwellings/{d.pk}/edit/", form(IN_A2, version=d.version))
    person.refresh_from_db()
    assert person.area == district.grid_a2
