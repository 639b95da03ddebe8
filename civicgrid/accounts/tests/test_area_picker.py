def test_area_autocomplete_offers_only_areas_in_scope(district, login, street_manager):
    page = login(street_manager).get("/accounts/area-options/", {"area": "网格"}).content.decode()
    assert district.grid_a1.code in page
    assert district.grid_b1.code not in page


def test_area_autocomplete_matches_code_fragments(district, login):
    page = login(district.admin).get("/accounts/area-options/", {"area": "320508002"}).content.decode()
    assert district.grid_b1.code in page and district.grid_a1.code not in page


def test_area_autocomplete_leaves_out_closed_areas(district, login):
    district.grid_a2.is_active = False
    district.grid_a2.save()
    page = login(district.admin).get("/accounts/area-options/", {"area": "平江路"}).content.decode()
    assert district.grid_a1.code in page and district.grid_a2.code not in page


def test_area_autocomplete_is_refused_without_accounts_manage(district, login):
    assert login(district.community_a).get("/accounts/area-options/", {"area": "网格"}).status_code == 403
