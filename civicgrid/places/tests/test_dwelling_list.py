from civicgrid.places.tests.conftest import IN_A1, make_dwelling, make_person


def test_grid_worker_sees_only_their_grids_dwellings(places, district, login):
    page = login(district.worker_a1).get("/places/dwellings/").content.decode()
    assert places["d1"].address in page
    assert "桃花苑1幢201室" not in page


def test_user_without_role_is_refused(district, login):
    assert login(district.nobody).get("/places/dwellings/").status_code == 403


def test_filter_by_use_and_address(district, login):
    make_dwelling(district.grid_a1, IN_A1, room="101", use="rented")
    make_dwelling(district.grid_a1, IN_A1, room="102", use="vacant")
    client = login(district.admin)
    page = client.get("/places/dwellings/", {"use": "rented"}).content.decode()
    assert "101室" in page and "102室" not in page
    page = client.get("/places/dwellings/", {"q": "102"}).content.decode()
    assert "102室" in page and "101室" not in page


def test_filter_by_grid(places, district, login):
    page = login(district.admin).get("/places/dwellings/", {"grid": district.grid_b1.code}).content.decode()
    assert "201室" in page and places["d1"].address not in page


def test_list_makes_a_constant_number_of_queries(district, login, django_assert_max_num_queries):
    for i in range(30):
        d = make_dwelling(district.grid_a1, IN_A1, room=str(300 + i))
        make_person(district.grid_a1, d, name=f"住户{i}")
    client = login(district.admin)
    client.get("/places/dwellings/")
    with django_assert_max_num_queries(12):
        response = client.get("/places/dwellings/")
    assert response.content.decode().count("/places/dwellings/") >= 30
