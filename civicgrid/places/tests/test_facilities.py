from civicgrid.places.models import Facility
from civicgrid.places.tests.conftest import IN_A1


def test_grid_worker_sees_only_their_grids_facilities(places, district, login):
    page = login(district.worker_a1).get("/places/facilities/").content.decode()
    assert "平江避难所" in page and "南门摄像头" not in page


def test_shelter_needs_a_capacity(district, login):
    data = {"kind": "shelter", "name": "新避难所", "lon": IN_A1[0], "lat": IN_A1[1], "is_working": "on"}
    page = login(district.community_a).post("/places/facilities/new/", data).content.decode()
    assert "容纳" in page
    assert not Facility.objects.exists()


def test_create_facility_from_point(district, login):
    data = {"kind": "camera", "name": "路口摄像头", "lon": IN_A1[0], "lat": IN_A1[1], "is_working": "on"}
    assert login(district.community_a).post("/places/facilities/new/", data).status_code == 302
    assert Facility.objects.get().area == district.grid_a1


def test_facility_outside_scope_is_404(places, district, login):
    assert login(district.worker_a1).get(f"/places/facilities/{places['fac_b'].pk}/").status_code == 404


def test_list_makes_a_constant_number_of_queries(district, login, django_assert_max_num_queries):
    for i in range(30):
        Facility.objects.create(area=district.grid_a1, name=f"井盖{i}", kind="component")
    client = login(district.admin)
    with django_assert_max_num_queries(12):
        client.get("/places/facilities/")
